// What every k6/browser facade reaches through: the VU's call plumbing and one facade per Playwright
// object (the same page always gives the same Page object, as k6 maps one common.Page). Implemented
// by the VU's BrowserSession (browser-session.ts); facades import this type only.
import type * as Pw from 'playwright-core';
import type { BrowserCalls } from './browser-calls.ts';

export interface Facades {
  readonly calls: BrowserCalls;
  page(p: Pw.Page): object;
  frame(f: Pw.Frame): object;
  context(c: Pw.BrowserContext): object;
  /** The k6 `browser` object. */
  browser(): object;
  locator(l: Pw.Locator): object;
  frameLocator(l: Pw.FrameLocator): object;
  elementHandle(h: Pw.ElementHandle): object;
  /** A JSHandle facade, or an ElementHandle facade when the handle is an element. */
  jsHandle(h: Pw.JSHandle): object;
  response(r: Pw.Response | null): object | null;
  request(r: Pw.Request): object;
  /** The Playwright locator of a Locator facade (locator options `has`/`hasNot`, `and`, `or`). */
  unwrapLocator(v: unknown): Pw.Locator;
  /** Closes a page as k6 does: its web vitals finalized first. */
  closePage(p: Pw.Page): Promise<void>;
  /** Logs a warning on the VU's logger (k6's browser logger). */
  warn(msg: string): void;
  /** A ConsoleMessage facade. */
  consoleMessage(m: Pw.ConsoleMessage): object;
  /** The Playwright route handler that runs a page.route handler of the script with k6's Route. */
  routeHandler(handler: (...args: unknown[]) => unknown): (r: Pw.Route) => Promise<void>;
  /** page.on(event, handler) of a page. */
  onPage(p: Pw.Page, event: string, handler: (...args: unknown[]) => unknown): void;
  /** Saves a screenshot's bytes where k6 would (its `path` option), returning them to the script. */
  screenshotBytes(bytes: Buffer): ArrayBuffer;
}
