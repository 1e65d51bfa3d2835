// The callers' frames of an error thrown after a blocking call.
//
// Once a wrapped function has blocked, its callers are suspended generators: an error thrown when it
// resumes has V8's frames from it inward only, where k6 lists every caller. So when the promise a
// generator waits for rejects, the driver does not throw into the generator: it resumes it with
// THROWN, and the waiting call site, `__RS(yield __t, site)` (compile/sync-transform.ts), throws the
// error itself after appending its own frame (the caller's, at the call it waited for) to the
// error's stack. As the error travels outward each suspended caller adds its frame, outermost last,
// as k6 lists them. The stack mapper shows such a frame at the call (factory-source.ts, resume
// sites) and drops those a stack already had (an error made before its callers blocked, such as
// the call-site frames of open(): call-site.ts). A call whose promise resolves pays one comparison.
import { genNext } from './generator-methods.ts';

/** What a generator is resumed with when the promise it waits for rejected (never reaches the script). */
const THROWN: unique symbol = Symbol('stampede.thrown');
/** The error `resumed` throws, set just before the generator is resumed with THROWN. */
let pending: unknown;
let armed = false;

/** Resumes `g`, waiting at a call site, with the error `e` thrown at that call. */
export function resumeThrowing(g: Generator<unknown, unknown, unknown>, e: unknown): IteratorResult<unknown, unknown> {
  pending = e;
  armed = true;
  let r: IteratorResult<unknown, unknown>;
  try {
    r = genNext.call(g, THROWN);
  } finally {
    const missed = armed;
    armed = false;
    pending = undefined;
    // Every wait the transform writes in a generator goes through `__RS`: this one did not.
    if (missed) throw new Error('internal: a generator resumed with an error was not waiting at a call site');
  }
  return r;
}

/** `__RS` of the factory prelude: what a waited-for call settled to, or its error thrown at that call. */
export function resumed(v: unknown, _site: number): unknown {
  if (v !== THROWN) return v;
  const e = pending;
  pending = undefined;
  armed = false;
  addCallerFrame(e);
  throw e;
}

/** Appends the frame that called `resumed` (the waiting generator's, at its call site) to `e`'s stack. */
function addCallerFrame(e: unknown): void {
  if (e === null || typeof e !== 'object') return;
  let stack: unknown;
  try {
    stack = (e as { stack?: unknown }).stack;
  } catch {
    return;
  }
  if (typeof stack !== 'string') return;
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  try {
    Error.captureStackTrace(holder, resumed);
  } finally {
    Error.stackTraceLimit = limit;
  }
  const text = holder.stack ?? '';
  const frame = text.indexOf('\n');
  if (frame === -1) return;
  try {
    (e as { stack?: unknown }).stack = stack + text.slice(frame);
  } catch {
    // A frozen error keeps its stack.
  }
}
