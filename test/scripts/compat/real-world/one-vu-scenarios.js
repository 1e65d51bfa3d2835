// Scenarios of one VU each beside a ramping one, as composed test suites write them (a smoke
// scenario, a browser check, a stress ramp): with two worker threads one of them has no VU of a
// one-VU scenario, and the progress bars must still reach 100 % (k6 runs them as one instance).
import http from 'k6/http';
import { sleep } from 'k6';

export const options = {
  scenarios: {
    smoke: { executor: 'constant-vus', vus: 1, duration: '1s', exec: 'probe' },
    steady: { executor: 'constant-arrival-rate', rate: 2, timeUnit: '1s', duration: '1s', preAllocatedVUs: 1, exec: 'probe' },
    stress: { executor: 'ramping-vus', stages: [{ duration: '1s', target: 1 }], exec: 'probe' },
  },
};

export function probe() {
  http.get(`${__ENV.BASE}/api/users`);
  sleep(0.2);
}
