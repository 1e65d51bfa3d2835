// What k6/ws and k6/websockets do alike with the script's values: run its event handlers in order
// (a handler that blocks delays the next one), and read the `headers` of its connect params.
import { isBlocking, markBlocking } from '../vu/blocking.ts';
import { canonicalHeaderKey } from '../http/header-key.ts';

export type Handler = (...args: unknown[]) => unknown;

/** The handshake's headers by lower-cased name, keeping the name as sent. */
export type HeaderMap = Map<string, { name: string; value: string }>;

/** Calls `handlers` in order with `args`; once one blocks, the rest run after it: a blocking promise. */
export function runHandlers(handlers: readonly Handler[], args: readonly unknown[], from = 0): unknown {
  for (let i = from; i < handlers.length; i++) {
    const result = (handlers[i] as Handler)(...args);
    if (isBlocking(result)) return markBlocking(result.then(() => runHandlers(handlers, args, i + 1)));
  }
  return undefined;
}

/** Adds a params `headers` object (canonical names, values as strings); null or undefined adds none. */
export function addParamHeaders(headers: HeaderMap, raw: unknown): void {
  if (raw === undefined || raw === null) return;
  const h = Object(raw) as Record<string, unknown>;
  for (const name of Object.keys(h)) {
    const canonical = canonicalHeaderKey(name);
    headers.set(canonical.toLowerCase(), { name: canonical, value: String(h[name]) });
  }
}
