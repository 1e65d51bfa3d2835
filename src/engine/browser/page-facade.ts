// k6's Page and Frame (browser/page_mapping.go, frame_mapping.go) over Playwright's. The shared
// selector actions are in frame-actions.ts; here what only a page or a frame has.
import type * as Pw from 'playwright-core';
import type { Facades } from './facades.ts';
import { argumentError, browserErrorText } from './browser-calls.ts';
import { FrameActions } from './frame-actions.ts';
import { NAVIGATION, SCREENSHOT, pick, plain, urlPattern } from './browser-options.ts';

const VISION_DEFICIENCIES = ['achromatopsia', 'blurredVision', 'deuteranopia', 'none', 'protanopia', 'tritanopia'];

const PAGE_EVENTS = ['console', 'metric', 'request', 'response', 'requestfinished', 'requestfailed'];

export class PageFacade extends FrameActions {
  protected get isPage(): boolean {
    return true;
  }

  readonly #page: Pw.Page;
  readonly keyboard: object;
  readonly mouse: object;
  readonly touchscreen: object;

  constructor(f: Facades, page: Pw.Page, input: { keyboard: object; mouse: object; touchscreen: object }) {
    super(f);
    this.#page = page;
    this.keyboard = input.keyboard;
    this.mouse = input.mouse;
    this.touchscreen = input.touchscreen;
  }

  protected frame(): Pw.Frame {
    return this.#page.mainFrame();
  }

  #run<T>(work: (p: Pw.Page) => Promise<T>, map?: (v: T) => unknown): Promise<unknown> {
    return this.f.calls.promise(() => work(this.#page), map);
  }

  bringToFront(): Promise<unknown> {
    return this.#run((p) => p.bringToFront());
  }

  close(): Promise<unknown> {
    return this.#run((p) => this.f.closePage(p));
  }

  isClosed(): boolean {
    return this.#page.isClosed();
  }

  context(): unknown {
    return this.f.context(this.#page.context());
  }

  mainFrame(): unknown {
    return this.f.frame(this.#page.mainFrame());
  }

  frames(): unknown {
    return this.f.calls.array(this.#page.frames().map((fr) => this.f.frame(fr)));
  }

  emulateMedia(opts?: unknown): Promise<unknown> {
    return this.#run((p) => p.emulateMedia(pick(opts, ['colorScheme', 'media', 'reducedMotion'])));
  }

  reload(opts?: unknown): Promise<unknown> {
    return this.#run((p) => p.reload(pick(opts, NAVIGATION)), (r) => this.f.response(r));
  }

  goBack(opts?: unknown): Promise<unknown> {
    return this.#run((p) => p.goBack(pick(opts, NAVIGATION)), (r) => this.f.response(r));
  }

  goForward(opts?: unknown): Promise<unknown> {
    return this.#run((p) => p.goForward(pick(opts, NAVIGATION)), (r) => this.f.response(r));
  }

  screenshot(opts?: unknown): Promise<unknown> {
    return this.#run((p) => p.screenshot(pick(opts, SCREENSHOT)), (b) => this.f.screenshotBytes(b));
  }

  setDefaultNavigationTimeout(ms: unknown): void {
    this.#page.setDefaultNavigationTimeout(Number(ms));
  }

  setDefaultTimeout(ms: unknown): void {
    this.#page.setDefaultTimeout(Number(ms));
  }

  setExtraHTTPHeaders(headers: unknown): Promise<unknown> {
    return this.#run((p) => p.setExtraHTTPHeaders(plain(headers) as Record<string, string>));
  }

  setViewportSize(size: unknown): Promise<unknown> {
    const o = pick<{ width?: number; height?: number }>(size, ['width', 'height']);
    return this.#run((p) => p.setViewportSize({ width: Number(o.width ?? 0), height: Number(o.height ?? 0) }));
  }

  viewportSize(): unknown {
    return this.f.calls.toScript(this.#page.viewportSize() ?? { width: 0, height: 0 });
  }

  opener(): Promise<unknown> {
    return this.#run((p) => p.opener(), (o) => (o === null ? null : this.f.page(o)));
  }

  waitForRequest(url: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((p) => p.waitForRequest(plain(url) as string, pick(opts, ['timeout'])), (r) => this.f.request(r));
  }

  waitForResponse(url: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((p) => p.waitForResponse(plain(url) as string, pick(opts, ['timeout'])), (r) => this.f.response(r));
  }

  // page.route (k6 mapPageRoute): the last matching route handles a request; unroute removes the
  // routes added with the same URL (string or RegExp), unrouteAll all of them.
  readonly #routes: { key: string; match: (u: URL) => boolean; handler: (r: Pw.Route) => Promise<void> }[] = [];

  route(url: unknown, handler: unknown): Promise<unknown> {
    if (typeof handler !== 'function') throw new TypeError('handler is not a function');
    const pattern = urlPattern(url);
    const entry = { ...pattern, handler: this.f.routeHandler(handler as (...args: unknown[]) => unknown) };
    this.#routes.push(entry);
    return this.#run((p) => p.route(entry.match, entry.handler));
  }

  unroute(url: unknown): Promise<unknown> {
    const key = urlPattern(url).key;
    const gone = this.#routes.filter((r) => r.key === key);
    for (const r of gone) this.#routes.splice(this.#routes.indexOf(r), 1);
    return this.#run(async (p) => {
      for (const r of gone) await p.unroute(r.match, r.handler);
    });
  }

  unrouteAll(): Promise<unknown> {
    this.#routes.length = 0;
    return this.#run((p) => p.unrouteAll({ behavior: 'ignoreErrors' }));
  }

  /**
   * k6's waitForEvent: `console`, `request`, `response`, `requestfinished` or `requestfailed`, with a
   * predicate (a function, or `{ predicate, timeout }`) run on the VU's loop with the event's object.
   */
  waitForEvent(event: unknown, optsOrPredicate?: unknown): Promise<unknown> {
    const name = String(event);
    let timeout: number | undefined;
    let predicate: ((v: unknown) => unknown) | undefined;
    if (typeof optsOrPredicate === 'function') {
      predicate = optsOrPredicate as (v: unknown) => unknown;
    } else if (optsOrPredicate !== undefined && optsOrPredicate !== null && typeof optsOrPredicate === 'object') {
      for (const [k, v] of Object.entries(optsOrPredicate)) {
        if (k === 'timeout') timeout = Math.trunc(Number(v)) || 0;
        else if (k === 'predicate') {
          if (typeof v !== 'function') throw argumentError('parsing waitForEvent options: predicate must be a function');
          predicate = v as (v: unknown) => unknown;
        } else throw argumentError(`parsing waitForEvent options: waitForEvent does not support option: '${k}'`);
      }
    }
    const toFacade = (v: unknown): unknown => {
      if (name === 'console') return this.f.consoleMessage(v as Pw.ConsoleMessage);
      if (name === 'response') return this.f.response(v as Pw.Response);
      return this.f.request(v as Pw.Request);
    };
    return this.#run(async (p) => {
      if (!['console', 'request', 'response', 'requestfinished', 'requestfailed'].includes(name)) {
        throw new Error(`waitForEvent does not support mapping for event: "${name}"`);
      }
      const calls = this.f.calls;
      try {
        return await p.waitForEvent(name as 'console', {
          ...(timeout !== undefined ? { timeout } : {}),
          predicate: async (v: unknown) => {
            if (predicate === undefined) return true;
            const fn = predicate;
            try {
              return Boolean(await calls.ask(() => fn(toFacade(v))));
            } catch (e) {
              throw new Error(`executing waitForEvent predicate: ${String(e)}`);
            }
          },
        });
      } catch (e) {
        const text = browserErrorText(e).replace(/^(timed out after \S+?) while waiting for event.*$/s, '$1');
        throw new Error(`waiting for page event "${name}": ${text}`);
      }
    }, (v) => toFacade(v));
  }

  #cdp: Promise<Pw.CDPSession> | undefined;

  /** A CDP session of the page (what k6's throttling and emulation send their commands on). */
  #session(): Promise<Pw.CDPSession> {
    this.#cdp ??= this.#page.context().newCDPSession(this.#page);
    return this.#cdp;
  }

  throttleCPU(profile: unknown): Promise<unknown> {
    const o = pick<{ rate?: unknown }>(profile, ['rate']);
    return this.#run(async () => {
      try {
        await (await this.#session()).send('Emulation.setCPUThrottlingRate', { rate: Number(o.rate ?? 0) });
      } catch (e) {
        throw new Error(`throttling CPU: ${browserErrorText(e)}`);
      }
    });
  }

  throttleNetwork(profile: unknown): Promise<unknown> {
    const o = pick<{ latency?: unknown; download?: unknown; upload?: unknown }>(profile, ['latency', 'download', 'upload']);
    return this.#run(async () => {
      try {
        await (await this.#session()).send('Network.emulateNetworkConditions', {
          offline: false,
          latency: Number(o.latency ?? 0),
          downloadThroughput: Number(o.download ?? 0),
          uploadThroughput: Number(o.upload ?? 0),
        });
      } catch (e) {
        throw new Error(`throttling network: ${browserErrorText(e)}`);
      }
    });
  }

  emulateVisionDeficiency(type: unknown): Promise<unknown> {
    const t = String(type);
    return this.#run(async () => {
      if (!VISION_DEFICIENCIES.includes(t)) throw new Error(`unsupported vision deficiency: ${t}`);
      await (await this.#session()).send('Emulation.setEmulatedVisionDeficiency', { type: t as 'none' });
    });
  }

  /** The page's dedicated web workers, each with k6's only Worker method, url(). */
  workers(): unknown {
    return this.f.calls.array(this.#page.workers().map((w) => this.f.calls.realm.object({ url: () => w.url() })));
  }

  on(event: unknown, handler: unknown): void {
    if (typeof handler !== 'function') throw new TypeError('The "listener" argument must be a function');
    const name = String(event);
    if (!PAGE_EVENTS.includes(name)) throw argumentError(`unknown page on event: "${name}"`);
    this.f.onPage(this.#page, name, handler as (...args: unknown[]) => unknown);
  }
}

export class FrameFacade extends FrameActions {
  protected get isPage(): boolean {
    return false;
  }

  readonly #frame: Pw.Frame;

  constructor(f: Facades, frame: Pw.Frame) {
    super(f);
    this.#frame = frame;
  }

  protected frame(): Pw.Frame {
    return this.#frame;
  }

  childFrames(): unknown {
    return this.f.calls.array(this.#frame.childFrames().map((fr) => this.f.frame(fr)));
  }

  parentFrame(): unknown {
    const p = this.#frame.parentFrame();
    return p === null ? null : this.f.frame(p);
  }

  page(): unknown {
    return this.f.page(this.#frame.page());
  }

  name(): string {
    return this.#frame.name();
  }

  isDetached(): boolean {
    return this.#frame.isDetached();
  }

  frameElement(): Promise<unknown> {
    return this.f.calls.promise(() => this.#frame.frameElement(), (h) => this.f.elementHandle(h));
  }
}
