// k6's BrowserContext (browser/browser_context_mapping.go) over Playwright's. pages(), browser() and
// the setDefault*Timeout setters are synchronous; the rest returns promises.
import type * as Pw from 'playwright-core';
import type { Facades } from './facades.ts';
import { argumentError } from './browser-calls.ts';
import { pick, plain } from './browser-options.ts';

export interface ContextOwner {
  newPage(c: Pw.BrowserContext): Promise<Pw.Page>;
  closeContext(c: Pw.BrowserContext): Promise<void>;
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
    return this.#run((c) => c.addCookies(plain(cookies) as Parameters<Pw.BrowserContext['addCookies']>[0]));
  }

  addInitScript(script: unknown): Promise<unknown> {
    let content: string;
    if (typeof script === 'function') content = `(${String(script)})();`;
    else if (script !== null && typeof script === 'object' && 'content' in script) content = String((script as { content: unknown }).content);
    else content = String(script ?? '');
    return this.#run((c) => c.addInitScript({ content }));
  }

  browser(): unknown {
    return this.#f.browser();
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

  setDefaultTimeout(ms: unknown): void {
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

  waitForEvent(event: unknown, optsOrPredicate?: unknown): Promise<unknown> {
    if (event !== 'page') throw argumentError(`incorrect event "${String(event)}", "page" is the only event supported`);
    const timeout = typeof optsOrPredicate === 'object' && optsOrPredicate !== null
      ? pick<{ timeout?: number }>(optsOrPredicate, ['timeout']).timeout
      : undefined;
    return this.#run((c) => c.waitForEvent('page', timeout === undefined ? {} : { timeout }), (p) => this.#f.page(p));
  }

  pages(): unknown {
    return this.#f.calls.array(this.#c.pages().map((p) => this.#f.page(p)));
  }

  newPage(): Promise<unknown> {
    return this.#run((c) => this.#owner.newPage(c), (p) => this.#f.page(p));
  }
}
