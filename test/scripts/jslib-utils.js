// The built-in k6-utils jslib (no archive, no network): random helpers, findBetween, stages and the
// stage tags of a ramping-vus scenario.
import { check, randomSeed, sleep } from 'k6';
import http from 'k6/http';
import {
  check as checkMaybeAsync, findBetween, getCurrentStageIndex, normalDistributionStages, randomIntBetween, randomItem, randomString,
  tagWithCurrentStageIndex, tagWithCurrentStageProfile, uuidv4,
} from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';

export const options = {
  scenarios: {
    ramp: {
      executor: 'ramping-vus', startVUs: 1, gracefulRampDown: '0s',
      stages: [{ duration: '1s', target: 1 }, { duration: '1s', target: 1 }, { duration: '1s', target: 2 }],
    },
  },
  thresholds: {
    'http_reqs{stage:0}': ['count>0'],
    'http_reqs{stage:1}': ['count>0'],
    'http_reqs{stage:2}': ['count>0'],
    'http_reqs{stage_profile:steady}': ['count>0'],
    'http_reqs{stage_profile:ramp-up}': ['count>0'],
  },
};

export function setup() {
  randomSeed(7);
  const a = randomString(12);
  randomSeed(7);
  const b = randomString(12);
  const many = findBetween('<a>1</a> <a>2</a> <a>3', '<a>', '</a>', true);
  const ints = [];
  for (let i = 0; i < 200; i++) ints.push(randomIntBetween(3, 5));
  http.post(`${__ENV.BASE}/record`, JSON.stringify({
    seeded: a === b,
    str: randomString(16, 'xy'),
    defaultStr: randomString(5),
    item: randomItem(['only']),
    ints: [Math.min(...ints), Math.max(...ints)],
    uuid: uuidv4(),
    secureUuid: uuidv4(true),
    one: findBetween('<a>1</a><a>2</a>', '<a>', '</a>'),
    many,
    manyIsArray: Array.isArray(many) && many instanceof Array,
    none: findBetween('abc', '<', '>'),
    stages: normalDistributionStages(10, 60, 4),
  }));
}

export default async function () {
  tagWithCurrentStageIndex();
  tagWithCurrentStageProfile();
  check(getCurrentStageIndex(), { 'stage index in range': (i) => i >= 0 && i <= 2 });
  http.get(`${__ENV.BASE}/`);
  if (__VU === 1 && __ITER === 0) {
    const sync = checkMaybeAsync(1, { 'jslib sync': (v) => v === 1, 'jslib plain value': true });
    const pending = checkMaybeAsync(Promise.resolve(2), { 'jslib promise value': (v) => v === 2, 'jslib async checker': async (v) => v === 2 });
    const blocking = checkMaybeAsync(null, { 'jslib blocking checker': () => http.get(`${__ENV.BASE}/json`).json('n') === 42 });
    const failing = checkMaybeAsync(3, { 'jslib failing': (v) => v === 4 });
    http.post(`${__ENV.BASE}/record`, JSON.stringify({
      sync, pendingIsThenable: typeof pending.then === 'function', pending: await pending, blocking, failing,
    }));
  }
  sleep(0.25);
}
