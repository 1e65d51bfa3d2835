import { CookieJar } from './cookie-jar.ts';
import { getDurationValue } from './go-duration.ts';
import { toResponseCallback, type ExpectedStatuses } from './expected-statuses.ts';
import { applyUserTags } from '../modules/user-tags.ts';

// The `params` argument of http.request() & co., validated once per call into a fixed shape.

export type ResponseType = 'text' | 'binary' | 'none';

export interface ParamCookie {
  readonly value: string;
  readonly replace: boolean;
}

export interface RequestParams {
  /** User headers in the order given, names as written. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly tags: Readonly<Record<string, string>> | undefined;
  readonly timeoutMs: number;
  readonly redirects: number | undefined;
  readonly responseType: ResponseType | undefined;
  readonly cookies: Readonly<Record<string, ParamCookie>> | undefined;
  readonly jar: CookieJar | undefined;
  /** undefined: the module's callback; null: none for this request. */
  readonly responseCallback: ExpectedStatuses | null | undefined;
  readonly throw: boolean | undefined;
  /** Request body compression, e.g. "gzip" or "gzip, br" (applied in order). */
  readonly compression: string | undefined;
  /** "basic" (default, from URL credentials), "digest" or "ntlm". */
  readonly auth: string | undefined;
}

export const DEFAULT_TIMEOUT_MS = 60_000;

const EMPTY_PARAMS: RequestParams = {
  headers: [],
  tags: undefined,
  timeoutMs: DEFAULT_TIMEOUT_MS,
  redirects: undefined,
  responseType: undefined,
  cookies: undefined,
  jar: undefined,
  responseCallback: undefined,
  throw: undefined,
  compression: undefined,
  auth: undefined,
};

function tagValue(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}

/** k6's names, in its order (httpext.CompressionTypeValues()). */
const COMPRESSIONS = ['gzip', 'deflate', 'zstd', 'br'];

/** The `compression` param, checked as k6's parseRequest does (names are case-sensitive); undefined when blank. */
function compressionParam(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const algos = trimmed.split(',').map((a) => a.trim());
  for (const a of algos) {
    if (!COMPRESSIONS.includes(a)) {
      throw new TypeError(`unknown compression algorithm ${a}, supported algorithms are [${COMPRESSIONS.join(' ')}]`);
    }
  }
  return algos.join(', ');
}

export function parseParams(raw: unknown): RequestParams {
  if (raw === undefined || raw === null) return EMPTY_PARAMS;
  // k6 reads params through ToObject(): a string, number or boolean becomes a wrapper whose keys
  // ("0", "1", … for a string) name no param, so the request goes out with none (no error).
  if (typeof raw !== 'object' && typeof raw !== 'function') return EMPTY_PARAMS;
  const p = raw as Record<string, unknown>;
  const headers: [string, string][] = [];
  if (p.headers !== undefined && p.headers !== null) {
    if (typeof p.headers !== 'object') throw new TypeError('params.headers must be an object');
    // k6 sends every key as String() gives it: a null header is "null", as in k6.
    for (const [k, v] of Object.entries(p.headers as Record<string, unknown>)) headers.push([k, tagValue(v)]);
  }
  let tags: Record<string, string> | undefined;
  if (p.tags !== undefined && p.tags !== null) {
    try {
      tags = { ...applyUserTags({}, p.tags) };
    } catch (e) {
      throw new TypeError(`invalid HTTP request metric tags: ${(e as Error).message}`);
    }
  }
  // k6 reads every key the params object has (sobek's Keys()), whatever its value: `timeout`,
  // `redirects`, `responseType`, `throw` and `compression` set to null or undefined are read as
  // such, not skipped (GetDurationValue refuses them; ToInteger gives 0; String() gives "null").
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(p, k);
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (has('timeout')) {
    try {
      // Zero, negative and non-finite values are deadlines already passed: a request timeout.
      timeoutMs = getDurationValue(p.timeout);
    } catch (e) {
      throw new TypeError(`invalid timeout value: ${(e as Error).message}`);
    }
  }
  let redirects: number | undefined;
  if (has('redirects')) {
    // sobek's ToInteger (NaN is 0); Go's CheckRedirect stops at once for any value below 1.
    const n = Math.trunc(Number(p.redirects));
    redirects = Number.isNaN(n) ? 0 : Math.max(0, n);
  }
  let responseType: ResponseType | undefined;
  if (has('responseType')) {
    if (p.responseType !== 'text' && p.responseType !== 'binary' && p.responseType !== 'none') {
      // k6's message (its generated httpext.ResponseTypeString).
      throw new TypeError(`${String(p.responseType)} does not belong to ResponseType values`);
    }
    responseType = p.responseType;
  }
  let cookies: Record<string, ParamCookie> | undefined;
  if (p.cookies !== undefined && p.cookies !== null) {
    cookies = {};
    for (const [k, v] of Object.entries(p.cookies as Record<string, unknown>)) {
      if (v === undefined || v === null) continue; // k6 skips them
      if (typeof v === 'object') {
        const c = v as { value?: unknown; replace?: unknown };
        cookies[k] = { value: tagValue(c.value ?? ''), replace: c.replace === true };
      } else {
        cookies[k] = { value: tagValue(v), replace: false };
      }
    }
  }
  // Anything but a CookieJar is ignored (the VU's jar is used), as in k6.
  const jar = p.jar instanceof CookieJar ? p.jar : undefined;
  const responseCallback = 'responseCallback' in p ? toResponseCallback(p.responseCallback) : undefined;
  const throwParam = has('throw') ? Boolean(p.throw) : undefined;
  const compression = has('compression') ? compressionParam(String(p.compression)) : undefined;
  // k6 compares the value as written (httpext MakeRequest's switch): "digest" and "ntlm" change the
  // exchange; anything else ("basic", "Digest", "bearer") leaves the URL's credentials to Go's client,
  // which sends them as Basic.
  let auth: string | undefined;
  if (p.auth !== undefined && p.auth !== null && p.auth !== '') {
    auth = String(p.auth);
    if (auth !== 'digest' && auth !== 'ntlm') auth = 'basic';
  }
  return {
    headers, tags, timeoutMs, redirects, responseType, cookies, jar, responseCallback, throw: throwParam, compression, auth,
  };
}
