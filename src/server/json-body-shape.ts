// What JSON.parse lets through but the API must not take: numbers that overflowed to ±Infinity
// (`1e400`), and nesting deeper than any real body (a k6 options object is a handful of levels),
// which would exhaust the stack of whatever walks the value later (ajv, JSON.stringify, the engine).
// Checked once per JSON body, iteratively, before any route sees it.
import { StampedeError } from '../core/index.ts';

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
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) invalid('body', `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
    const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    for (const [key, child] of entries) pending.push({ value: child, path: path ? `${path}.${key}` : key, depth: depth + 1 });
  }
}

function invalid(target: string, message: string): never {
  throw new StampedeError('STAMPEDE_ERR_VALIDATION', message, { target, details: [{ target, message }] });
}
