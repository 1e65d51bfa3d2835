import { canonicalHeaderKey } from './header-key.ts';
import type { RequestCookie, ResponseRequest } from './response.ts';
import type { RequestParams } from './request-params.ts';

// `Response.request`: what was sent on the last round trip, in k6's shape (canonical header keys
// with value arrays, the body as text, the params cookies).

export function recordHeaders(headers: readonly string[]): Record<string, string[]> {
  const h: Record<string, string[]> = {};
  for (let i = 0; i + 1 < headers.length; i += 2) {
    (h[canonicalHeaderKey(headers[i] as string)] ??= []).push(headers[i + 1] as string);
  }
  return h;
}

export function requestRecord(
  method: string,
  url: URL,
  headers: readonly string[],
  body: string | Uint8Array | null,
  params: RequestParams,
  defaultHeaders: readonly string[],
  defaultRecord: Readonly<Record<string, string[]>>,
): ResponseRequest {
  const h = headers === defaultHeaders ? (defaultRecord as Record<string, string[]>) : recordHeaders(headers);
  if (params.cookies === undefined && body === null) return { method, url: url.href, headers: h, body: '', cookies: {} };
  const cookies: Record<string, RequestCookie[]> = {};
  if (params.cookies !== undefined) {
    for (const [name, c] of Object.entries(params.cookies)) {
      (cookies[name] ??= []).push({ name, value: c.value, replace: c.replace });
    }
  }
  const bodyText = body === null ? '' : typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  return { method, url: url.href, headers: h, body: bodyText, cookies };
}
