// A user journey: form login (cookie set by the server), token from JSON, authorised call.
import http from 'k6/http';
import { check, fail, group } from 'k6';

export const options = { vus: 1, iterations: 2, thresholds: { checks: ['rate==1'] } };

export default function () {
  let token;
  group('login', () => {
    const res = http.post(`${__ENV.BASE}/login`, { user: 'ann', password: 'secret' });
    if (!check(res, { 'logged in': (r) => r.status === 200 })) fail('login failed');
    token = res.json('token');
  });
  group('profile', () => {
    const res = http.get(`${__ENV.BASE}/me`, { headers: { Authorization: `Bearer ${token}` } });
    check(res, { 'session cookie and token accepted': (r) => r.status === 200 });
  });
  const bad = http.post(`${__ENV.BASE}/login`, { user: 'ann', password: 'wrong' });
  check(bad, { 'wrong password refused': (r) => r.status === 401 });
}
