// The functions k6/browser runs in the page (evaluate, evaluateHandle, waitForFunction, …): k6 sends
// their source text and takes any number of arguments, Playwright takes a function (or an
// expression) and one argument. The compiler leaves function literals given to these methods as
// written (compile/sync-transform.ts PAGE_FUNCTION_METHODS), so their text is the script's own.
import { argumentError } from './browser-calls.ts';
import { isRegExp } from './browser-options.ts';

/** Facades of page handles carry the Playwright handle, which Playwright serializes as such. */
export const HANDLE: unique symbol = Symbol('stampede.browserHandle');

function argValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  const handle = (v as { [HANDLE]?: unknown })[HANDLE];
  if (handle !== undefined) return handle;
  if (isRegExp(v)) return new RegExp(v.source, v.flags);
  if (Array.isArray(v)) return v.map(argValue);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'function') out[k] = argValue(x);
  return out;
}

/** A function whose text is `source` (Playwright reads a page function's text with String()). */
export function sourceFunction(source: string): () => void {
  const fn = (): void => undefined;
  Object.defineProperty(fn, 'toString', { value: () => source });
  return fn;
}

export interface PageCall {
  readonly fn: string | (() => void);
  readonly arg: unknown;
}

/**
 * What to hand Playwright for k6's `(pageFunction, ...args)`. `asFunction`: a non-function text is an
 * expression to wrap as `() => (text)` (k6's waitForFunction); else it is evaluated as is. `onElement`:
 * the function gets the element (or handle) first, then the script's arguments.
 */
export function pageCall(method: string, pageFunction: unknown, args: readonly unknown[], asFunction = false, onElement = false): PageCall {
  if (pageFunction === undefined || pageFunction === null || String(pageFunction).trim() === '') {
    throw argumentError(`${method} requires a page function`);
  }
  const isFn = typeof pageFunction === 'function';
  const text = String(pageFunction);
  if (!isFn && !asFunction && args.length === 0) return { fn: text, arg: undefined };
  const src = isFn || !asFunction ? text : `() => (${text})`;
  if (args.length === 0) return { fn: sourceFunction(src), arg: undefined };
  const wrapper = onElement ? `(__k6el, __k6args) => (${src})(__k6el, ...__k6args)` : `(__k6args) => (${src})(...__k6args)`;
  return { fn: sourceFunction(wrapper), arg: args.map(argValue) };
}
