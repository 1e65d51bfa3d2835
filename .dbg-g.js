import { sleep } from 'k6';
export const options = { scenarios: { a: { executor: 'per-vu-iterations', vus: 2, iterations: 2, env: { X: 'scen' } } } };
globalThis.shared = 1;
export default () => {
  console.log(globalThis.__VU, globalThis.__ITER, global.__VU, globalThis.__ENV.X, typeof globalThis.setTimeout, typeof globalThis.open, 'shared' in globalThis, globalThis.shared, typeof global.Math.max, '__ENV' in globalThis);
  globalThis.setTimeout(() => console.log('timer of', __VU), 10);
  sleep(0.05);
};
