// systemTags limits the built-in tags on samples; a name tag also replaces the url tag; 4xx/5xx
// responses carry error_code 1000+status.
import http from 'k6/http';

export const options = {
  iterations: 1,
  systemTags: ['status', 'method', 'name', 'url', 'error_code', 'expected_response'],
  thresholds: { 'http_reqs{error_code:1404}': ['count==1'], 'http_reqs{url:named}': ['count==1'] },
};

export default function () {
  http.get(`${__ENV.BASE}/status/404`);
  http.get(`${__ENV.BASE}/api/users/1?secret=1`, { tags: { name: 'named' } });
}
