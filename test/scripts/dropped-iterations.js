// One VU that takes 350 ms per iteration cannot keep up with 10 iterations/s: the rest is dropped.
import { sleep } from 'k6';

export const options = {
  scenarios: { starved: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '1s', preAllocatedVUs: 1, maxVUs: 1 } },
};

export default function () {
  sleep(0.35);
}
