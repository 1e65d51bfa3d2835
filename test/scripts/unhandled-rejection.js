// An unhandled promise rejection fails the iteration like a thrown exception (k6's event loop): it is
// logged "Uncaught (in promise) …", what the iteration still had pending is dropped, the iteration
// counts, and the VU goes on with its next one. A handled rejection is no error.
import { Counter } from 'k6/metrics';

export const options = { vus: 1, iterations: 3 };

const timersRun = new Counter('timers_after_rejection');

export default function () {
  Promise.reject(new Error('handled rejection')).catch(() => {});
  if (__ITER === 0) {
    Promise.reject(new Error('iteration rejection'));
    // Dropped with the failed iteration, as k6 drops the rest of its event loop.
    setTimeout(() => timersRun.add(1), 200);
  }
  if (__ITER === 1) {
    (async () => {
      await null;
      throw new Error('async function rejection');
    })();
  }
}
