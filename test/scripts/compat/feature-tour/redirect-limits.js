// Stampede's feature-tour script for redirects: the maxRedirects option stops a longer chain and
// returns the last 3xx (without k6's "Stopped after" warning, since the script asked for it); the
// per-request `redirects` param overrides it. Run by test/engine-compat-examples.test.ts against
// test/scripts/public-hosts.ts (httpbin's /relative-redirect/N: N hops, the last to /get).
import http from 'k6/http';
import { check } from 'k6';

export const options = { maxRedirects: 3 };

export default function () {
  // Four hops but three allowed: the fourth response, still a 302, is returned.
  const stopped = http.get('https://httpbin.org/relative-redirect/4');
  check(stopped, { 'chain cut: last response is the 302': (r) => r.status === 302 });

  // Two hops, and the request allows two.
  const followed = http.get('https://httpbin.org/relative-redirect/2', { redirects: 2 });
  console.log(`landed with ${followed.status}`);
  check(followed, {
    'per-request limit: 200': (r) => r.status === 200,
    'per-request limit: at /get over https': (r) => r.url === 'https://httpbin.org/get',
  });
}
