// Cookie values as Go's net/http reads and writes them (k6's jar and request cookies go through it).

/** Go's validCookieValueByte: printable ASCII but `"`, `;` and `\`. */
function validByte(b: number): boolean {
  return b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x3b && b !== 0x5c;
}

/**
 * A Set-Cookie value as Go reads it (parseCookieValue with double quotes allowed): one pair of
 * surrounding quotes is taken off (a Go server sends `a="hello world"` for a value with a space);
 * undefined, so the cookie is dropped, when a byte Go does not allow is left (a control or non-ASCII
 * byte, `"`, `;`, `\`).
 */
export function readSetCookieValue(raw: string): string | undefined {
  const v = raw.length > 1 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  return isValidCookieValue(v) ? v : undefined;
}

/** True when every byte of `v` is one Go allows in a cookie value (no quotes taken off). */
export function isValidCookieValue(v: string): boolean {
  for (let i = 0; i < v.length; i++) if (!validByte(v.charCodeAt(i))) return false;
  return true;
}

/**
 * Go's `%q` of one byte (strconv.QuoteRune of its code point): `'"'`, `'\\'`, `'\n'`, `'\x7f'`,
 * `'\u0080'`, `'Ã'`.
 */
function goQuoteByte(b: number): string {
  const named: Readonly<Record<number, string>> = { 0x07: '\\a', 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r', 0x27: "\\'", 0x5c: '\\\\' };
  const esc = named[b];
  if (esc !== undefined) return `'${esc}'`;
  if (b < 0x20 || b === 0x7f) return `'\\x${b.toString(16).padStart(2, '0')}'`;
  // Latin-1's controls, no-break space and soft hyphen are not printable for Go.
  if ((b >= 0x80 && b <= 0xa0) || b === 0xad) return `'\\u${b.toString(16).padStart(4, '0')}'`;
  return `'${String.fromCharCode(b)}'`;
}

/**
 * A value as Go's Request.AddCookie writes it into the Cookie header (sanitizeCookieValue): bytes Go
 * does not allow are left out, and a value with a space or a comma is double-quoted. A value with such
 * bytes is reported to `log` with the line Go's standard logger prints (its first bad UTF-8 byte),
 * which k6 logs at info level: `net/http: invalid byte '"' in Cookie.Value; dropping invalid bytes`.
 */
export function cookieHeaderValue(value: string, log?: (msg: string) => void): string {
  let v = '';
  let dropped = false;
  for (let i = 0; i < value.length; i++) {
    if (validByte(value.charCodeAt(i))) v += value[i];
    else dropped = true;
  }
  if (dropped && log !== undefined) {
    const bad = Buffer.from(value, 'utf8').find((b) => !validByte(b)) ?? 0;
    log(`net/http: invalid byte ${goQuoteByte(bad)} in Cookie.Value; dropping invalid bytes`);
  }
  return v !== '' && (v.includes(' ') || v.includes(',')) ? `"${v}"` : v;
}
