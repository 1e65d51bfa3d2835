// A script's promise rejected with nobody listening must not crash the thread its VUs share (Node's
// default for an unhandled rejection). A rejection whose promise a VU created goes to that VU and fails
// its call (vu/promise-owners.ts); any other is logged the way k6 logs them ("Uncaught (in promise) …").
// The listener is removed when the run ends.
import { claimRejection } from '../vu/promise-owners.ts';
import { errorText } from '../vu/error-text.ts';
import type { LogSink } from '../vu/log-sink.ts';

export function captureUnhandledRejections(log: LogSink, mapText: (t: string) => string = (t) => t): () => void {
  const onRejection = (reason: unknown, promise: unknown): void => {
    if (claimRejection(reason, promise)) return;
    log.write('error', `Uncaught (in promise) ${mapText(errorText(reason))}`, { source: 'stacktrace' });
  };
  process.on('unhandledRejection', onRejection);
  return () => void process.off('unhandledRejection', onRejection);
}
