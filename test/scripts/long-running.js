// A long constant-vus test that the test harness interrupts (SIGINT-like user abort).
import http from 'k6/http';
import { sleep } from 'k6';

export const options = { vus: 2, duration: '30s' };

export default function () {
  // The harness aborts once an iteration is known to run (not at a fixed time: setup may be slow).
  if (__VU === 1 && __ITER === 0) http.post(`${__ENV.BASE}/record`, JSON.stringify({ iteration: 'running' }));
  sleep(0.05);
}

export function teardown() {
  http.post(`${__ENV.BASE}/record`, JSON.stringify({ teardown: 'ran after user abort' }));
}
