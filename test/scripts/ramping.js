// ramping-vus and constant-arrival-rate side by side.
import { sleep } from 'k6';

export const options = {
  scenarios: {
    ramp: { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '1s', target: 4 }, { duration: '1s', target: 0 }], gracefulRampDown: '0s' },
    rate: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '2s', preAllocatedVUs: 2, maxVUs: 5, exec: 'paced' },
  },
};

export default function () {
  sleep(0.1);
}

export function paced() {
  sleep(0.05);
}
