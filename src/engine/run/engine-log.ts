// The engine's log, written as k6's logrus formatters print it (k6 internal/cmd/root.go setupLoggers).
// `text` (the default) on a terminal (colours): `INFO[0001] message<padded to 44>  source=console`, the
// number being whole seconds since the start. Otherwise — stderr captured to a file or a pipe, as in
// CI — logfmt: `time="2026-01-02T03:04:05Z" level=info msg="message" source=console`, with Go's quoting
// (so a stack trace stays on one line, its line breaks written as \n). `json` (`--log-format=json`):
// logrus' JSONFormatter, one object per line with the fields, `level`, `msg` and `time`, keys sorted.
// `raw`: the message alone.
import type { LogLevel, LogSink } from '../vu/log-sink.ts';
import type { EngineLogEntry } from './engine-io.ts';
import type { SecretRedactor } from './secret-redactor.ts';

const LEVEL_TEXT: Record<LogLevel, string> = { debug: 'DEBU', info: 'INFO', warn: 'WARN', error: 'ERRO' };
const LEVEL_NAME: Record<LogLevel, string> = { debug: 'debug', info: 'info', warn: 'warning', error: 'error' };
const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const LEVEL_COLOR: Record<LogLevel, number> = { debug: 37, info: 36, warn: 33, error: 31 };

export type LogFormat = 'text' | 'json' | 'raw';

/** k6 --log-format: "json" and "raw" are formats of their own, anything else is text. */
export function logFormatOf(value: string | undefined): LogFormat {
  return value === 'json' || value === 'raw' ? value : 'text';
}

/** The more severe of two levels (a hook's threshold on top of the logger's). */
export function stricterLevel(a: LogLevel, b: LogLevel | undefined): LogLevel {
  return b !== undefined && LEVEL_RANK[b] > LEVEL_RANK[a] ? b : a;
}

export interface EngineLogOptions {
  readonly minLevel?: LogLevel;
  /** The output is a terminal (text format): logrus' coloured layout; otherwise logfmt. */
  readonly colors?: boolean;
  readonly format?: LogFormat;
  /** Rewrites positions in stack traces (compiled factory → original file:line:column). */
  readonly mapText?: (text: string) => string;
  readonly now?: () => number;
  /** Secrets scripts got from k6/secrets: replaced in every line written after (k6's log hook). */
  readonly secrets?: SecretRedactor;
  /** Every line goes here as an entry, instead of being formatted to `out` unless `tee` (EngineIo.logEntries). */
  readonly entries?: { write(entry: EngineLogEntry): void; tee?: boolean };
}

export class EngineLog implements LogSink {
  readonly #out: { write(s: string): void };
  readonly #start: number;
  readonly #opts: EngineLogOptions;
  #console: { write(s: string): void } | undefined;

  constructor(out: { write(s: string): void }, opts: EngineLogOptions = {}) {
    this.#out = out;
    this.#opts = opts;
    this.#start = (opts.now ?? Date.now)();
  }

  /**
   * `--console-output`: the script's console lines (source=console) go to `out` from now on, in the
   * log's format without colours and without the source field (k6 js/console.go newFileConsole).
   */
  redirectConsole(out: { write(s: string): void }): void {
    this.#console = out;
  }

  write(level: LogLevel, rawMsg: string, rawFields?: Readonly<Record<string, string>>): void {
    if (LEVEL_RANK[level] < LEVEL_RANK[this.#opts.minLevel ?? 'info']) return;
    const secrets = this.#opts.secrets;
    const msg = secrets === undefined ? rawMsg : secrets.redact(rawMsg);
    let fields = secrets === undefined ? rawFields : secrets.redactFields(rawFields);
    const now = (this.#opts.now ?? Date.now)();
    const mapText = this.#opts.mapText;
    const text = mapText ? mapText(msg) : msg;
    // An `error` field may hold a script's stack trace too.
    if (mapText && fields?.error !== undefined) fields = { ...fields, error: mapText(fields.error) };
    const entries = this.#opts.entries;
    if (entries !== undefined) {
      entries.write({ time: now, level, msg: text, fields: fields ?? {} });
      if (entries.tee !== true) return;
    }
    if (this.#console !== undefined && fields?.source === 'console') {
      const { source: _source, ...rest } = fields;
      this.#console.write(formatEntry(this.#opts.format ?? 'text', false, now, this.#start, level, text, rest));
      return;
    }
    this.#out.write(formatEntry(this.#opts.format ?? 'text', this.#opts.colors === true, now, this.#start, level, text, fields));
  }
}

/** One entry as the logrus formatter of `format` prints it, ending with a line break. */
export function formatEntry(
  format: LogFormat, colors: boolean, now: number, start: number, level: LogLevel, msg: string, fields?: Readonly<Record<string, string>>,
): string {
  if (format === 'raw') return `${msg}\n`;
  if (format === 'json') return `${jsonLine(now, level, msg, fields)}\n`;
  if (!colors) return `${logfmtLine(now, level, msg, fields)}\n`;
  const secs = Math.floor((now - start) / 1000);
  const label = `\x1b[${LEVEL_COLOR[level]}m${LEVEL_TEXT[level]}\x1b[0m`;
  let line = `${label}[${String(secs).padStart(4, '0')}] ${msg.padEnd(44)} `;
  for (const key of Object.keys(fields ?? {}).sort()) line += ` ${key}=${quote(fields?.[key] ?? '')}`;
  return `${line.trimEnd()}\n`;
}

/** One line as the engine log writes it at the start of a run, for callers without an EngineLog (the CLI). */
export function logLine(
  level: LogLevel, msg: string, tty: boolean, fields?: Readonly<Record<string, string>>, format: LogFormat = 'text', time?: number,
): string {
  // A line of another time (a server run's log line) counts its terminal seconds from the process start, as logrus does.
  return time === undefined ? formatEntry(format, tty, Date.now(), Date.now(), level, msg, fields) : formatEntry(format, tty, time, Math.min(time, performance.timeOrigin), level, msg, fields);
}

/**
 * logrus JSONFormatter: the fields (a field named time, msg or level kept as fields.time, …), then
 * time (RFC 3339), msg and level; Go's encoding/json sorts the keys and escapes <, > and & for HTML.
 */
export function jsonLine(epochMs: number, level: LogLevel, msg: string, fields?: Readonly<Record<string, string>>): string {
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields ?? {})) data[k === 'time' || k === 'msg' || k === 'level' ? `fields.${k}` : k] = v;
  data.time = rfc3339Local(epochMs);
  data.msg = msg;
  data.level = LEVEL_NAME[level];
  const body = Object.keys(data).sort().map((k) => `${goJsonString(k)}:${goJsonString(data[k] ?? '')}`).join(',');
  return `{${body}}`;
}

/** Go's encoding/json string: HTML-safe, U+2028/U+2029 escaped, lone surrogates as U+FFFD. */
function goJsonString(s: string): string {
  return JSON.stringify(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function quote(v: string): string {
  return /^[\w./:@-]*$/.test(v) && v !== '' ? v : JSON.stringify(v);
}

/** One logrus TextFormatter line without colours: time, level, msg (left out when empty), sorted fields. */
export function logfmtLine(epochMs: number, level: LogLevel, msg: string, fields?: Readonly<Record<string, string>>): string {
  let line = `time=${logfmtValue(rfc3339Local(epochMs))} level=${LEVEL_NAME[level]}`;
  if (msg !== '') line += ` msg=${logfmtValue(msg)}`;
  for (const key of Object.keys(fields ?? {}).sort()) line += ` ${key}=${logfmtValue(fields?.[key] ?? '')}`;
  return line;
}

/** logrus' needsQuoting, then Go's %q. */
function logfmtValue(v: string): string {
  return /^[A-Za-z0-9\-._/@^+]*$/.test(v) ? v : goQuote(v);
}

const GO_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

/** Go's strconv.Quote: escapes, control characters as \xNN, printable Unicode kept. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const esc = GO_ESCAPES[ch];
    const code = ch.codePointAt(0) ?? 0;
    if (esc !== undefined) out += esc;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if ((code >= 0x80 && code < 0xa0) || code === 0xad || code === 0x2028 || code === 0x2029 || code === 0xfeff) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** Go's time.RFC3339 in the local zone ("2026-01-02T03:04:05Z", or with a "+01:00" offset). */
function rfc3339Local(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number): string => String(n).padStart(2, '0');
  const offset = -d.getTimezoneOffset();
  const zone = offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${p(Math.floor(Math.abs(offset) / 60))}:${p(Math.abs(offset) % 60)}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}${zone}`;
}
