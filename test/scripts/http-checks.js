// Blocking HTTP calls inside check callbacks, forEach and group, with thresholds that pass.
import http from 'k6/http';
import { check, group } from 'k6';

export const options = {
  vus: 2,
  iterations: 4,
  thresholds: {
    checks: ['rate==1'],
    http_req_failed: ['rate==0'],
    'http_reqs{name:json}': ['count==4'],
  },
};

export default function () {
  const res = http.get(`${__ENV.BASE}/`);
  check(res, { 'status is 200': (r) => r.status === 200, 'body is hello': (r) => r.body === 'hello' });
  group('nested', () => {
    ['a'].forEach(() => {
      const j = http.get(`${__ENV.BASE}/json`, { tags: { name: 'json' } });
      check(j, { 'json n is 42': (r) => r.json('n') === 42 });
    });
  });
}
