// Nested groups with checks, group return values and group_duration.
import http from 'k6/http';
import { check, group } from 'k6';

export const options = { iterations: 2 };

export default function () {
  const total = group('shop', () => {
    group('browse', () => {
      const res = http.get(`${__ENV.BASE}/api/users`);
      check(res, { 'listed users': (r) => r.json('count') === 2 });
    });
    return group('checkout', () => {
      const res = http.post(`${__ENV.BASE}/echo`, JSON.stringify({ qty: 2 }), { headers: { 'Content-Type': 'application/json' } });
      check(res, { 'order echoed': (r) => JSON.parse(r.json('body')).qty === 2 });
      return 2;
    });
  });
  check(total, { 'group returns its value': (v) => v === 2 });
}
