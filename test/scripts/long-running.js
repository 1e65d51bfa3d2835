// A long constant-vus test that the test harness interrupts (SIGINT-like user abort).
import http from 'k6/http';
import { sleep } from 'k6';

export const options = { vus: 2, duration: '30s' };

export default function () {
  sleep(0.05);
}

export function teardown() {
  http.post(`${__ENV.BASE}/record`, JSON.stringify({ teardown: 'ran after user abort' }));
}
