// k6-reporter's htmlReport in handleSummary, as countless scripts write it: an HTML page beside the text
// summary. Stampede serves its own report for the bundle's URL (no download).
import http from 'k6/http';
import { check, group } from 'k6';
import { Counter } from 'k6/metrics';
import { htmlReport } from 'https://raw.githubusercontent.com/benc-uk/k6-reporter/main/dist/bundle.js';
import { htmlReport as pinned } from 'https://raw.githubusercontent.com/benc-uk/k6-reporter/2.4.0/dist/bundle.js';
import { textSummary } from 'https://jslib.k6.io/k6-summary/0.0.2/index.js';

const orders = new Counter('orders_placed');

export const options = {
  iterations: 2,
  thresholds: { http_req_duration: ['p(95)<5000'], 'orders_placed': ['count>5'] },
};

export default function () {
  group('shop & "basket"', () => {
    check(http.get(`${__ENV.BASE}/api/users`), { 'users listed': (r) => r.status === 200 });
    check(http.get(`${__ENV.BASE}/status/404`), { 'missing <b>page</b> found': (r) => r.status === 200 });
  });
  orders.add(1);
}

export function handleSummary(data) {
  return {
    'report.html': htmlReport(data, { title: 'Checkout <nightly>' }),
    'pinned.html': pinned(data),
    stdout: textSummary(data, { enableColors: false }),
  };
}
