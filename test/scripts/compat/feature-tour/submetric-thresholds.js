// Stampede's feature-tour script for thresholds: one on a whole metric and one on the submetric of
// the `name` tag, which defaults to the request's URL. Run by test/engine-compat-examples.test.ts
// against test/scripts/public-hosts.ts; both pass, so the exit code is 0.
import http from 'k6/http';

export const options = {
  thresholds: {
    http_req_duration: ['p(90)<800'],
    'http_req_duration{name:http://httpbin.org/put}': ['max<2000'],
  },
};

export default function () {
  http.get('http://httpbin.org/headers');
  http.put('http://httpbin.org/put', { shelf: 'top' });
}
