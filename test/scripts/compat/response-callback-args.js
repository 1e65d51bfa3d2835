// http.expectedStatuses() arguments as the docs describe them (integers, {min, max}), the errors k6
// gives for others, and setResponseCallback(null) turning http_req_failed off.
import http from 'k6/http';
import { check } from 'k6';

export const options = {
  iterations: 1,
  thresholds: { http_req_failed: ['rate==0.5'], 'http_reqs{expected_response:true}': ['count==1'] },
};

function errorOf(fn) {
  try {
    fn();
    return '';
  } catch (e) {
    return e.message;
  }
}

export default function () {
  check(null, {
    'no argument': () => errorOf(() => http.expectedStatuses()) === 'no arguments',
    'a string status': () => errorOf(() => http.expectedStatuses(200, '201'))
      === 'argument number 2 to expectedStatuses was neither an integer nor an object like {min:100, max:329}',
    'a range of floats': () => errorOf(() => http.expectedStatuses({ min: 200, max: 299.5 })) === 'both min and max need to be integers for argument number 1',
    'a function as callback': () => errorOf(() => http.setResponseCallback((r) => r.status === 200)) === 'unsupported argument, expected http.expectedStatuses',
  });
  http.setResponseCallback(http.expectedStatuses(201, { min: 400, max: 404 }));
  http.get(`${__ENV.BASE}/status/404`); // expected
  http.get(`${__ENV.BASE}/status/200`); // not expected: failed
  http.setResponseCallback(null);
  http.get(`${__ENV.BASE}/status/500`); // no http_req_failed, no expected_response tag
}
