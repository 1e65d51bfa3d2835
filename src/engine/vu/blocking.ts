// The mark on promises the transformed script awaits at call sites (`__t[__S] === true`). One symbol
// per process: module functions mark with it (via VuHost.block) and the runtime hands it out as `__rt.S`.
export const BLOCKING: unique symbol = Symbol('stampede.blocking');

export function markBlocking<T>(p: Promise<T>): Promise<T> {
  (p as unknown as Record<symbol, boolean>)[BLOCKING] = true;
  return p;
}

/**
 * Whether engine code must wait for `v`. An own mark only: a promise of the script's realm answers
 * `[BLOCKING]` through a getter that is for the script's call sites alone (async-prefix.ts).
 */
export function isBlocking(v: unknown): v is Promise<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && hasOwn.call(v, BLOCKING) &&
    (v as Record<symbol, unknown>)[BLOCKING] === true;
}

const hasOwn = Object.prototype.hasOwnProperty;

export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}
