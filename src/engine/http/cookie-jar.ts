import { Cookie, CookieJar as ToughJar } from 'tough-cookie';

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
  /** @internal Created on first store: a fresh jar per iteration must cost nothing. */
  private tough: ToughJar | undefined = undefined;
  /** @internal */
  used = false;

  private get jar(): ToughJar {
    this.tough ??= new ToughJar(undefined, { looseMode: true, rejectPublicSuffixes: false });
    return this.tough;
  }

  cookiesForURL(url: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    if (!this.used) return out;
    for (const c of this.jar.getCookiesSync(String(url))) {
      (out[c.key] ??= []).push(c.value);
    }
    return out;
  }

  set(url: string, name: string, value: string, opts?: CookieSetOptions | null): boolean {
    const c = new Cookie({ key: String(name), value: String(value) });
    if (opts) {
      if (opts.path !== undefined) c.path = String(opts.path);
      if (opts.domain !== undefined) c.domain = String(opts.domain);
      if (opts.expires !== undefined && opts.expires !== '') {
        const t = new Date(String(opts.expires));
        if (Number.isNaN(t.getTime())) {
          throw new Error(`unable to parse "expires" date string "${String(opts.expires)}"`);
        }
        c.expires = t;
      }
      if (opts.max_age !== undefined) c.maxAge = Math.trunc(Number(opts.max_age));
      if (opts.secure !== undefined) c.secure = Boolean(opts.secure);
      if (opts.http_only !== undefined) c.httpOnly = Boolean(opts.http_only);
    }
    this.storeCookie(c, String(url));
    return true;
  }

  clear(url: string): boolean {
    if (!this.used) return true;
    for (const c of this.jar.getCookiesSync(String(url))) this.remove(c);
    return true;
  }

  delete(url: string, name: string): boolean {
    if (!this.used) return true;
    for (const c of this.jar.getCookiesSync(String(url))) {
      if (c.key === String(name)) this.remove(c);
    }
    return true;
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
      const parsed = Cookie.parse(v, { loose: true });
      if (parsed) this.storeCookie(parsed, url);
    }
  }

  private storeCookie(c: Cookie, url: string): void {
    this.used = true;
    this.jar.setCookieSync(c, url, { ignoreError: true });
  }

  private remove(c: Cookie): void {
    // MemoryCookieStore completes synchronously when given a callback.
    this.jar.store.removeCookie(c.domain, c.path, c.key, () => undefined);
  }
}
