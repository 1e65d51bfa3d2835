// Stampede's feature-tour script: an HTTPS request negotiates HTTP/2 by ALPN and res.proto says so.
// Run by test/engine-compat-examples.test.ts against test/scripts/public-hosts.ts.
import http from 'k6/http';
import { check } from 'k6';

export default function () {
  const res = http.get('https://quickpizza.grafana.com/');
  check(res, {
    'h2: 200': (r) => r.status === 200,
    'h2: proto is HTTP/2.0': (r) => r.proto === 'HTTP/2.0',
  });
}
