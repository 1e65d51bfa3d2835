// A failing threshold makes the run exit 99 at the end.
import http from 'k6/http';

export const options = {
  iterations: 3,
  thresholds: { http_req_failed: ['rate<0.1'], http_req_duration: ['p(95)<60000'] },
};

export default function () {
  http.get(`${__ENV.BASE}/status/500`);
}
