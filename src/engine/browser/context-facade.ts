// k6's BrowserContext (browser/browser_context_mapping.go) over Playwright's. pages(), browser() and
// the setDefault*Timeout setters are synchronous; the rest returns promises.
import type * as Pw from 'playwright-core';
import type { Facades } from './facades.ts';
import { argumentError } from './browser-calls.ts';
import { formatDuration } from '../../core/index.ts';

/** k6's default timeout of a context's waits. */
const DEFAULT_TIMEOUT_MS = 30_000;
import { pick, plain } from './browser-options.ts';

/**
 * A script's cookie as k6 reads it (sobek's ExportTo into common.Cookie): the string fields are the
 * values' strings (`value: 123456` is "123456"), httpOnly and secure their truth, expires an integer
 * of seconds; other properties are ignored.
 */
type CookieParam = Parameters<Pw.BrowserContext['addCookies']>[0][number];

function cookieParam(v: unknown): CookieParam {
  const o = v !== null && typeof v === 'object' ? v as Record<string, unknown> : {};
  const str = (x: unknown): string => (x === undefined || x === null ? '' : String(x));
  const out: Record<string, unknown> = { name: str(o.name), value: str(o.value) };
  for (const k of ['domain', 'path', 'url', 'sameSite'] as const) if (str(o[k]) !== '') out[k] = str(o[k]);
  if (o.httpOnly !== undefined) out.httpOnly = Boolean(o.httpOnly);
  if (o.secure !== undefined) out.secure = Boolean(o.secure);
  const expires = Math.trunc(Number(o.expires ?? 0));
  if (expires > 0) out.expires = expires;
  return out as unknown as CookieParam;
}

export interface ContextOwner {
  newPage(c: Pw.BrowserContext): Promise<Pw.Page>;
  closeContext(c: Pw.BrowserContext): Promise<void>;
  /** The k6 browser object the context belongs to. */
  browserOf(c: Pw.BrowserContext): object;
}

export class ContextFacade {
  readonly #f: Facades;
  readonly #c: Pw.BrowserContext;
  readonly #owner: ContextOwner;

  constructor(f: Facades, c: Pw.BrowserContext, owner: ContextOwner) {
    this.#f = f;
    this.#c = c;
    this.#owner = owner;
  }

  #run<T>(work: (c: Pw.BrowserContext) => Promise<T>, map?: (v: T) => unknown): Promise<unknown> {
    return this.#f.calls.promise(() => work(this.#c), map);
  }

  addCookies(cookies: unknown): Promise<unknown> {
    if (!Array.isArray(cookies)) throw argumentError('addCookies: cookies must be an array');
    return this.#run((c) => c.addCookies(cookies.map(cookieParam)));
  }

  addInitScript(script: unknown): Promise<unknown> {
    let content: string;
    if (typeof script === 'function') content = `(${String(script)})();`;
    else if (script !== null && typeof script === 'object' && 'content' in script) content = String((script as { content: unknown }).content);
    else content = String(script ?? '');
    return this.#run((c) => c.addInitScript({ content }));
  }

  browser(): unknown {
    return this.#owner.browserOf(this.#c);
  }

  clearCookies(filter?: unknown): Promise<unknown> {
    return this.#run((c) => c.clearCookies(pick(filter, ['domain', 'name', 'path'])));
  }

  clearPermissions(): Promise<unknown> {
    return this.#run((c) => c.clearPermissions());
  }

  close(): Promise<unknown> {
    return this.#run((c) => this.#owner.closeContext(c));
  }

  cookies(...urls: unknown[]): Promise<unknown> {
    const list = urls.flat().map(String);
    return this.#run((c) => c.cookies(list), (cs) => this.#f.calls.toScript(cs));
  }

  grantPermissions(permissions: unknown, opts?: unknown): Promise<unknown> {
    const perms = Array.isArray(permissions) ? permissions.map(String) : [];
    return this.#run((c) => c.grantPermissions(perms, pick(opts, ['origin'])));
  }

  setDefaultNavigationTimeout(ms: unknown): void {
    this.#c.setDefaultNavigationTimeout(Number(ms));
  }

  /** The context's default timeout (k6's bc.Timeout()), which its waitForEvent reports. */
  #defaultTimeout = DEFAULT_TIMEOUT_MS;

  setDefaultTimeout(ms: unknown): void {
    this.#defaultTimeout = Number(ms);
    this.#c.setDefaultTimeout(Number(ms));
  }

  setGeolocation(geolocation: unknown): Promise<unknown> {
    return this.#run((c) => c.setGeolocation(pick(geolocation, ['latitude', 'longitude', 'accuracy']) as { latitude: number; longitude: number }));
  }

  setOffline(offline: unknown): Promise<unknown> {
    return this.#run((c) => c.setOffline(Boolean(offline)));
  }

  setExtraHTTPHeaders(headers: unknown): Promise<unknown> {
    return this.#run((c) => c.setExtraHTTPHeaders(plain(headers) as Record<string, string>));
  }

  /**
   * k6's BrowserContext.waitForEvent: only 'page' (checked when it runs, as k6 does), with a
   * predicate (a function, or `{ predicate, timeout }`) run on the VU's loop with the new Page.
   */
  waitForEvent(event: unknown, optsOrPredicate?: unknown): Promise<unknown> {
    let timeout: number | undefined;
    let predicate: ((p: unknown) => unknown) | undefined;
    if (typeof optsOrPredicate === 'function') {
      predicate = optsOrPredicate as (p: unknown) => unknown;
    } else if (optsOrPredicate !== undefined && optsOrPredicate !== null && typeof optsOrPredicate === 'object') {
      for (const [k, v] of Object.entries(optsOrPredicate)) {
        if (k === 'predicate') {
          if (typeof v !== 'function') throw argumentError('parsing wait for event options: predicate function is not callable');
          predicate = v as (p: unknown) => unknown;
        } else if (k === 'timeout') {
          timeout = Math.trunc(Number(v)) || 0;
        } else {
          throw argumentError(`parsing wait for event options: unknown option: ${k}`);
        }
      }
    }
    const name = String(event);
    const calls = this.#f.calls;
    return this.#run(async (c) => {
      if (name !== 'page') throw new Error(`incorrect event "${name}", "page" is the only event supported`);
      const ms = timeout ?? this.#defaultTimeout;
      try {
        return await c.waitForEvent('page', {
          timeout: ms,
          predicate: async (p: Pw.Page) => predicate === undefined || Boolean(await calls.ask(() => predicate(this.#f.page(p)))),
        });
      } catch (e) {
        if (e instanceof Error && e.name === 'TimeoutError') throw new Error(`waitForEvent timed out after ${formatDuration(ms)}`);
        throw e;
      }
    }, (p) => this.#f.page(p));
  }

  /** Deprecated in k6, which warns; the context's pages get the credentials. */
  setHTTPCredentials(credentials: unknown): Promise<unknown> {
    const o = pick<{ username?: unknown; password?: unknown }>(credentials, ['username', 'password']);
    this.#f.warn('setHTTPCredentials is deprecated. Create a new BrowserContext with httpCredentials instead.');
    return this.#run((c) => c.setHTTPCredentials({ username: String(o.username ?? ''), password: String(o.password ?? '') }));
  }

  pages(): unknown {
    return this.#f.calls.array(this.#c.pages().map((p) => this.#f.page(p)));
  }

  newPage(): Promise<unknown> {
    return this.#run((c) => this.#owner.newPage(c), (p) => this.#f.page(p));
  }
}
