// A group and a named scenario: the full summary mode adds a section for each.
import { check, group } from 'k6';

export const options = { scenarios: { browse: { executor: 'per-vu-iterations', vus: 1, iterations: 2 } } };

export default function () {
  group('api', () => {
    check(1, { 'one is one': (v) => v === 1 });
  });
}
