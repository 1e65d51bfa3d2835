// __ENV defaults in options and code, the common `__ENV.X || default` pattern.
import http from 'k6/http';
import { check } from 'k6';

const BASE = __ENV.BASE || 'http://127.0.0.1:1';
const VUS = parseInt(__ENV.VUS || '1', 10);

export const options = { vus: VUS, iterations: parseInt(__ENV.ITERATIONS || '3', 10) };

export default function () {
  const res = http.get(`${BASE}/echo?who=${__ENV.WHO || 'nobody'}`);
  check(res, { 'who from env': (r) => r.json('query.who') === (__ENV.EXPECT_WHO || 'nobody') });
}
