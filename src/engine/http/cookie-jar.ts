import { readSetCookieValue } from './go-cookie-value.ts';
import { Cookie, CookieJar as ToughJar, canonicalDomain } from 'tough-cookie';
import { goError } from '../vu/go-error.ts';
import { parseGoRfc1123, parseGoSetCookie } from './go-set-cookie.ts';
import { goUrlParseError, goUrlScheme } from './go-url-parse.ts';

// The script-facing cookie jar (k6's js/modules/k6/http/cookiejar.go) over tough-cookie. `used`
// lets the request path skip jar lookups entirely while nothing was ever stored, which is the common
// case of a load test against a cookie-less API.

export interface CookieSetOptions {
  readonly domain?: unknown;
  readonly path?: unknown;
  readonly expires?: unknown;
  readonly max_age?: unknown;
  readonly secure?: unknown;
  readonly http_only?: unknown;
}

export class CookieJar {
  // Private state: scripts (and console.log(jar)) see only the methods, as k6's Go jar shows them.
  /** Created on first store: a fresh jar per iteration must cost nothing. */
  #tough: ToughJar | undefined = undefined;
  #used = false;

  /** @internal Whether anything was ever stored (the request path skips the jar until then). */
  get used(): boolean {
    return this.#used;
  }

  private get jar(): ToughJar {
    this.#tough ??= new ToughJar(undefined, { looseMode: true, rejectPublicSuffixes: false });
    return this.#tough;
  }

  cookiesForURL(url: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    if (!jarUrl(url) || !this.used) return out;
    for (const c of this.jar.getCookiesSync(String(url))) {
      (out[c.key] ??= []).push(c.value);
    }
    return out;
  }

  set(url: string, name: string, value: string, opts?: CookieSetOptions | null): boolean {
    const usable = jarUrl(url);
    // k6's Set takes Go strings: sobek hands "" for a null or undefined argument, not "null".
    const c = new Cookie({ key: goStringArg(name), value: goStringArg(value) });
    if (opts !== null && typeof opts === 'object') {
      // k6 matches the option names case-insensitively (strings.ToLower) and reads them as Go would.
      for (const [k, v] of Object.entries(opts)) {
        switch (k.toLowerCase()) {
          case 'path': c.path = String(v); break;
          case 'domain': c.domain = String(v); break;
          case 'expires': {
            const text = String(v);
            if (text !== '') {
              const parsed = parseGoRfc1123(text);
              if (typeof parsed === 'string') throw goError(`unable to parse "expires" date string "${text}": ${parsed}`);
              c.expires = parsed;
            }
            break;
          }
          case 'max_age': {
            // Go's http.Cookie: 0 is "no Max-Age" (a session cookie, or Expires decides), < 0 deletes.
            const n = goToInteger(v);
            c.maxAge = n === 0 ? null : n < 0 ? '-Infinity' : n;
            break;
          }
          case 'secure': c.secure = Boolean(v); break;
          case 'http_only': c.httpOnly = Boolean(v); break;
        }
      }
    }
    if (usable) this.storeCookie(c, String(url));
    return true;
  }

  /**
   * k6 "clears" by storing an expired copy of each cookie the URL gets, named only (Go's jar hands
   * out names and values): so only those at the URL's host and default path go, as in k6.
   */
  clear(url: string): void {
    if (!jarUrl(url) || !this.used) return;
    const at = jarLocation(url);
    for (const c of this.jar.getCookiesSync(String(url))) this.removeAt(at, c.key);
  }

  /** k6 stores an expired cookie of that name for the URL: it deletes the one at the URL's host and default path. */
  delete(url: string, name: string): void {
    if (name === undefined || name === null || String(name) === '') throw goError('cookie: is null');
    if (jarUrl(url) && this.used) this.removeAt(jarLocation(url), String(name));
  }

  /** @internal Cookie header value for a request to `url`, or "" when none applies. */
  headerFor(url: string): string {
    return this.used ? this.jar.getCookieStringSync(url) : '';
  }

  /** @internal Cookies the jar would send to `url`. */
  cookiesFor(url: string): Cookie[] {
    return this.used ? this.jar.getCookiesSync(url) : [];
  }

  /** @internal Stores the Set-Cookie values of a response to `url`. */
  storeSetCookies(url: string, values: readonly string[]): void {
    for (const v of values) {
      // Only what Go's ParseSetCookie accepts reaches k6's jar (no "=", a bad name or value: dropped).
      if (parseGoSetCookie(v) === undefined) continue;
      const parsed = Cookie.parse(v, { loose: true });
      const value = parsed ? readSetCookieValue(parsed.value) : undefined;
      if (!parsed || value === undefined) continue;
      parsed.value = value;
      this.storeCookie(parsed, url);
    }
  }

  private storeCookie(c: Cookie, url: string): void {
    this.#used = true;
    this.jar.setCookieSync(c, url, { ignoreError: true });
  }

  private removeAt(at: { domain: string; path: string }, key: string): void {
    // MemoryCookieStore completes synchronously when given a callback.
    this.jar.store.removeCookie(at.domain, at.path, key, () => undefined);
  }
}

/** Where Go's jar files a cookie set for `url` without Domain and Path: its host and default path. */
function jarLocation(url: string): { domain: string; path: string } {
  const u = new URL(String(url));
  return { domain: canonicalDomain(u.hostname.replace(/^\[|\]$/g, '')) ?? u.hostname, path: defaultPath(u.pathname) };
}

/** RFC 6265's default-path (Go's cookiejar.defaultPath). */
function defaultPath(path: string): string {
  if (path === '' || !path.startsWith('/')) return '/';
  const i = path.lastIndexOf('/');
  return i === 0 ? '/' : path.slice(0, i);
}

/**
 * k6 reads a jar method's URL with Go's url.Parse (its error is thrown as a GoError) and hands it to
 * Go's cookiejar, which ignores any URL that is not http(s) with a host: `jar.set('example.com', …)`
 * (no scheme) stores nothing and returns true, `cookiesForURL('example.com')` gives {}.
 */
function jarUrl(url: unknown): boolean {
  const text = String(url);
  const bad = goUrlParseError(text);
  if (bad !== undefined) throw goError(bad);
  const scheme = goUrlScheme(text);
  if (scheme !== 'http' && scheme !== 'https') return false;
  try {
    return new URL(text).hostname !== '';
  } catch {
    return false;
  }
}

/** sobek's ToInteger: NaN is 0, the rest truncated. */
function goToInteger(v: unknown): number {
  const n = Math.trunc(Number(v));
  return Number.isFinite(n) ? n : 0;
}

function goStringArg(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}
