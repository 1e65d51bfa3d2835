// One VU's browser (k6 browser/registry.go, common/browser.go). k6 builds a browser when an
// iteration of a scenario with `options.browser.type` starts and closes it when the iteration ends,
// so nothing an iteration did (contexts, pages, cookies, storage) survives it. Stampede keeps the
// Chromium process for the VU's life (a launch costs seconds) and gives every iteration the same
// clean state instead: it launches on the first browser iteration, and at every iteration's end
// closes each page (finalizing its web vitals, as k6's Page.Close) and each context, which in
// Chromium are incognito-like and share no storage. The process is closed when the VU is.
// Outside a browser iteration (another scenario, setup, teardown) the browser is "not found in
// registry", as in k6. A browser that cannot be built aborts the test with k6's message.
import type * as Pw from 'playwright-core';
import type { VuHost } from '../vu/vu-host.ts';
import type { BrowserCalls } from './browser-calls.ts';
import { goError } from '../vu/go-error.ts';
import { connectTimeout, launchSettings, validateWSEndpoint } from './browser-env.ts';
import { browserErrorText } from './browser-calls.ts';
import { BrowserMetrics, HIDE_PAGE, WEB_VITAL_BINDING, WEB_VITAL_INIT, defineBrowserMetrics } from './browser-metrics.ts';
import { contextOptions } from './browser-options.ts';
import { playwright, webVitalsScript } from './browser-packages.ts';
import { ContextFacade } from './context-facade.ts';
import type { Facades } from './facades.ts';
import { ElementHandleFacade, JSHandleFacade } from './handle-facades.ts';
import { KeyboardFacade, MouseFacade, TouchscreenFacade } from './input-facades.ts';
import { FrameLocatorFacade, LOCATOR, LocatorFacade } from './locator-facade.ts';
import { ConsoleMessageFacade, MetricEventFacade, RequestFacade, ResponseFacade } from './network-facades.ts';
import { FrameFacade, PageFacade } from './page-facade.ts';
import { RouteFacade } from './route-facade.ts';

export const NOT_IN_REGISTRY = 'browser not found in registry. '
  + 'make sure to set browser type option in scenario definition in order to use the browser module';

export interface BrowserSessionDeps {
  readonly host: VuHost;
  readonly calls: BrowserCalls;
  /** The system environment's K6_BROWSER_* variables and PATH. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops the whole test (k6's Abortf), with the reason k6 gives. */
  readonly abortTest: (reason: string) => void;
}

type Handler = (...args: unknown[]) => unknown;

/** A browser the VU drives: the one it launched, or one chromium.connectOverCDP attached to. */
interface Launched {
  readonly browser: Pw.Browser;
  readonly version: string;
  readonly userAgent: string;
  /** The context newContext()/newPage() made (k6 allows one at a time per browser). */
  current?: Pw.BrowserContext | undefined;
  readonly contexts: Set<Pw.BrowserContext>;
  /** Its k6 browser object. */
  facade?: Record<string, unknown>;
}

/** How long closing a page may wait for its last web vitals. */
const FINALIZE_MS = 3000;

/** k6's parseBrowserContextOptions: a bad option is an error at the call (`parsing browser.newPage options: …`). */
function parsedContextOptions(opts: unknown, method: string): Record<string, unknown> {
  try {
    return contextOptions(opts);
  } catch (e) {
    throw goError(`parsing ${method} options: ${(e as Error).message}`);
  }
}

export class BrowserSession implements Facades {
  readonly calls: BrowserCalls;
  readonly #host: VuHost;
  readonly #env: Readonly<Record<string, string>>;
  readonly #abortTest: (reason: string) => void;
  readonly #metrics: BrowserMetrics;
  #launched: Launched | undefined;
  #launchFailure: string | undefined;
  /** The launch under way (an interrupted iteration may leave it to the next one). */
  #launching: Promise<boolean> | undefined;
  /** A browser iteration is running. */
  #active = false;
  /** The browsers chromium.connectOverCDP attached to in this iteration (disconnected at its end). */
  readonly #connected = new Set<Launched>();
  /** Which browser a context belongs to. */
  readonly #ownerOf = new WeakMap<Pw.BrowserContext, Launched>();
  readonly #facades = new WeakMap<object, object>();
  readonly #handlers = new WeakMap<Pw.Page, Map<string, Handler[]>>();
  readonly #vitals = new Set<Promise<void>>();
  readonly #browserFacade: Record<string, unknown>;

  constructor(deps: BrowserSessionDeps) {
    this.#host = deps.host;
    this.calls = deps.calls;
    this.#env = deps.env;
    this.#abortTest = deps.abortTest;
    defineBrowserMetrics(deps.host);
    this.#metrics = new BrowserMetrics(deps.host, (page, url, method) => this.#urlName(page, url, method));
    this.#browserFacade = this.#makeBrowserFacade(() => this.#managed(), false);
  }

  /** The scenario's `options.browser`, when the VU runs an iteration of a browser scenario. */
  #scenarioBrowser(): unknown {
    const state = this.#host.state;
    if (state.phase !== 'vu' || state.scenario === '') return undefined;
    const scenarios = this.#host.options.scenarios as Record<string, { options?: { browser?: unknown } }> | undefined;
    const browser = scenarios?.[state.scenario]?.options?.browser;
    return browser !== null && typeof browser === 'object' && Object.hasOwn(browser, 'type') ? browser : undefined;
  }

  /** Before each iteration: in a browser scenario, the browser is there (launched once per VU). */
  iterationStart(): Promise<void> | undefined {
    // Script callbacks run in every iteration: a browser from chromium.connectOverCDP needs no browser scenario.
    this.calls.beginIteration();
    this.#metrics.live = true;
    const scenarioBrowser = this.#scenarioBrowser();
    if (scenarioBrowser === undefined) return undefined;
    if (this.#launched?.browser.isConnected() === true) {
      this.#active = true;
      this.#metrics.live = true;
      return undefined;
    }
    this.#launching ??= this.#launch(scenarioBrowser).finally(() => {
      this.#launching = undefined;
    });
    return this.#launching.then((ok) => {
      // The iteration may have been interrupted (and ended) while the browser started.
      if (!this.calls.inIteration) return;
      this.#active = ok;
    });
  }

  async #launch(scenarioBrowser: unknown): Promise<boolean> {
    if (this.#launchFailure !== undefined) return false;
    try {
      const settings = launchSettings(scenarioBrowser, this.#env, this.#host.options.hosts);
      let browser: Pw.Browser;
      try {
        browser = await playwright().chromium.launch({
          executablePath: settings.executablePath,
          headless: settings.headless,
          args: settings.args,
          ignoreDefaultArgs: settings.ignoreDefaultArgs,
          timeout: settings.timeoutMs,
          handleSIGINT: false,
          handleSIGTERM: false,
          handleSIGHUP: false,
        });
      } catch (e) {
        throw new Error(`launching browser: ${(e as Error).message.split('\n')[0] ?? ''}`);
      }
      this.#launched = await this.#described(browser);
      return true;
    } catch (e) {
      this.#launchFailure = `error building browser on IterStart: ${(e as Error).message}`;
      this.#abortTest(this.#launchFailure);
      return false;
    }
  }

  /** A browser with its version and k6's user agent (Chromium's, without "Headless"). */
  async #described(browser: Pw.Browser): Promise<Launched> {
    let userAgent = '';
    try {
      const cdp = await browser.newBrowserCDPSession();
      const v = await cdp.send('Browser.getVersion');
      userAgent = v.userAgent.replace('Headless', '');
      await cdp.detach();
    } catch {
      // The version is still known; the user agent stays Chromium's own.
    }
    return { browser, version: browser.version(), userAgent, contexts: new Set() };
  }

  /**
   * chromium.connectOverCDP (k6 chromium/browser_type.go ConnectOverCDP): attaches to a running
   * Chromium; the connection (not the browser) is closed when the iteration ends, or by close().
   */
  connectOverCDP(wsEndpoint: unknown): Promise<unknown> {
    const endpoint = wsEndpoint === undefined || wsEndpoint === null ? '' : String(wsEndpoint);
    return this.calls.promise(async () => {
      try {
        validateWSEndpoint(endpoint);
        let timeoutMs: number;
        try {
          timeoutMs = connectTimeout(this.#env);
        } catch (e) {
          throw new Error(`initializing browser type: error parsing browser options: ${(e as Error).message}`);
        }
        let browser: Pw.Browser;
        try {
          browser = await playwright().chromium.connectOverCDP(endpoint, { timeout: timeoutMs });
        } catch (e) {
          throw new Error(browserErrorText(e).split('\n')[0] ?? '');
        }
        const inst = await this.#described(browser);
        if (!this.calls.inIteration) {
          await browser.close().catch(() => undefined);
          throw new Error('canceled');
        }
        this.#connected.add(inst);
        return inst;
      } catch (e) {
        throw new Error(`connecting to Chromium over CDP: ${(e as Error).message}`);
      }
    }, (inst) => (inst.facade ??= this.#makeBrowserFacade(() => inst, true)));
  }

  /** Closes a browser's pages (web vitals finalized unless the iteration was interrupted), then its contexts. */
  async #closeContexts(inst: Launched): Promise<void> {
    const contexts = [...inst.contexts];
    inst.contexts.clear();
    inst.current = undefined;
    // An interrupted iteration (gracefulStop, abort) must end at once: its pages are dropped with
    // their contexts, without waiting for their last web vitals.
    const interrupted = this.#host.signal.aborted;
    for (const c of contexts) {
      if (!interrupted) for (const p of c.pages()) await this.closePage(p).catch(() => undefined);
      await c.close().catch(() => undefined);
    }
  }

  /** After each iteration: every page closed (web vitals finalized), then every context; connections over CDP closed. */
  async iterationEnd(): Promise<void> {
    this.calls.endIteration();
    const connected = [...this.#connected];
    this.#connected.clear();
    for (const inst of connected) {
      await this.#closeContexts(inst);
      await inst.browser.close().catch(() => undefined);
    }
    if (this.#active) {
      this.#active = false;
      if (this.#launched !== undefined) await this.#closeContexts(this.#launched);
    }
    this.#metrics.live = false;
  }

  /** When the VU is closed: the browser process ends. */
  async close(): Promise<void> {
    const launched = this.#launched;
    this.#launched = undefined;
    if (launched !== undefined) await launched.browser.close().catch(() => undefined);
  }

  /** The browser of the browser scenario's iteration. */
  #managed(): Launched {
    if (!this.#active || this.#launched === undefined) throw goError(NOT_IN_REGISTRY);
    return this.#launched;
  }

  async #newContext(inst: Launched, opts: Record<string, unknown>, forPage: boolean): Promise<Pw.BrowserContext> {
    if (inst.current !== undefined) {
      throw new Error(`${forPage ? 'new page: ' : ''}existing browser context must be closed before creating a new one`);
    }
    const ua = inst.userAgent;
    const context = await inst.browser.newContext({ ...(ua !== '' ? { userAgent: ua } : {}), ...opts });
    inst.current = context;
    inst.contexts.add(context);
    this.#ownerOf.set(context, inst);
    context.on('close', () => {
      inst.contexts.delete(context);
      if (inst.current === context) inst.current = undefined;
    });
    await context.exposeBinding(WEB_VITAL_BINDING, (source: { page?: Pw.Page }, payload: unknown) => {
      const p = this.#metrics.webVital(source.page, payload).catch(() => undefined);
      this.#vitals.add(p);
      void p.finally(() => this.#vitals.delete(p));
    });
    await context.addInitScript({ content: `${webVitalsScript()}\n${WEB_VITAL_INIT}` });
    await context.addInitScript({ content: 'window.k6 = { testRunId: "" };' });
    this.#metrics.attach(context);
    return context;
  }

  // ContextOwner.
  async newPage(c: Pw.BrowserContext): Promise<Pw.Page> {
    return c.newPage();
  }

  async closeContext(c: Pw.BrowserContext): Promise<void> {
    for (const p of c.pages()) await this.closePage(p).catch(() => undefined);
    await c.close();
    const inst = this.#ownerOf.get(c);
    inst?.contexts.delete(c);
    if (inst?.current === c) inst.current = undefined;
  }

  browserOf(c: Pw.BrowserContext): object {
    const inst = this.#ownerOf.get(c);
    return inst?.facade ?? this.#browserFacade;
  }

  async closePage(p: Pw.Page): Promise<void> {
    if (p.isClosed()) return;
    const bounded = <T>(work: Promise<T>): Promise<unknown> => Promise.race([
      work.catch(() => undefined),
      new Promise((r) => setTimeout(r, FINALIZE_MS).unref()),
    ]);
    await bounded((async () => {
      await p.evaluate(`(${HIDE_PAGE})()`);
      await p.keyboard.down('Escape');
      if (this.#vitals.size > 0) await Promise.all([...this.#vitals]);
    })());
    await p.close();
  }

  /** k6's browser object over a browser (`close()` only for one connectOverCDP gave, as k6's addUserManagedClose). */
  #makeBrowserFacade(get: () => Launched, userManaged: boolean): Record<string, unknown> {
    const calls = this.calls;
    const facade: Record<string, unknown> = {
      context: (): unknown => {
        const inst = get();
        return inst.current === undefined ? null : this.context(inst.current);
      },
      closeContext: (): Promise<unknown> => calls.promise(async () => {
        const inst = get();
        if (inst.current === undefined) throw new Error('cannot close context as none is active in browser');
        await this.closeContext(inst.current);
      }),
      isConnected: (): boolean => get().browser.isConnected(),
      newContext: (opts?: unknown): Promise<unknown> => {
        const o = parsedContextOptions(opts, 'browser.newContext');
        return calls.promise(() => this.#newContext(get(), o, false), (c) => this.context(c));
      },
      newPage: (opts?: unknown): Promise<unknown> => {
        const o = parsedContextOptions(opts, 'browser.newPage');
        return calls.promise(async () => (await this.#newContext(get(), o, true)).newPage(), (p) => this.page(p));
      },
      userAgent: (): string => get().userAgent,
      version: (): string => get().version,
    };
    if (userManaged) {
      facade.close = (): Promise<unknown> => calls.promise(async () => {
        const inst = get();
        if (!this.#connected.delete(inst)) return;
        await this.#closeContexts(inst);
        await inst.browser.close().catch(() => undefined);
      });
    }
    return facade;
  }

  // Facades.
  browser(): object {
    return this.#browserFacade;
  }

  #cached<K extends object, V extends object>(key: K, make: () => V): V {
    const known = this.#facades.get(key);
    if (known !== undefined) return known as V;
    const v = make();
    this.#facades.set(key, v);
    return v;
  }

  page(p: Pw.Page): object {
    return this.#cached(p, () => new PageFacade(this, p, {
      keyboard: new KeyboardFacade(this.calls, p.keyboard),
      mouse: new MouseFacade(this.calls, p.mouse),
      touchscreen: new TouchscreenFacade(this.calls, p),
    }));
  }

  frame(f: Pw.Frame): object {
    return this.#cached(f, () => new FrameFacade(this, f));
  }

  context(c: Pw.BrowserContext): object {
    return this.#cached(c, () => new ContextFacade(this, c, this));
  }

  locator(l: Pw.Locator): object {
    return new LocatorFacade(this, l);
  }

  frameLocator(l: Pw.FrameLocator): object {
    return new FrameLocatorFacade(this, l);
  }

  elementHandle(h: Pw.ElementHandle): object {
    return this.#cached(h, () => new ElementHandleFacade(this, h));
  }

  jsHandle(h: Pw.JSHandle): object {
    const el = h.asElement();
    return el !== null ? this.elementHandle(el) : this.#cached(h, () => new JSHandleFacade(this, h));
  }

  response(r: Pw.Response | null): object | null {
    return r === null ? null : this.#cached(r, () => new ResponseFacade(this, r));
  }

  request(r: Pw.Request): object {
    return this.#cached(r, () => new RequestFacade(this, r));
  }

  unwrapLocator(v: unknown): Pw.Locator {
    if (v instanceof LocatorFacade) return v[LOCATOR];
    throw new TypeError('expected a Locator');
  }

  screenshotBytes(bytes: Buffer): ArrayBuffer {
    return this.calls.realm.arrayBuffer(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  warn(msg: string): void {
    this.#host.log.warn(msg);
  }

  consoleMessage(m: Pw.ConsoleMessage): object {
    return new ConsoleMessageFacade(this, m);
  }

  /**
   * A page.route handler runs on the VU's loop with a Route (k6 mapPageRoute queues it on the page's
   * task queue); a request intercepted outside an iteration goes on unchanged.
   */
  routeHandler(handler: Handler): (r: Pw.Route) => Promise<void> {
    return async (r) => {
      if (!this.calls.inIteration) {
        await r.continue().catch(() => undefined);
        return;
      }
      await this.calls.callback(() => handler(new RouteFacade(this, r)));
    };
  }

  onPage(p: Pw.Page, event: string, handler: Handler): void {
    let byEvent = this.#handlers.get(p);
    if (byEvent === undefined) this.#handlers.set(p, (byEvent = new Map()));
    let list = byEvent.get(event);
    if (list !== undefined) {
      list.push(handler);
      return;
    }
    byEvent.set(event, (list = [handler]));
    const handlers = list;
    if (event === 'metric') return; // asked for by the metrics as they are emitted (#urlName)
    const fire = (arg: unknown): void => {
      for (const h of handlers) void this.calls.callback(() => h(arg));
    };
    switch (event) {
      case 'console':
        p.on('console', (m) => fire(this.consoleMessage(m)));
        break;
      case 'request':
        p.on('request', (r) => fire(this.request(r)));
        break;
      case 'response':
        p.on('response', (r) => fire(this.response(r)));
        break;
      case 'requestfinished':
        p.on('requestfinished', (r) => fire(this.request(r)));
        break;
      case 'requestfailed':
        p.on('requestfailed', (r) => fire(this.request(r)));
        break;
      default:
        break;
    }
  }

  /** The `url`/`name` tag of a metric: what the page's 'metric' handlers name it, else the URL. */
  async #urlName(page: Pw.Page | undefined, url: string, method: string): Promise<string> {
    const handlers = page === undefined ? undefined : this.#handlers.get(page)?.get('metric');
    if (handlers === undefined || handlers.length === 0) return url;
    const event = new MetricEventFacade(url, method);
    for (const h of handlers) await this.calls.callback(() => h(event));
    return event.named ?? url;
  }
}
