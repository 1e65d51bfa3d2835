// Stampede's feature-tour script for HTTP Digest auth (auth: 'digest' with credentials in the URL):
// k6 answers the 401 challenge with a second request, and that 401 is expected (not a failed
// request). Run by test/engine-compat-examples.test.ts against test/scripts/public-hosts.ts.
import http from 'k6/http';
import { check } from 'k6';

export default function () {
  const res = http.get('http://warden:moss-and-stone@httpbin.org/digest-auth/auth/warden/moss-and-stone', { auth: 'digest' });
  const body = res.status === 200 ? res.json() : {};
  check(body, {
    'digest: answered 200 after the challenge': () => res.status === 200,
    'digest: authenticated': (b) => b.authenticated === true,
    'digest: as warden': (b) => b.user === 'warden',
  });
}
