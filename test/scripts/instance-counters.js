// k6/execution's instance counters cover every worker thread of the instance.
import http from 'k6/http';
import exec from 'k6/execution';

export const options = { scenarios: { each: { executor: 'per-vu-iterations', vus: 4, iterations: 3 } } };

export default function () {}

export function teardown() {
  http.post(`${__ENV.BASE}/record`, JSON.stringify({
    completed: exec.instance.iterationsCompleted,
    initialized: exec.instance.vusInitialized,
  }));
}
