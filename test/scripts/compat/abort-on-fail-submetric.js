// abortOnFail on a submetric threshold: the run stops early with exit 99; teardown still runs.
import http from 'k6/http';
import { sleep } from 'k6';

export const options = {
  scenarios: { load: { executor: 'constant-vus', vus: 1, duration: '30s' } },
  thresholds: {
    'http_req_failed{endpoint:flaky}': [{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '1s' }],
    http_req_duration: ['p(95)<5000'],
  },
};

export default function () {
  http.get(`${__ENV.BASE}/status/503`, { tags: { endpoint: 'flaky' } });
  sleep(0.1);
}

export function teardown() {
  http.post(`${__ENV.BASE}/record`, JSON.stringify({ teardown: 'after submetric abort' }));
}
