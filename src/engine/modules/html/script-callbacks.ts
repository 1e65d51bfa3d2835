// Selection.each/map/filter/not/is call script functions once per element. Under the script transform
// a function that blocks (http.get, sleep) returns a blocking promise instead of its value; like
// `__rt.hof` does for Array.prototype.forEach/map (vu/blocking-hof.ts), the loop then continues
// asynchronously, awaiting that call and every later one in order, and the method returns a blocking
// promise of its result, which the transformed call site awaits. A loop whose callbacks never block
// stays synchronous and allocates nothing more.
//
// The blocking promises awaited here come from the script's own blocking calls, which the VU already
// races with its interrupt, so the continuation needs no race of its own (as `__rt.wrap`).
import { isBlocking, markBlocking } from '../../vu/blocking.ts';
import { isUncatchable } from '../../vu/interrupt.ts';

/** What callSkippingErrors gives for a call that threw. */
export const SKIPPED: unique symbol = Symbol('skipped');

/**
 * `call()`, or SKIPPED when it throws (synchronously, or by rejecting the blocking promise it
 * returned); an interrupt (test.abort(), the VU's stop) is not caught.
 */
export function callSkippingErrors(call: () => unknown): unknown {
  const skip = (e: unknown): typeof SKIPPED => {
    if (isUncatchable(e)) throw e;
    return SKIPPED;
  };
  try {
    const r = call();
    return isBlocking(r) ? markBlocking(r.then(undefined, skip)) : r;
  } catch (e) {
    return skip(e);
  }
}

/**
 * `call()`, with an exception it throws (synchronously, or by rejecting the blocking promise it
 * returned) replaced by `wrap(exception)`; an interrupt (test.abort(), the VU's stop) passes as it is.
 */
export function callWrappingErrors(call: () => unknown, wrap: (e: unknown) => unknown): unknown {
  const rethrow = (e: unknown): never => {
    throw isUncatchable(e) ? e : wrap(e);
  };
  try {
    const r = call();
    return isBlocking(r) ? markBlocking(r.then(undefined, rethrow)) : r;
  } catch (e) {
    return rethrow(e);
  }
}

/**
 * Calls `call(i)` for i in [0, count), hands each result to `take`, then returns `done()`; or, once a
 * call blocked, a blocking promise of `done()`. Exceptions propagate unchanged (interrupts included).
 */
export function forEachCall<T>(
  count: number,
  call: (i: number) => unknown,
  take: (i: number, result: unknown) => void,
  done: () => T,
): T | Promise<T> {
  for (let i = 0; i < count; i++) {
    const r = call(i);
    if (isBlocking(r)) return markBlocking(continueCalls(i, r, count, call, take, done));
    take(i, r);
  }
  return done();
}

async function continueCalls<T>(
  from: number,
  pending: Promise<unknown>,
  count: number,
  call: (i: number) => unknown,
  take: (i: number, result: unknown) => void,
  done: () => T,
): Promise<T> {
  take(from, await pending);
  for (let i = from + 1; i < count; i++) {
    const r = call(i);
    take(i, isBlocking(r) ? await r : r);
  }
  return done();
}
