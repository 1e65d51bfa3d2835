// check() with a mix of passing and failing conditions, non-function values and tags.
import http from 'k6/http';
import { check } from 'k6';

export const options = { vus: 1, iterations: 3, thresholds: { checks: ['rate>0.5'], 'checks{area:body}': ['rate==1'] } };

export default function () {
  const res = http.get(`${__ENV.BASE}/api/users/2`);
  const all = check(res, {
    'status is 200': (r) => r.status === 200,
    'name is bob': (r) => r.json('name') === 'bob',
    'is slow (never)': (r) => r.timings.duration > 60000,
    'plain true value': true,
  });
  check(res, { 'body mentions bob': (r) => r.body.includes('bob') }, { area: 'body' });
  if (all) throw new Error('check() must return false when one condition fails');
}
