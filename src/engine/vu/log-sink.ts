// Where VU log lines go. In a worker thread they are posted to the main thread, which formats them the
// way k6 does (logfmt, or `INFO[0001] msg  source=console` on a terminal) and writes them to the engine's stderr.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogSink {
  write(level: LogLevel, msg: string, fields?: Readonly<Record<string, string>>): void;
}

/**
 * Caps a flood of identical-kind lines (an exception in every iteration of 1,000 VUs) at `perSecond`
 * lines per second; the number dropped is reported once the next line gets through.
 */
export function rateLimited(sink: LogSink, perSecond: number, now: () => number = Date.now): LogSink {
  let windowStart = 0;
  let inWindow = 0;
  let dropped = 0;
  return {
    write(level, msg, fields) {
      const t = now();
      if (t - windowStart >= 1000) {
        windowStart = t;
        inWindow = 0;
      }
      if (inWindow >= perSecond) {
        dropped++;
        return;
      }
      inWindow++;
      if (dropped > 0) {
        sink.write('warn', `${dropped} similar log lines were suppressed (rate limit ${perSecond}/s)`);
        dropped = 0;
      }
      sink.write(level, msg, fields);
    },
  };
}
