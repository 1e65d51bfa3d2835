// setResponseCallback(expectedStatuses(...)) decides http_req_failed and the expected_response tag.
import http from 'k6/http';

http.setResponseCallback(http.expectedStatuses({ min: 200, max: 399 }, 404));

export const options = {
  iterations: 1,
  thresholds: {
    http_req_failed: ['rate==0.25'],
    'http_reqs{expected_response:true}': ['count==3'],
    'http_req_failed{status:500}': ['rate==0.5'],
  },
};

export default function () {
  http.get(`${__ENV.BASE}/status/302`, { redirects: 0 });
  http.get(`${__ENV.BASE}/status/404`);
  http.get(`${__ENV.BASE}/status/500`);
  http.get(`${__ENV.BASE}/status/500`, { responseCallback: http.expectedStatuses(500) });
}
