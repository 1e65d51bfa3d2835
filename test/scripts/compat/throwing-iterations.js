// Some iterations throw (and fail()): they are still counted, later checks in them don't run.
import { check, fail } from 'k6';
import exec from 'k6/execution';

export const options = { vus: 1, iterations: 6 };

export default function () {
  const n = exec.scenario.iterationInTest;
  if (n % 3 === 1) throw new Error(`boom in iteration ${n}`);
  if (n % 3 === 2) fail(`failed iteration ${n}`);
  check(n, { 'reached the end': () => true });
}
