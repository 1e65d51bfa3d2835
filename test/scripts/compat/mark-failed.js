// exec.test.fail() without a message in a smoke test that otherwise passes: exit 110 after all
// iterations, logged with k6's reason text.
import exec from 'k6/execution';
import { check } from 'k6';

export const options = { iterations: 3, thresholds: { checks: ['rate==1'] } };

export default function () {
  const ok = check(exec.scenario.iterationInTest, { 'not the second': (n) => n !== 1 });
  if (!ok) exec.test.fail();
}
