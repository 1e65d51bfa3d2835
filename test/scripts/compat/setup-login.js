// setup() logs in once and hands the token to every iteration; teardown gets it too.
import http from 'k6/http';
import { check } from 'k6';

export const options = { vus: 2, iterations: 4, thresholds: { 'http_reqs{group:::setup}': ['count==1'] } };

export function setup() {
  const res = http.post(`${__ENV.BASE}/login`, { user: 'ann', password: 'secret' });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return { token: res.json('token'), session: res.cookies.session[0].value };
}

export default function (data) {
  const res = http.get(`${__ENV.BASE}/me`, {
    headers: { Authorization: `Bearer ${data.token}` },
    cookies: { session: data.session },
  });
  check(res, { 'authorised': (r) => r.status === 200 && r.json('name') === 'ann' });
}

export function teardown(data) {
  http.post(`${__ENV.BASE}/record`, JSON.stringify({ teardownToken: data.token }));
}
