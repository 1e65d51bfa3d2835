// A script's promise rejected with nobody listening must not crash the thread its VUs share (Node's
// default for an unhandled rejection). A rejection whose promise a VU created goes to that VU and fails
// its call (vu/promise-owners.ts); any other is logged the way k6 logs them ("Uncaught (in promise) …").
// The listener is removed when the run ends.
import { claimRejection } from '../vu/promise-owners.ts';
import { errorText } from '../vu/error-text.ts';
import type { LogSink } from '../vu/log-sink.ts';

let capturing = 0;

export function captureUnhandledRejections(log: LogSink, mapText: (t: string) => string = (t) => t): () => void {
  const onRejection = (reason: unknown, promise: unknown): void => {
    if (claimRejection(reason, promise)) return;
    log.write('error', `Uncaught (in promise) ${mapText(errorText(reason))}`, { source: 'stacktrace' });
  };
  process.on('unhandledRejection', onRejection);
  capturing++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    capturing--;
    process.off('unhandledRejection', onRejection);
  };
}

/**
 * Whether a run of this thread is taking unhandled rejections (a host's own listener, such as a
 * runner process's, must then leave them to the engine: they are the script's, not the host's failure).
 */
export function engineCapturesRejections(): boolean {
  return capturing > 0;
}
