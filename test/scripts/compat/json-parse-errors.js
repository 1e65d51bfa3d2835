// res.json() on a body that is not JSON (an HTML page, an empty body): the docs' try/catch pattern
// and an uncaught one. k6 throws a GoError naming the line and character (response.go).
import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 1 };

export default function () {
  const page = http.get(`${__ENV.BASE}/`);
  let message = '';
  let name = '';
  try {
    page.json();
  } catch (e) {
    message = e.message;
    name = e.name;
  }
  check(page, {
    'error names line and character': () => message === "cannot parse json due to an error at line 1, character 1 , error: invalid character '<' looking for beginning of value",
    'it is a GoError': () => name === 'GoError',
    'a selector on bad JSON is undefined': (r) => r.json('title') === undefined,
  });
  const empty = http.get(`${__ENV.BASE}/empty`);
  let emptyMessage = '';
  try {
    empty.json();
  } catch (e) {
    emptyMessage = e.message;
  }
  check(emptyMessage, { 'empty body': (m) => m === 'cannot parse json due to an error at line 1, character 0 , error: unexpected end of JSON input' });
  // A 204 has no body at all (null: k6 reads none for 1xx, 204 and 304, grafana/k6#3438).
  const noContent = http.get(`${__ENV.BASE}/status/204`);
  let noContentMessage = '';
  try {
    noContent.json();
  } catch (e) {
    noContentMessage = e.message;
  }
  check(noContentMessage, { 'a 204 has a null body': (m) => m === "the body is null so we can't transform it to JSON - this likely was because of a request error getting the response" });
  // A JSON API that answers with a typo on line 3.
  const broken = http.get(`${__ENV.BASE}/api/broken`);
  let brokenMessage = '';
  try {
    broken.json();
  } catch (e) {
    brokenMessage = e.message;
  }
  check(brokenMessage, {
    'line 3, character 11': (m) => m === "cannot parse json due to an error at line 3, character 11 , error: invalid character 'a' looking for beginning of value",
  });
  // Not caught: the iteration fails with the message in the log.
  JSON.stringify(http.get(`${__ENV.BASE}/`).json());
}
