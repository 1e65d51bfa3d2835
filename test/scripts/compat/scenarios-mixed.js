// Several scenarios with their own executors, exec functions, tags and env, as in k6's scenarios docs.
import http from 'k6/http';
import { check, sleep } from 'k6';
import exec from 'k6/execution';

export const options = {
  scenarios: {
    browse: { executor: 'shared-iterations', vus: 2, iterations: 6, exec: 'browse', tags: { flow: 'browse' } },
    api: { executor: 'per-vu-iterations', vus: 2, iterations: 3, exec: 'api', env: { PAGE: '2' }, startTime: '200ms' },
    steady: { executor: 'constant-vus', vus: 1, duration: '1s', exec: 'steady', gracefulStop: '0s' },
  },
  thresholds: {
    'iterations{scenario:browse}': ['count==6'],
    'iterations{scenario:api}': ['count==6'],
    'http_reqs{flow:browse}': ['count==6'],
    'checks{scenario:api}': ['rate==1'],
  },
};

export function browse() {
  const res = http.get(`${__ENV.BASE}/`);
  check(res, { 'home is 200': (r) => r.status === 200 });
}

export function api() {
  const res = http.get(`${__ENV.BASE}/echo?page=${__ENV.PAGE}`);
  check(res, {
    'page from scenario env': (r) => r.json('query.page') === '2',
    'scenario name': () => exec.scenario.name === 'api' && exec.scenario.executor === 'per-vu-iterations',
  });
}

export function steady() {
  http.get(`${__ENV.BASE}/delay/50`);
  sleep(0.2);
}
