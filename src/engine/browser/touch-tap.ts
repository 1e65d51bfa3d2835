// Taps as k6 does them (common/touchscreen.go, ElementHandle.tap): CDP touch events whatever the
// context's hasTouch. Playwright's tap refuses a context without hasTouch ("The page does not support
// tap", "hasTouch must be enabled …"); then the element is scrolled into view and touched at its centre (or `position`) by
// Input.dispatchTouchEvent on a CDP session of the page.
import type * as Pw from 'playwright-core';

const sessions = new WeakMap<Pw.Page, Promise<Pw.CDPSession>>();

function noTouch(e: unknown): boolean {
  return e instanceof Error && (e.message.includes('does not support tap') || e.message.includes('hasTouch must be enabled'));
}

async function touch(page: Pw.Page, x: number, y: number): Promise<void> {
  let s = sessions.get(page);
  if (s === undefined) sessions.set(page, (s = page.context().newCDPSession(page)));
  const cdp = await s;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

/** touchscreen.tap(x, y). */
export async function tapAt(page: Pw.Page, x: number, y: number): Promise<void> {
  try {
    await page.touchscreen.tap(x, y);
  } catch (e) {
    if (!noTouch(e)) throw e;
    await touch(page, x, y);
  }
}

export interface TapOptions {
  position?: { x: number; y: number };
  timeout?: number;
  trial?: boolean;
  force?: boolean;
  modifiers?: string[];
  noWaitAfter?: boolean;
  strict?: boolean;
}

/** A Locator's or ElementHandle's tap. */
export async function tapElement(target: Pw.Locator | Pw.ElementHandle, page: Pw.Page, opts: TapOptions): Promise<void> {
  try {
    await target.tap(opts as Parameters<Pw.Locator['tap']>[0]);
    return;
  } catch (e) {
    if (!noTouch(e)) throw e;
  }
  await target.scrollIntoViewIfNeeded(opts.timeout === undefined ? {} : { timeout: opts.timeout });
  const box = await target.boundingBox();
  if (box === null) throw new Error('element is not visible');
  const x = box.x + (opts.position?.x ?? box.width / 2);
  const y = box.y + (opts.position?.y ?? box.height / 2);
  if (opts.trial === true) return;
  await touch(page, x, y);
}
