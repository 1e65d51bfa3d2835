import { canonicalHeaderKey } from './header-key.ts';
import type { RequestCookie, ResponseRequest } from './response.ts';
import type { RequestParams } from './request-params.ts';

// `Response.request`: what was sent on the last round trip, in k6's shape (canonical header keys
// with value arrays, the body as text, the cookies of its Cookie header).

export function recordHeaders(headers: readonly string[]): Record<string, string[]> {
  const h: Record<string, string[]> = {};
  for (let i = 0; i + 1 < headers.length; i += 2) {
    (h[canonicalHeaderKey(headers[i] as string)] ??= []).push(headers[i + 1] as string);
  }
  return h;
}

export function requestRecord(
  method: string,
  url: string,
  headers: readonly string[],
  body: string | Uint8Array | null,
  _params: RequestParams,
  defaultHeaders: readonly string[],
  defaultRecord: Readonly<Record<string, string[]>>,
): ResponseRequest {
  const h = headers === defaultHeaders ? (defaultRecord as Record<string, string[]>) : recordHeaders(headers);
  const cookieLines = h.Cookie;
  if (cookieLines === undefined && body === null) return { method, url, headers: h, body: '', cookies: {} };
  const bodyText = body === null ? '' : typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  return { method, url, headers: h, body: bodyText, cookies: cookieLines === undefined ? {} : sentCookies(cookieLines) };
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_VALUE = /^[\x20-\x7e]*$/;

/**
 * k6 lists what the Cookie header carried (Go's Request.Cookies()): params.cookies and the jar's
 * alike, each with replace false; invalid names and values are skipped as Go does.
 */
function sentCookies(lines: readonly string[]): Record<string, RequestCookie[]> {
  const out: Record<string, RequestCookie[]> = {};
  for (const line of lines) {
    for (const raw of line.split(';')) {
      const part = raw.trim();
      if (part === '') continue;
      const eq = part.indexOf('=');
      const name = (eq < 0 ? part : part.slice(0, eq)).trim();
      let value = eq < 0 ? '' : part.slice(eq + 1);
      if (!TOKEN.test(name)) continue;
      if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if (!COOKIE_VALUE.test(value) || /["\\;]/.test(value)) continue;
      (out[name] ??= []).push({ name, value, replace: false });
    }
  }
  return out;
}
