// handleSummary with textSummary from the jslib URL, writing a JSON file as the k6 docs show.
import http from 'k6/http';
import { check } from 'k6';
import { textSummary } from 'https://jslib.k6.io/k6-summary/0.0.2/index.js';

export const options = {
  vus: 1,
  iterations: 2,
  thresholds: { http_req_duration: ['p(95)<5000'], checks: ['rate==1'] },
};

export default function () {
  check(http.get(`${__ENV.BASE}/`), { 'home ok': (r) => r.status === 200 });
}

export function handleSummary(data) {
  return {
    stdout: textSummary(data, { indent: ' ', enableColors: false }),
    'results/summary.json': JSON.stringify(data),
  };
}
