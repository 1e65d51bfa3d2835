// http.url tagged templates group dynamic URLs under one name tag.
import http from 'k6/http';
import { check } from 'k6';

export const options = {
  iterations: 2,
  thresholds: {
    // Every interpolated value becomes ${}, the base URL too.
    'http_reqs{name:${}/api/users/${}}': ['count==4'],
    'http_reqs{name:UserById}': ['count==2'],
  },
};

export default function () {
  for (const id of [1, 2]) {
    const res = http.get(http.url`${__ENV.BASE}/api/users/${id}`);
    check(res, { 'user found': (r) => r.status === 200 && r.json('id') === id });
  }
  const explicit = http.get(`${__ENV.BASE}/api/users/1?x=${__ITER}`, { tags: { name: 'UserById' } });
  check(explicit, { 'name tag is kept': (r) => r.request.url.includes('?x=') });
}
