// A scenario and groups, for k6's --summary-mode=full layout (a section per group and per scenario).
import http from 'k6/http';
import { check, group } from 'k6';

export const options = {
  scenarios: { shoppers: { executor: 'per-vu-iterations', vus: 1, iterations: 2 } },
};

export default function () {
  group('catalog', () => {
    check(http.get(`${__ENV.BASE}/api/users`), { 'catalog listed': (r) => r.status === 200 });
  });
  check(http.get(`${__ENV.BASE}/`), { 'home page': (r) => r.status === 200 });
}
