// An exception thrown after blocking calls: the log lists all its callers, outermost last, as k6's
// does (the group and check callbacks, the helpers, the default function), not only the function
// that resumed.
import http from 'k6/http';
import { check, group, sleep } from 'k6';

export const options = { vus: 1, iterations: 1 };

function fetchAndFail(url) {
  http.get(url);
  throw new Error('failed after a request');
}

function step() {
  sleep(0.01);
  return fetchAndFail(`${__ENV.BASE}/`);
}

export default function () {
  group('flow', () => {
    check(null, { 'runs the step': () => step() });
  });
}
