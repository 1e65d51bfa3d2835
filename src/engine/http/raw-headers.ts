import { canonicalHeaderKey } from './header-key.ts';

// Response headers as undici hands them over: [name, value, name, value, …] as Buffers. A round trip
// itself reads only a few of them (Set-Cookie for the jar, Location on a redirect, Content-Encoding for
// the body, Www-Authenticate for digest auth), found here by comparing bytes; the canonical
// `res.headers` object, which turns every name and value into a string, is built only when a script
// reads it.

const NONE: readonly string[] = Object.freeze([]);

/** Whether the header name `name` equals `lower` (ASCII lower case) ignoring case. */
function nameIs(name: Buffer, lower: string): boolean {
  const n = lower.length;
  if (name.length !== n) return false;
  for (let i = 0; i < n; i++) {
    // Header names are tokens: OR-ing 0x20 folds A-Z onto a-z and leaves '-' and digits as they are.
    if (((name[i] as number) | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** Every value of the header `lower` (lower-case name), in order; a shared empty array when absent. */
export function rawHeaderValues(raw: readonly Buffer[], lower: string): readonly string[] {
  let out: string[] | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (nameIs((raw[i] as Buffer), lower)) (out ??= []).push((raw[i + 1] as Buffer).toString('latin1'));
  }
  return out ?? NONE;
}

/** The header `lower` as Go's Header.Get would show it in k6: repeated values joined with ", ". */
export function rawHeaderValue(raw: readonly Buffer[], lower: string): string | undefined {
  const values = rawHeaderValues(raw, lower);
  return values.length === 0 ? undefined : values.join(', ');
}

/** k6's `res.headers`: canonical keys, repeated values joined with ", ". */
export function headersObject(raw: readonly Buffer[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = canonicalHeaderKey((raw[i] as Buffer).toString('latin1'));
    const value = (raw[i + 1] as Buffer).toString('latin1');
    const prev = headers[key];
    headers[key] = prev === undefined ? value : `${prev}, ${value}`;
  }
  return headers;
}
