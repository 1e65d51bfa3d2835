// Threshold syntax as people write it: spaces, ===/!=, quoted submetric values (k6 splits on every
// comma, quoted or not), metrics that never
// got a sample (checked once more at the end with empty values).
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';

const never = new Trend('never_trend');
const neverRate = new Rate('never_rate');
const neverCount = new Counter('never_count');
const named = new Counter('named_things');

export const options = {
  iterations: 2,
  thresholds: {
    http_req_duration: ['p(95) < 5000', 'max <= 5000', 'min >= 0'],
    http_reqs: ['count === 2', 'count != 3'],
    'named_things{label:"a b"}': ['count==2'],
    "named_things{label:'c:d'}": ['count==2'],
    'named_things{ label : e }': ['count==2'],
    never_trend: ['p(95)<1', 'avg==0'],
    never_rate: ['rate>0.5'],
    never_count: ['count==0', 'count>0'],
  },
};

export default function () {
  http.get(`${__ENV.BASE}/`);
  named.add(1, { label: 'a b' });
  named.add(1, { label: 'c:d' });
  named.add(1, { label: 'e' });
  if (__ENV.NEVER) {
    never.add(1);
    neverRate.add(1);
    neverCount.add(1);
  }
}
