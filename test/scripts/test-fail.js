// exec.test.fail() marks the run failed (exit 110) but it runs to the end.
import exec from 'k6/execution';

export const options = { iterations: 3 };

export default function () {
  if (__ITER === 0) exec.test.fail('first iteration says no');
}
