// A script's promise rejected with nobody listening must not crash the thread its VUs share (Node's
// default for an unhandled rejection). While a run lives, such rejections are logged the way k6 logs
// them ("Uncaught (in promise) …"); the listener is removed when the run ends.
import { errorText } from '../vu/error-text.ts';
import type { LogSink } from '../vu/log-sink.ts';

export function captureUnhandledRejections(log: LogSink, mapText: (t: string) => string = (t) => t): () => void {
  const onRejection = (reason: unknown): void => {
    log.write('error', `Uncaught (in promise) ${mapText(errorText(reason))}`, { source: 'stacktrace' });
  };
  process.on('unhandledRejection', onRejection);
  return () => void process.off('unhandledRejection', onRejection);
}
