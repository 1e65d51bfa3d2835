// The engine's log, written to EngineIo.stderr in logrus' text layout as k6 prints it:
// `INFO[0001] message<padded to 44>  source=console`, the number being whole seconds since the start.
import type { LogLevel, LogSink } from '../vu/log-sink.ts';

const LEVEL_TEXT: Record<LogLevel, string> = { debug: 'DEBU', info: 'INFO', warn: 'WARN', error: 'ERRO' };
const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const LEVEL_COLOR: Record<LogLevel, number> = { debug: 37, info: 36, warn: 33, error: 31 };

export interface EngineLogOptions {
  readonly minLevel?: LogLevel;
  readonly colors?: boolean;
  /** Rewrites positions in stack traces (compiled factory → original file:line:column). */
  readonly mapText?: (text: string) => string;
  readonly now?: () => number;
}

export class EngineLog implements LogSink {
  readonly #out: { write(s: string): void };
  readonly #start: number;
  readonly #opts: EngineLogOptions;

  constructor(out: { write(s: string): void }, opts: EngineLogOptions = {}) {
    this.#out = out;
    this.#opts = opts;
    this.#start = (opts.now ?? Date.now)();
  }

  write(level: LogLevel, msg: string, fields?: Readonly<Record<string, string>>): void {
    if (LEVEL_RANK[level] < LEVEL_RANK[this.#opts.minLevel ?? 'info']) return;
    const secs = Math.floor(((this.#opts.now ?? Date.now)() - this.#start) / 1000);
    const text = this.#opts.mapText ? this.#opts.mapText(msg) : msg;
    const label = this.#opts.colors === true ? `\x1b[${LEVEL_COLOR[level]}m${LEVEL_TEXT[level]}\x1b[0m` : LEVEL_TEXT[level];
    let line = `${label}[${String(secs).padStart(4, '0')}] ${text.padEnd(44)} `;
    for (const key of Object.keys(fields ?? {}).sort()) line += ` ${key}=${quote(fields?.[key] ?? '')}`;
    this.#out.write(`${line.trimEnd()}\n`);
  }
}

function quote(v: string): string {
  return /^[\w./:@-]*$/.test(v) && v !== '' ? v : JSON.stringify(v);
}
