// The k6-testing jslib (grafana/k6-jslib-testing), as the k6 docs use it: expect() assertions on a
// response; .not; a custom message; expect.soft() marks the test failed and goes on; softMode 'throw'
// makes a soft failure an exception; a failed hard assertion (HARD set) aborts the whole test.
import http from 'k6/http';
import { expect } from 'https://jslib.k6.io/k6-testing/0.6.1/index.js';

export const options = { iterations: 2 };

const inline = expect.configure({ display: 'inline', colorize: false });
const throwing = expect.configure({ softMode: 'throw', colorize: false });

function expectUsers(users) {
  expect(users).toHaveLength(2);
  expect(users).toContainEqual({ id: 2, name: 'bob', roles: ['dev'] });
  expect(users[0].roles).toContain('admin');
}

export default function () {
  const res = http.get(`${__ENV.BASE}/api/users`);
  expect(res.status).toBe(200);
  expect(res.headers['Content-Type']).toContain('application/json');
  expect(res.json()).toHaveProperty('meta.page', 1);
  expect(res.json().count).toBeGreaterThanOrEqual(2);
  expectUsers(res.json().users);
  expect(res.status, 'status should not be 404').not.toBe(404);

  inline.soft(res.json().count).toBeLessThan(2);
  let thrown = '';
  try {
    throwing.soft(res.json().users).not.toContainEqual({ id: 1, name: 'ann', roles: ['admin', 'dev'] });
  } catch (e) {
    thrown = e.name;
  }
  if (__ENV.HARD) {
    expect.configure({ colorize: false })(res.status, 'the API should answer 201').toBe(201);
  }
  http.post(`${__ENV.BASE}/record`, JSON.stringify({ thrown, reached: true }));
}
