// Control-flow errors the VU runtime throws through user code. They must never be swallowed by a
// script's try/catch: the transform starts every catch block with `__rt.caught(e)`, which rethrows them.

export type InterruptCause = 'interrupted' | 'aborted' | 'timeout';

/** The VU's current call was stopped from outside (gracefulStop, test abort, hard stop, timeout). */
export class VuInterrupt extends Error {
  readonly reason: InterruptCause;
  constructor(cause: InterruptCause, message = `VU ${cause}`) {
    super(message);
    this.name = 'VuInterrupt';
    this.reason = cause;
  }
}

/** `exec.test.abort(msg)`: stops the whole test with exit code 108 and cannot be caught by the script. */
export class ScriptAbort extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptAbort';
  }
}

export function isUncatchable(e: unknown): e is VuInterrupt | ScriptAbort {
  return e instanceof VuInterrupt || e instanceof ScriptAbort;
}
