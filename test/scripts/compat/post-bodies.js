// POST with JSON and form bodies, custom headers and params.tags.
import http from 'k6/http';
import { check } from 'k6';

export const options = {
  iterations: 2,
  thresholds: { 'http_reqs{type:json}': ['count==2'], 'http_reqs{type:form}': ['count==2'], 'http_reqs{method:PUT}': ['count==2'] },
};

export default function () {
  const payload = JSON.stringify({ email: 'ann@example.com', password: 'pw' });
  const res = http.post(`${__ENV.BASE}/echo`, payload, {
    headers: { 'Content-Type': 'application/json', 'X-Request-Id': `req-${__ITER}` },
    tags: { type: 'json' },
  });
  check(res, {
    'json body sent as is': (r) => JSON.parse(r.json('body')).email === 'ann@example.com',
    'custom header sent': (r) => r.json('headers.x-request-id') === `req-${__ITER}`,
    'user agent is k6': (r) => String(r.json('headers.user-agent')).startsWith('Grafana k6/'),
  });
  const form = http.post(`${__ENV.BASE}/echo`, { name: 'ann smith', tags: 'a&b' }, { tags: { type: 'form' } });
  check(form, {
    'form urlencoded': (r) => r.json('body') === 'name=ann%20smith&tags=a%26b' || r.json('body') === 'name=ann+smith&tags=a%26b',
    'form content type': (r) => r.json('contentType') === 'application/x-www-form-urlencoded',
  });
  const put = http.put(`${__ENV.BASE}/echo`, JSON.stringify({ id: 1 }), { headers: { 'Content-Type': 'application/json' } });
  check(put, { 'put method': (r) => r.json('method') === 'PUT' });
  const del = http.del(`${__ENV.BASE}/echo`);
  check(del, { 'delete method': (r) => r.json('method') === 'DELETE' });
}
