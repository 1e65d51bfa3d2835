// A promise of the script's realm for work done outside it (a socket, a DNS exchange): it holds the
// VU's event loop until the work settles and is settled on that loop (as k6 settles a module's
// promise through the VU's event loop). A call interrupted by the VU's stop (its signal aborted) never
// settles: nothing of the script runs for it any more.
import type { VuEventLoop } from './vu-event-loop.ts';

export function loopPromise<T>(
  realm: { readonly Promise: PromiseConstructor },
  loop: VuEventLoop,
  signal: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
  settle: { value(result: T): unknown; error(err: unknown): unknown },
): Promise<unknown> {
  let resolveP!: (v: unknown) => void;
  let rejectP!: (e: unknown) => void;
  const p = new realm.Promise<unknown>((res, rej) => {
    resolveP = res;
    rejectP = rej;
  });
  const release = loop.keepAlive();
  work(signal).then(
    (result) => {
      if (!signal.aborted) loop.setTimer(() => resolveP(settle.value(result)), 0, false);
    },
    (e: unknown) => {
      if (!signal.aborted) loop.setTimer(() => rejectP(settle.error(e)), 0, false);
    },
  ).finally(release);
  return p;
}
