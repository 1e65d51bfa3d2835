import { canonicalHeaderKey } from './header-key.ts';
import { cookieHeaderValue } from './go-cookie-value.ts';
import type { CookieJar } from './cookie-jar.ts';
import type { RequestParams } from './request-params.ts';

// The headers of one round trip, as undici's flat [name, value, …] array: the user's headers (minus
// Content-Length, which follows the body), User-Agent, the body's Content-Type, Basic auth from URL
// credentials, and Cookie from params.cookies and the jar. A redirect hop gets the first request's
// headers again (Go's client copies them), but not the user's Cookie (k6's CheckRedirect rebuilds it
// from the jar) nor, on a redirect to another domain, Authorization; Host only through relative
// Locations; and a Referer naming the previous hop unless the user set one.

export interface HeaderDefaults {
  /** "" sends no User-Agent. */
  readonly userAgent: string;
  /** The headers of a request with nothing to add: shared, never mutated. */
  readonly headers: readonly string[];
}

/** What a redirect hop adds to or keeps from the first request's headers. */
export interface RedirectHop {
  /** The user's Host header still applies: every Location so far was relative (Go keeps req.Host). */
  readonly keepHost: boolean;
  /** The previous hop's URL without credentials; '' after https to http (Go's refererForURL). */
  readonly referer: string;
}

export function buildRequestHeaders(
  defaults: HeaderDefaults,
  params: RequestParams,
  url: URL,
  jar: CookieJar,
  contentType: string | undefined,
  sameHost: boolean,
  /** Undefined for the request's first hop (and its digest or NTLM round trips). */
  redirect: RedirectHop | undefined,
  /** Headers this round trip adds last (digest answer, Content-Encoding). */
  extra: readonly string[],
  /** An NTLM handshake: the URL's credentials are not sent as Basic (the handshake's own header is in `extra`). */
  ntlm = false,
  /** Gets the line Go's net/http logs for a cookie value with bytes it drops (k6 logs it at info level). */
  cookieLog?: (msg: string) => void,
): readonly string[] {
  const user = params.headers;
  if (user.length === 0 && extra.length === 0 && !jar.used && params.cookies === undefined && contentType === undefined && url.username === '' && (redirect === undefined || redirect.referer === '')) {
    return defaults.headers;
  }
  const out: string[] = [];
  let hasUa = false;
  let hasCt = false;
  let hasAuth = false;
  let hasReferer = false;
  let userCookie = '';
  for (const [name, value] of user) {
    const lower = name.toLowerCase();
    if (lower === 'content-length') continue; // computed from the body, as k6 does
    if (lower === 'host' && redirect !== undefined && !redirect.keepHost) continue;
    if (!sameHost && (lower === 'authorization' || lower === 'www-authenticate')) continue;
    if (lower === 'cookie') {
      if (redirect === undefined) userCookie = value;
      continue;
    }
    if (lower === 'referer') hasReferer = true;
    if (lower === 'user-agent') {
      hasUa = true;
      if (value === '') continue; // Go sends no User-Agent for an empty one
    } else if (lower === 'content-type') hasCt = true;
    else if (lower === 'authorization') hasAuth = true;
    out.push(name, value);
  }
  if (!hasUa && defaults.userAgent !== '') out.push('User-Agent', defaults.userAgent);
  if (!hasCt && contentType !== undefined) out.push('Content-Type', contentType);
  if (!hasAuth && !ntlm && params.auth !== 'digest' && (url.username !== '' || url.password !== '')) {
    const cred = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    out.push('Authorization', `Basic ${Buffer.from(cred).toString('base64')}`);
  }
  if (redirect !== undefined && redirect.referer !== '' && !hasReferer) out.push('Referer', redirect.referer);
  const cookie = cookieHeader(params, url, jar, userCookie, cookieLog);
  if (cookie !== '') out.push('Cookie', cookie);
  for (const h of extra) out.push(h);
  return out;
}

/** k6's SetRequestCookies, on every hop: params.cookies first, then the jar's unless replaced. */
function cookieHeader(params: RequestParams, url: URL, jar: CookieJar, userCookie: string, log: ((msg: string) => void) | undefined): string {
  const pc = params.cookies;
  const parts: string[] = [];
  if (userCookie !== '') parts.push(userCookie);
  if (pc !== undefined) for (const [k, v] of Object.entries(pc)) parts.push(`${k}=${cookieHeaderValue(v.value, log)}`);
  if (jar.used) {
    for (const c of jar.cookiesFor(url.href)) {
      if (pc?.[c.key]?.replace === true) continue;
      parts.push(`${c.key}=${cookieHeaderValue(c.value, log)}`);
    }
  }
  return parts.join('; ');
}

/** RFC 7230 token bytes (httpguts.ValidHeaderFieldName). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A CTL byte other than space and tab (httpguts.ValidHeaderFieldValue refuses them). */
const BAD_VALUE_BYTE = /[\x00-\x08\x0a-\x1f\x7f]/;
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The headers as they go on the wire: Go's transport refuses a name that is no token and a value
 * with control bytes before it dials (k6's generic 1000, Go's text), and sends a value's string as
 * its UTF-8 bytes (undici sends a string's code units as Latin-1 and refuses any beyond it).
 */
export function wireHeaders(headers: readonly string[]): readonly string[] | { readonly invalid: string } {
  let out: string[] | undefined;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = headers[i] as string;
    const value = headers[i + 1] as string;
    if (!TOKEN.test(name)) return { invalid: `net/http: invalid header field name ${JSON.stringify(name)}` };
    if (BAD_VALUE_BYTE.test(value)) return { invalid: `net/http: invalid header field value for ${JSON.stringify(canonicalHeaderKey(name))}` };
    if (NON_ASCII.test(value)) {
      out ??= headers.slice();
      out[i + 1] = Buffer.from(value, 'utf8').toString('latin1');
    }
  }
  return out ?? headers;
}
