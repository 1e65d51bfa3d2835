// The global object as k6 gives each VU its own runtime: globalThis.__VU, __ITER, __ENV (with a
// scenario's env), open, require and the timers are the running VU's, also through `global` (k6's
// extended mode alias). Two VUs of one worker thread check that they see their own values.
import { check, sleep } from 'k6';
import exec from 'k6/execution';

export const options = {
  scenarios: { each: { executor: 'per-vu-iterations', vus: 3, iterations: 2, env: { WHO: 'each' } } },
  thresholds: { checks: ['rate==1'] },
};

const initVu = globalThis.__VU;
const text = globalThis.open('./global-object.js');

export default function () {
  // The callback runs once the iteration's code has returned (k6's event loop), still on this VU.
  globalThis.setTimeout(() => check(globalThis, { 'the timer ran for this VU': (g) => g.__VU === __VU && g.__ITER === __ITER }), 1);
  sleep(0.01);
  check(globalThis, {
    'globalThis.__VU is this VU': (g) => g.__VU === exec.vu.idInTest && g.__VU === __VU,
    'globalThis.__ITER is this iteration': (g) => g.__ITER === __ITER && g.__ITER === exec.vu.iterationInScenario,
    "globalThis.__ENV has the scenario's env": (g) => g.__ENV.WHO === 'each' && g.__ENV === __ENV,
    'global is the same view': () => global.__VU === __VU && global.Math === Math,
    'init saw the VU and open()': () => initVu === __VU && text.includes('global object'),
    '__ENV is in globalThis, not an own key': (g) => '__ENV' in g && !Object.keys(g).includes('__ENV'),
  });
}
