// The built-in k6-summary jslib: handleSummary writes textSummary to stdout and jUnit to a file.
import { check } from 'k6';
import http from 'k6/http';
import { jUnit, textSummary } from 'https://jslib.k6.io/k6-summary/0.0.2/index.js';
import { randomItem } from 'https://jslib.k6.io/k6-utils/1.2.0/index.js';

export const options = {
  vus: 1,
  iterations: 3,
  thresholds: {
    http_req_failed: ['rate<0.01'],
    http_req_duration: ['p(95)<10000'],
    http_reqs: ['count<2'],
  },
};

export default function () {
  const res = http.get(`${__ENV.BASE}${randomItem(['/', '/json'])}`);
  check(res, { 'answered': (r) => r.status > 0 });
}

export function handleSummary(data) {
  return {
    stdout: textSummary(data, { indent: ' ', enableColors: false }),
    'out/junit.xml': jUnit(data, { name: 'stampede <jslib>' }),
  };
}
