// systemTags also governs the scenario and group tags of every sample and the check tag of checks:
// here only 'scenario' and 'status' are on, so checks and grouped requests carry no group nor check tag.
import http from 'k6/http';
import { check, group } from 'k6';

export const options = {
  scenarios: { browse: { executor: 'shared-iterations', iterations: 1, vus: 1 } },
  systemTags: ['scenario', 'status'],
};

export default function () {
  group('api', () => {
    const res = http.get(`${__ENV.BASE}/api/users/1`);
    check(res, { 'is 200': (r) => r.status === 200 });
  });
}
