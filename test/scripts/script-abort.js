// exec.test.abort() stops the run with exit code 108; the abort cannot be caught by the script.
import exec from 'k6/execution';

export const options = { vus: 1, iterations: 100 };

export default function () {
  try {
    exec.test.abort('stop right here');
  } catch {
    // k6's abort is not catchable: this block never runs
  }
}
