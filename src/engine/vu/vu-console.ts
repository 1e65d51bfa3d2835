// The script's `console`: every method writes one line to the engine log with `source=console`, the
// arguments formatted as k6 does (strings as is, objects as JSON, joined by spaces).
import type { LogLevel, LogSink } from './log-sink.ts';

function formatArg(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Error || Object.prototype.toString.call(v) === '[object Error]') {
    return String((v as Error).stack ?? v);
  }
  if (typeof v === 'object' && v !== null) {
    try {
      return JSON.stringify(v) ?? String(v);
    } catch {
      return String(v);
    }
  }
  return String(v);
}

export function formatConsoleArgs(args: readonly unknown[]): string {
  return args.map(formatArg).join(' ');
}

export function createConsole(sink: LogSink): Record<string, (...args: unknown[]) => void> {
  const at = (level: LogLevel) => (...args: unknown[]): void => sink.write(level, formatConsoleArgs(args), { source: 'console' });
  return {
    log: at('info'),
    info: at('info'),
    debug: at('debug'),
    warn: at('warn'),
    error: at('error'),
    trace: at('debug'),
  };
}
