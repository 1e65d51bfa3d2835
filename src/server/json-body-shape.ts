// What JSON.parse lets through but the API must not take: numbers that overflowed to ±Infinity
// (`1e400`); nesting deeper than any real body (a k6 options object is a handful of levels), which
// would exhaust the stack of whatever walks the value later (ajv, JSON.stringify, the engine); and
// text no store keeps as sent (PostgreSQL refuses NUL in text, SQLite rewrites lone surrogates).
// Checked once per JSON body, iteratively, before any route sees it.
import { validationError } from './validation-error.ts';

export const MAX_JSON_DEPTH = 64;

/** Throws a 400 naming the first problem: a non-finite number (by its field path) or excess depth. */
export function assertJsonBodyShape(body: unknown): void {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value, path, depth } = item;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) invalid(path || 'body', `${path || 'body'} is a number too large to represent.`);
      continue;
    }
    if (typeof value === 'string') {
      if (!isStorableText(value)) invalid(path || 'body', unstorableMessage(path || 'body'));
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) invalid('body', `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
    const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    for (const [key, child] of entries) {
      const childPath = path ? `${path}.${key}` : key;
      if (!isStorableText(key)) invalid(path || 'body', unstorableMessage(`A key of ${path || 'the body'}`));
      pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
}

function invalid(target: string, message: string): never {
  throw validationError(target, message);
}

// A NUL, or a UTF-16 surrogate without its pair (JSON's `\ud800` escapes can make one).
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether every store keeps `text` exactly: no NUL character and no unpaired surrogate. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

export function unstorableMessage(what: string): string {
  return `${what} contains a NUL character or an unpaired UTF-16 surrogate.`;
}
