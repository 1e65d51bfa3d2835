// An abortOnFail threshold stops a 20 s test at the first evaluation (2 s); teardown still runs.
import http from 'k6/http';
import { check, sleep } from 'k6';

export const options = {
  vus: 2,
  duration: '20s',
  thresholds: { checks: [{ threshold: 'rate>0.9', abortOnFail: true }] },
};

export default function () {
  check(false, { 'always fails': (v) => v });
  sleep(0.1);
}

export function teardown() {
  http.post(`${__ENV.BASE}/record`, JSON.stringify({ teardown: 'after abort' }));
}
