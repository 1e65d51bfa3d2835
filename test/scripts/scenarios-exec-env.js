// Two scenarios with their own exec function, env and tags.
import { check } from 'k6';
import exec from 'k6/execution';

export const options = {
  scenarios: {
    alpha: { executor: 'per-vu-iterations', vus: 2, iterations: 3, exec: 'alpha', env: { WHO: 'a' }, tags: { team: 'red' } },
    beta: { executor: 'shared-iterations', vus: 2, iterations: 5, exec: 'beta', env: { WHO: 'b' } },
  },
};

export function alpha() {
  check(__ENV.WHO, { 'alpha sees its env': (w) => w === 'a' && exec.scenario.name === 'alpha' });
}

export function beta() {
  check(__ENV.WHO, { 'beta sees its env': (w) => w === 'b' && __ENV.FROM_CLI === 'yes' });
}
