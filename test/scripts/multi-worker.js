// Spread over several worker threads: exact iteration counts, and __VU unique across threads.
import http from 'k6/http';

export const options = { scenarios: { each: { executor: 'per-vu-iterations', vus: 4, iterations: 3 } } };

export default function () {
  if (__ITER === 0) http.post(`${__ENV.BASE}/record`, JSON.stringify({ vu: __VU }));
}
