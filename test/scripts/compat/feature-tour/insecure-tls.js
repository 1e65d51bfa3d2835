// Stampede's feature-tour script: the insecureSkipTLSVerify option accepts a certificate no CA
// vouches for (the stand-in's test certificate). Run by test/engine-compat-examples.test.ts.
import http from 'k6/http';
import { check } from 'k6';

export const options = { insecureSkipTLSVerify: true };

export default function () {
  check(http.get('https://httpbin.org/get'), { 'untrusted certificate accepted': (r) => r.status === 200 });
}
