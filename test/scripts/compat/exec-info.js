// k6/execution: unique iterationInTest, vu.metrics.tags on samples, test.options, vu ids.
import http from 'k6/http';
import exec from 'k6/execution';
import { check } from 'k6';
import { Counter } from 'k6/metrics';

const seen = new Counter('seen_iterations');

export const options = {
  scenarios: {
    pool: { executor: 'shared-iterations', vus: 3, iterations: 9, maxDuration: '20s' },
  },
  thresholds: { 'http_reqs{step:even}': ['count==5'], 'http_reqs{step:odd}': ['count==4'] },
};

export default function () {
  const n = exec.scenario.iterationInTest;
  exec.vu.metrics.tags.step = n % 2 === 0 ? 'even' : 'odd';
  http.post(`${__ENV.BASE}/record`, JSON.stringify({ n, vu: exec.vu.idInTest }));
  seen.add(1);
  delete exec.vu.metrics.tags.step;
  check(exec.test.options, {
    'options has the scenario': (o) => o.scenarios.pool.executor === 'shared-iterations' && o.scenarios.pool.iterations === 9,
    'options has thresholds': (o) => Array.isArray(o.thresholds['http_reqs{step:even}']),
    'options in their JSON shape': (o) => o.setupTimeout === null && o.scenarios.pool.maxDuration === '20s' && o.consoleOutput === null && o.vus === undefined,
    'options deeply frozen': (o) => Object.isFrozen(o) && Object.isFrozen(o.scenarios.pool),
    'vu id matches __VU': () => exec.vu.idInInstance === __VU && exec.vu.iterationInInstance === __ITER,
    'progress in range': () => exec.scenario.progress >= 0 && exec.scenario.progress <= 1,
    'tag removed': () => exec.vu.metrics.tags.step === undefined,
  });
}
