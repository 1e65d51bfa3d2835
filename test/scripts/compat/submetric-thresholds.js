// Thresholds on submetrics: expected_response, status, group, method, name and a check's own tag.
import http from 'k6/http';
import { check, group } from 'k6';

export const options = {
  iterations: 4,
  thresholds: {
    'http_req_duration{expected_response:true}': ['p(95)<2000', 'max<5000'],
    'http_reqs{expected_response:false}': ['count==4'],
    'http_reqs{status:404}': ['count==4'],
    'http_req_duration{group:::api}': ['avg<2000'],
    'http_reqs{group:::api::users}': ['count==8'],
    'http_reqs{method:POST}': ['count==4'],
    'checks{myTag:hello}': ['rate==1'],
    'checks{myTag:broken}': ['rate==0'],
    'group_duration{group:::api::users}': ['max<5000'],
  },
};

export default function () {
  group('api', () => {
    http.post(`${__ENV.BASE}/echo`, 'x');
    group('users', () => {
      const ok = http.get(`${__ENV.BASE}/api/users/1`);
      const missing = http.get(`${__ENV.BASE}/api/users/9`);
      check(ok, { 'user 1 found': (r) => r.status === 200 }, { myTag: 'hello' });
      check(missing, { 'user 9 found': (r) => r.status === 200 }, { myTag: 'broken' });
    });
  });
}
