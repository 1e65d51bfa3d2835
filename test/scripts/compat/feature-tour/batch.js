// Stampede's feature-tour script for http.batch with plain URL strings over HTTPS: responses come
// back in the order asked. Run by test/engine-compat-examples.test.ts against test/scripts/public-hosts.ts.
import http from 'k6/http';
import { check } from 'k6';

export default function () {
  const [home, pi] = http.batch(['https://quickpizza.grafana.com/', 'https://quickpizza.grafana.com/pi.php']);
  check(home, { 'batch: first is the home page': (r) => r.status === 200 && r.body.includes('QuickPizza') });
  check(pi, {
    'batch: second answered 200': (r) => r.status === 200,
    'batch: second body is exactly 3.14': (r) => r.body === '3.14',
  });
}
