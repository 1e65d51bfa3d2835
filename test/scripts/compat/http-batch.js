// http.batch with every request form the docs show: URL strings, arrays, objects, and a named map.
import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 1, thresholds: { 'http_reqs{batch:yes}': ['count==3'] } };

export default function () {
  const B = __ENV.BASE;
  const list = http.batch([
    `${B}/api/users/1`,
    ['GET', `${B}/api/users/2`, null, { tags: { batch: 'yes' } }],
    ['POST', `${B}/echo`, { a: '1', b: 'two' }, { tags: { batch: 'yes' } }],
    { method: 'GET', url: `${B}/status/404`, params: { tags: { batch: 'yes' } } },
  ]);
  check(list, {
    'four responses in order': (r) => r.length === 4 && r[0].json('name') === 'ann' && r[1].json('name') === 'bob',
    'form body from object': (r) => r[2].json('body') === 'a=1&b=two' && r[2].json('contentType') === 'application/x-www-form-urlencoded',
    'status 404 kept': (r) => r[3].status === 404,
  });
  const named = http.batch({
    users: { method: 'GET', url: `${B}/api/users` },
    home: `${B}/`,
  });
  check(named, {
    'named responses': (r) => r.users.json('count') === 2 && r.home.status === 200,
  });
}
