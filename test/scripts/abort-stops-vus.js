// exec.test.abort() in one VU stops the others at once, as k6's cancelled run context does: VU 2
// (started after VU 1, as k6 hands out VUs) aborts in its first iteration while VU 1 sleeps in its
// own; neither starts another iteration.
import exec from 'k6/execution';
import { sleep } from 'k6';

export const options = { scenarios: { a: { executor: 'constant-vus', vus: 2, duration: '10s' } } };

export default function () {
  console.log(`vu ${exec.vu.idInTest} iteration ${exec.vu.iterationInScenario} started`);
  if (exec.vu.idInTest === 2) exec.test.abort('stop');
  sleep(2);
}
