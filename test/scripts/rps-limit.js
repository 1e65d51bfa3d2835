// `rps` caps HTTP requests per second for the whole instance: 10 VUs over 2 worker threads, 20 rps for
// 2 s make about 40 requests however fast the target answers. setup's request shares the bucket.
import http from 'k6/http';

export const options = {
  rps: 20,
  scenarios: { flood: { executor: 'constant-vus', vus: 10, duration: '2s', gracefulStop: '0s' } },
};

export function setup() {
  http.get(`${__ENV.BASE}/`);
}

export default function () {
  http.get(`${__ENV.BASE}/`);
}
