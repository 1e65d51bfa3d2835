// res.json() with GJSON queries and modifiers (k6 follows github.com/tidwall/gjson's path syntax).
import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 1 };

export default function () {
  const res = http.get(`${__ENV.BASE}/api/users`);
  check(res, {
    'first match': (r) => r.json('users.#(name=="bob").id') === 2,
    'all matches': (r) => JSON.stringify(r.json('users.#(id>=1)#.name')) === '["ann","bob"]',
    'like': (r) => r.json('users.#(name%"a*").id') === 1,
    'not like': (r) => r.json('users.#(name!%"a*").name') === 'bob',
    'nested query': (r) => JSON.stringify(r.json('users.#(roles.#(=="admin"))#.name')) === '["ann"]',
    'no match is undefined': (r) => r.json('users.#(name=="eve").id') === undefined,
    'reverse': (r) => r.json('users|@reverse|0.name') === 'bob',
    'keys': (r) => JSON.stringify(r.json('meta|@keys')) === '["page"]',
    // One runtime in k6: what json() returns is the script's own Object and Array.
    'instanceof Object': (r) => r.json() instanceof Object && Object.getPrototypeOf(r.json()) === Object.prototype,
    'instanceof Array': (r) => r.json('users') instanceof Array && r.json('users.#.name') instanceof Array,
  });
}
