// summaryTrendStats with count and a fractional percentile, summaryTimeUnit, discardResponseBodies.
import http from 'k6/http';
import { check } from 'k6';

export const options = {
  iterations: 3,
  summaryTrendStats: ['avg', 'p(99.9)', 'count', 'max'],
  summaryTimeUnit: 'ms',
  discardResponseBodies: true,
  thresholds: { http_reqs: ['count==6'], http_req_duration: ['p(99.9)<5000'] },
};

export default function () {
  const res = http.get(`${__ENV.BASE}/api/users`);
  check(res, { 'body discarded': (r) => r.body === null });
  const kept = http.get(`${__ENV.BASE}/api/users`, { responseType: 'text' });
  check(kept, { 'responseType text keeps it': (r) => r.json('count') === 2 });
}
