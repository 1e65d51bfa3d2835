// Iteration-based executors that run out of maxDuration: the work never started is reported as
// dropped_iterations (k6: total − attempted for shared-iterations, the rest of each VU's quota for
// per-vu-iterations); an iteration cut by gracefulStop is interrupted, not counted.
import { sleep } from 'k6';

export const options = {
  scenarios: {
    shared: { executor: 'shared-iterations', vus: 1, iterations: 100, maxDuration: '1s', gracefulStop: '0s' },
    perVu: { executor: 'per-vu-iterations', vus: 2, iterations: 50, maxDuration: '1s', gracefulStop: '0s' },
  },
  // Thresholds that always pass, the usual way to get per-scenario lines in the summary.
  thresholds: {
    'iterations{scenario:shared}': ['count>=0'],
    'iterations{scenario:perVu}': ['count>=0'],
    'dropped_iterations{scenario:shared}': ['count>=0'],
    'dropped_iterations{scenario:perVu}': ['count>=0'],
  },
};

export default function () {
  sleep(0.3);
}
