// constant-arrival-rate: iteration k starts at k × 100 ms; with free VUs nothing is dropped.
import { sleep } from 'k6';

export const options = {
  scenarios: { paced: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '2s', preAllocatedVUs: 2, maxVUs: 4 } },
};

export default function () {
  sleep(0.01);
}
