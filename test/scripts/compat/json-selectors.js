// res.json() with GJSON paths, as documented for k6's Response.json(selector).
import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 1 };

export default function () {
  const res = http.get(`${__ENV.BASE}/api/users`);
  check(res, {
    'whole body': (r) => r.json().users.length === 2,
    'nested field': (r) => r.json('meta.page') === 1,
    'array index': (r) => r.json('users.1.name') === 'bob',
    'array length': (r) => r.json('users.#') === 2,
    'array of field': (r) => JSON.stringify(r.json('users.#.name')) === '["ann","bob"]',
    'missing path is undefined': (r) => r.json('nope.nothing') === undefined,
  });
}
