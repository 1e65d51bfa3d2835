// A first k6 script: 5 VUs for 10 seconds against a page of your own.
// Set TARGET to your system under test: stampede run -e TARGET=http://127.0.0.1:3000/ examples/quickstart.js
import http from 'k6/http';
import { check, sleep } from 'k6';

export const options = {
  vus: 5,
  duration: '10s',
  thresholds: {
    http_req_failed: ['rate<0.01'],
    http_req_duration: ['p(95)<500'],
  },
};

const TARGET = __ENV.TARGET || 'http://127.0.0.1:8060/cloud/v6/openapi';

export default function () {
  const res = http.get(TARGET);
  check(res, { 'status is 200': (r) => r.status === 200 });
  sleep(1);
}
