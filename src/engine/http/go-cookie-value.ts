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
 * A value as Go's Request.AddCookie writes it into the Cookie header (sanitizeCookieValue): bytes Go
 * does not allow are left out, and a value with a space or a comma is double-quoted.
 */
export function cookieHeaderValue(value: string): string {
  let v = '';
  for (let i = 0; i < value.length; i++) if (validByte(value.charCodeAt(i))) v += value[i];
  return v !== '' && (v.includes(' ') || v.includes(',')) ? `"${v}"` : v;
}
