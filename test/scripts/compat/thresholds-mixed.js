// Several threshold expressions per metric, some failing: exit 99, the failing ones marked.
import http from 'k6/http';
import { check } from 'k6';
import { Rate } from 'k6/metrics';

const errors = new Rate('errors');

export const options = {
  iterations: 4,
  thresholds: {
    http_req_duration: ['p(90)<4000', 'p(99.9)<5000', 'avg<0'],
    errors: ['rate<0.1'],
    checks: ['rate>0.4'],
    http_reqs: ['count>=4', 'rate>0'],
    iteration_duration: ['med<10000'],
  },
};

export default function () {
  const res = http.get(`${__ENV.BASE}/status/${__ITER % 2 === 0 ? 200 : 500}`);
  errors.add(res.status !== 200);
  check(res, { 'status 200': (r) => r.status === 200 });
}
