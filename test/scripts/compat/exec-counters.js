// k6/execution counters as the docs use them to pick data per iteration: vu.iterationInScenario counts
// this VU's own iterations, scenario.iterationInInstance and iterationInTest the scenario's; setup and
// teardown have a VU but no scenario.
import http from 'k6/http';
import exec from 'k6/execution';
import { check, sleep } from 'k6';

export const options = {
  scenarios: {
    readers: { executor: 'per-vu-iterations', vus: 2, iterations: 3, maxDuration: '20s' },
  },
};

export function setup() {
  let scenarioError = '';
  try {
    scenarioError = exec.scenario.name;
  } catch (e) {
    scenarioError = e.message;
  }
  return { scenarioError, setupIterInScenario: exec.vu.iterationInScenario, setupVu: exec.vu.idInTest };
}

export default function (data) {
  http.post(`${__ENV.BASE}/record`, JSON.stringify({
    vu: exec.vu.idInTest,
    own: exec.vu.iterationInScenario,
    inInstance: exec.scenario.iterationInInstance,
    inTest: exec.scenario.iterationInTest,
  }));
  check(data, {
    'setup has no scenario': (d) => d.scenarioError === 'getting scenario information outside of the VU context is not supported',
    'setup VU: 0 and iteration 0': (d) => d.setupVu === 0 && d.setupIterInScenario === 0,
  });
  check(exec.vu, { 'own count equals __ITER in a single scenario': (v) => v.iterationInScenario === __ITER });
  sleep(0.05);
}
