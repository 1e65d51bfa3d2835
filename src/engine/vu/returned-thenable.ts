// What a wrapped function returned after it blocked, when that is a promise (or any thenable). The
// function's blocking promise must not adopt it: in k6, `function f() { http.get(u); return p; }`
// gives its caller `p` itself, so `f().then(…)` works. The blocking promise resolves to this box
// instead, and every place that resumes script code with a blocking promise's value unboxes it
// (driveGenerator, `__UB` at an async function's waiting call site, the VU's call of an exported
// function, the callbacks of blocking-hof.ts).
import { isThenable } from './blocking.ts';

export class ReturnedThenable {
  constructor(readonly value: PromiseLike<unknown>) {}
}

/** The value a wrapped function's generator returned, boxed when it is a thenable. */
export function boxReturned(v: unknown): unknown {
  return isThenable(v) ? new ReturnedThenable(v) : v;
}

export function unboxReturned(v: unknown): unknown {
  return v instanceof ReturnedThenable ? v.value : v;
}
