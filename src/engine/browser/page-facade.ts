// k6's Page and Frame (browser/page_mapping.go, frame_mapping.go) over Playwright's. The shared
// selector actions are in frame-actions.ts; here what only a page or a frame has.
import type * as Pw from 'playwright-core';
import type { Facades } from './facades.ts';
import { argumentError } from './browser-calls.ts';
import { FrameActions } from './frame-actions.ts';
import { NAVIGATION, SCREENSHOT, pick, plain } from './browser-options.ts';

const PAGE_EVENTS = ['console', 'metric', 'request', 'response', 'requestfinished', 'requestfailed'];

export class PageFacade extends FrameActions {
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

  workers(): unknown {
    return this.f.calls.array([]);
  }

  on(event: unknown, handler: unknown): void {
    if (typeof handler !== 'function') throw new TypeError('The "listener" argument must be a function');
    const name = String(event);
    if (!PAGE_EVENTS.includes(name)) throw argumentError(`unknown page on event: "${name}"`);
    this.f.onPage(this.#page, name, handler as (...args: unknown[]) => unknown);
  }
}

export class FrameFacade extends FrameActions {
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
