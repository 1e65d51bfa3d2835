// Correlation the way recorder-generated scripts do it: jsonpath queries on a response's JSON
// (https://jslib.k6.io/jsonpath/1.0.2/index.js, served built in), the next request built from them.
import http from 'k6/http';
import { check } from 'k6';
import jsonpath from 'https://jslib.k6.io/jsonpath/1.0.2/index.js';

export const options = { iterations: 1, thresholds: { checks: ['rate==1'] } };

export default function () {
  const list = http.get(`${__ENV.BASE}/api/users`).json();
  const ids = jsonpath.query(list, '$.users[*].id');
  const devs = jsonpath.query(list, '$..users[?(@.id > 1 && @.name != "ann")].name');
  const firstId = jsonpath.value(list, '$.users[0].id');
  const paths = jsonpath.paths(list, '$.meta.page');
  const nodes = jsonpath.nodes(list, '$.users[1].roles[0]');
  const user = http.get(`${__ENV.BASE}/api/users/${firstId}`).json();
  check(ids, {
    'every id, as a script array': (v) => Array.isArray(v) && v instanceof Array && v.join() === '1,2',
    'a filter expression selects by the fields of each element': () => devs.length === 1 && devs[0] === 'bob',
    'value() gives the first match, and the next request used it': () => firstId === 1 && user.name === 'ann',
    'paths() and nodes() give path components': () =>
      JSON.stringify(paths) === '[["$","meta","page"]]' && nodes[0].value === 'dev' && nodes[0].path.join('.') === '$.users.1.roles.0',
    'value() sets a value and parse/stringify round-trip': () => {
      jsonpath.value(list, '$.meta.page', 2);
      return list.meta.page === 2 && jsonpath.stringify(jsonpath.parse('$.users[*].id')) === '$.users[*].id';
    },
  });
}
