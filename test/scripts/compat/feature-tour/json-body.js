// Stampede's feature-tour script: a JSON body with its Content-Type header, the response parsed with
// JSON.parse(res.body). Run by test/engine-compat-examples.test.ts against test/scripts/public-hosts.ts.
import http from 'k6/http';
import { check } from 'k6';

export default function () {
  const payload = { sensor: 'north-7', readings: [3, 1, 4] };
  const res = http.post('http://httpbin.org/post', JSON.stringify(payload), { headers: { 'Content-Type': 'application/json' } });
  const echoed = JSON.parse(res.body).json;
  check(res, {
    'json: 200': (r) => r.status === 200,
    'json: echoed as sent': () => echoed.sensor === 'north-7' && echoed.readings.join() === '3,1,4',
  });
}
