// Request errors: a refused connection and a timeout give k6's error codes and status 0, and count
// as failed requests; the iteration carries on.
import http from 'k6/http';
import { check } from 'k6';

export const options = {
  iterations: 1,
  thresholds: { http_req_failed: ['rate==1'], 'http_reqs{error_code:1212}': ['count==1'], 'http_reqs{error_code:1050}': ['count==1'] },
};

export default function () {
  const refused = http.get('http://127.0.0.1:1/');
  const slow = http.get(`${__ENV.BASE}/delay/2000`, { timeout: '200ms' });
  check(null, {
    'refused: status 0 and code 1212': () => refused.status === 0 && refused.error_code === 1212,
    'timeout: code 1050': () => slow.status === 0 && slow.error_code === 1050 && slow.error.includes('timeout'),
  });
}
