// systemTags without 'group': checks and samples carry no group tag. k6 attributes checks to groups
// from that tag: its end-of-test summary (internal/output/summary) still lists every check among the
// total results (it counts checks by their check tag alone), but shows no group section, and the
// root_group of handleSummary()'s data and --summary-export (lib.GroupSummary, which skips samples
// without a group tag) has neither groups nor checks.
import http from 'k6/http';
import { check, group } from 'k6';

export const options = {
  iterations: 2,
  systemTags: ['check', 'status', 'scenario'],
  thresholds: { checks: ['rate==1'] },
};

export default function () {
  group('api', () => {
    const res = http.get(`${__ENV.BASE}/api/users/1`);
    check(res, { 'user is 200': (r) => r.status === 200 });
  });
  check(null, { 'outside any group': () => true });
}
