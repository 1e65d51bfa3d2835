// Run-level tags from options.tags reach every sample, and thresholds can select them.
import http from 'k6/http';
import { Counter } from 'k6/metrics';

const mine = new Counter('my_events');

export const options = {
  iterations: 2,
  tags: { team: 'payments', env: 'staging' },
  thresholds: {
    'http_reqs{team:payments}': ['count==2'],
    'iterations{env:staging}': ['count==2'],
    'my_events{team:payments,kind:x}': ['count==2'],
  },
};

export default function () {
  http.get(`${__ENV.BASE}/`);
  mine.add(1, { kind: 'x' });
}
