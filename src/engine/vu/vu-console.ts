// The script's `console`: every method writes one line to the engine log with `source=console`, the
// arguments formatted as k6 (v2, internal/js/console.go) does and joined by spaces: strings and other
// primitives as they are, functions as "[object Function]", errors as their toString(), and objects
// walked into a JS-like text — `{ a: 1, b: [ 1, "x" ] }`, `ArrayBuffer { [Uint8Contents]: <01 02>,
// byteLength: 2 }`, `Uint8Array(2) [ 1, 2 ]`, dates as a quoted ISO string, cycles as "[Circular]".
// Values come from the script's realm, so every test here is structural (no instanceof).
import type { LogLevel, LogSink } from './log-sink.ts';

const FUNCTION_TEXT = '[object Function]';

/**
 * A method an engine object (a k6/http Response) may have, giving the keys and values k6's console
 * would walk for the Go object it stands for (fields, then methods), in that order. A registered
 * symbol, so it is the same in the script's realm.
 */
export const CONSOLE_VIEW: unique symbol = Symbol.for('stampede.console.view') as never;

function classOf(v: object): string {
  return Object.prototype.toString.call(v).slice(8, -1);
}

function isErrorObject(v: object): boolean {
  return classOf(v) === 'Error';
}

function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** k6 names typed arrays by their Go element type: Uint8ClampedArray reads as Uint8Array. */
function typedArrayName(cls: string): string {
  return cls === 'Uint8ClampedArray' ? 'Uint8Array' : cls;
}

function formatBinary(v: object, cls: string): string | undefined {
  if (cls === 'ArrayBuffer') {
    const bytes = new Uint8Array(v as ArrayBuffer);
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
    return `ArrayBuffer { [Uint8Contents]: <${hex}>, byteLength: ${bytes.length} }`;
  }
  if (!ArrayBuffer.isView(v) || cls === 'DataView') return undefined;
  const items = Array.from(v as unknown as ArrayLike<number | bigint>, (x) => String(x));
  const head = `${typedArrayName(cls)}(${items.length})`;
  return items.length === 0 ? `${head} []` : `${head} [ ${items.join(', ')} ]`;
}

function formatDate(v: object): string {
  try {
    return `"${(v as Date).toISOString()}"`;
  } catch {
    return '{}';
  }
}

function traverse(v: unknown, seen: Set<object>): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'function') return FUNCTION_TEXT;
  if (typeof v !== 'object') return typeof v === 'string' ? `"${v}"` : safeString(v);
  if (seen.has(v)) return '[Circular]';
  seen.add(v);
  try {
    const cls = classOf(v);
    if (cls === 'Error') return safeString(v);
    const binary = formatBinary(v, cls);
    if (binary !== undefined) return binary;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      const items: string[] = [];
      for (let i = 0; i < v.length; i++) items.push(traverse(v[i], seen));
      return `[ ${items.join(', ')} ]`;
    }
    const view = (v as { [CONSOLE_VIEW]?: unknown })[CONSOLE_VIEW];
    const record = (typeof view === 'function' ? view.call(v) : v) as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 0) return cls === 'Date' ? formatDate(v) : '{}';
    return `{ ${keys.map((k) => `${k}: ${traverse(record[k], seen)}`).join(', ')} }`;
  } finally {
    seen.delete(v);
  }
}

function formatArg(v: unknown): string {
  if (typeof v === 'function') return FUNCTION_TEXT;
  if (typeof v !== 'object' || v === null) return safeString(v);
  if (isErrorObject(v)) return safeString(v);
  return traverse(v, new Set());
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
