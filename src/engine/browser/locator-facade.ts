// k6's Locator and FrameLocator (browser/locator_mapping.go, frame_locator_mapping.go) over
// Playwright's: lazy, strict, auto-waiting. Actions and queries return promises; first/last/nth/
// filter/locator/getBy*/and/or/contentFrame are synchronous.
import type * as Pw from 'playwright-core';
import type { Facades } from './facades.ts';
import { locatorOptions, roleOptions, selectValues } from './frame-actions.ts';
import {
  CHECK, CLICK, DBLCLICK, FILL, HOVER, PRESS, SELECT, TIMEOUT, pick, plain, textOrRegExp,
} from './browser-options.ts';
import { pageCall, sourceFunction } from './page-function.ts';
import { type TapOptions, tapElement } from './touch-tap.ts';
import { isEditable } from './element-state.ts';

/** The Playwright locator behind a facade (for `has`, `and`, `or`). */
export const LOCATOR: unique symbol = Symbol('stampede.browserLocator');

export class LocatorFacade {
  readonly #f: Facades;
  readonly [LOCATOR]: Pw.Locator;

  constructor(f: Facades, locator: Pw.Locator) {
    this.#f = f;
    this[LOCATOR] = locator;
  }

  #run<T>(work: (l: Pw.Locator) => Promise<T>, map?: (v: T) => unknown): Promise<unknown> {
    return this.#f.calls.promise(() => work(this[LOCATOR]), map);
  }

  #wrap(l: Pw.Locator): unknown {
    return this.#f.locator(l);
  }

  all(): Promise<unknown> {
    return this.#run((l) => l.all(), (ls) => this.#f.calls.array(ls.map((l) => this.#wrap(l))));
  }

  boundingBox(opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.boundingBox(pick(opts, TIMEOUT)), (b) => this.#f.calls.toScript(b));
  }

  clear(opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.clear(pick(opts, FILL)));
  }

  click(opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.click(pick(opts, CLICK)));
  }

  dblclick(opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.dblclick(pick(opts, DBLCLICK)));
  }

  check(opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.check(pick(opts, CHECK)));
  }

  uncheck(opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.uncheck(pick(opts, CHECK)));
  }

  setChecked(checked: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.setChecked(Boolean(checked), pick(opts, CHECK)));
  }

  count(): Promise<unknown> {
    return this.#run((l) => l.count());
  }

  contentFrame(): unknown {
    return this.#f.frameLocator(this[LOCATOR].contentFrame());
  }

  evaluate(pageFunction: unknown, ...args: unknown[]): Promise<unknown> {
    // k6 hands the element to the function as its first argument, then the script's arguments.
    const call = pageCall('evaluate', pageFunction, args, false, true);
    return this.#run((l) => l.evaluate(call.fn as () => void, call.arg), (v) => this.#f.calls.toScript(v));
  }

  evaluateHandle(pageFunction: unknown, ...args: unknown[]): Promise<unknown> {
    const call = pageCall('evaluateHandle', pageFunction, args, false, true);
    return this.#run((l) => l.evaluateHandle(call.fn as () => void, call.arg), (h) => this.#f.jsHandle(h));
  }

  isChecked(opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.isChecked(pick(opts, TIMEOUT)));
  }

  isEditable(opts?: unknown): Promise<unknown> {
    return this.#run((l) => isEditable(l, pick(opts, TIMEOUT)));
  }

  isEnabled(opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.isEnabled(pick(opts, TIMEOUT)));
  }

  isDisabled(opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.isDisabled(pick(opts, TIMEOUT)));
  }

  isVisible(): Promise<unknown> {
    return this.#run((l) => l.isVisible());
  }

  isHidden(): Promise<unknown> {
    return this.#run((l) => l.isHidden());
  }

  isInViewport(opts?: unknown): Promise<unknown> {
    const o = pick<{ ratio?: number; timeout?: number }>(opts, ['ratio', 'timeout']);
    const ratio = Number(o.ratio ?? 0);
    const fn = sourceFunction(`(el, r) => new Promise((resolve) => {
      const io = new IntersectionObserver((entries) => {
        io.disconnect();
        const e = entries[0];
        resolve(e !== undefined && (r > 0 ? e.intersectionRatio >= r : e.intersectionRatio > 0));
      });
      io.observe(el);
    })`);
    return this.#run((l) => l.evaluate(fn, ratio, o.timeout === undefined ? {} : { timeout: Number(o.timeout) }));
  }

  fill(value: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.fill(String(value ?? ''), pick(opts, FILL)));
  }

  focus(opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.focus(pick(opts, TIMEOUT)));
  }

  getAttribute(name: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.getAttribute(String(name), pick(opts, TIMEOUT)));
  }

  innerHTML(opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.innerHTML(pick(opts, TIMEOUT)));
  }

  innerText(opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.innerText(pick(opts, TIMEOUT)));
  }

  textContent(opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.textContent(pick(opts, TIMEOUT)));
  }

  inputValue(opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.inputValue(pick(opts, TIMEOUT)));
  }

  selectOption(values: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.selectOption(selectValues(values) as string[], pick(opts, SELECT)), (v) => this.#f.calls.array(v));
  }

  press(key: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.press(String(key), pick(opts, PRESS)));
  }

  pressSequentially(text: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.pressSequentially(String(text), pick(opts, PRESS)));
  }

  type(text: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.pressSequentially(String(text), pick(opts, PRESS)));
  }

  hover(opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.hover(pick(opts, HOVER)));
  }

  tap(opts?: unknown): Promise<unknown> {
    return this.#run((l) => tapElement(l, l.page(), pick<TapOptions>(opts, HOVER)));
  }

  dispatchEvent(type: unknown, eventInit?: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.dispatchEvent(String(type), plain(eventInit) as Record<string, unknown>, pick(opts, TIMEOUT)));
  }

  waitFor(opts?: unknown): Promise<unknown> {
    return this.#run((l) => l.waitFor(pick(opts, ['state', 'timeout'])));
  }

  first(): unknown {
    return this.#wrap(this[LOCATOR].first());
  }

  last(): unknown {
    return this.#wrap(this[LOCATOR].last());
  }

  nth(n: unknown): unknown {
    return this.#wrap(this[LOCATOR].nth(Number(n)));
  }

  filter(opts?: unknown): unknown {
    return this.#wrap(this[LOCATOR].filter(locatorOptions(this.#f, opts)));
  }

  and(other: unknown): unknown {
    return this.#wrap(this[LOCATOR].and(this.#f.unwrapLocator(other)));
  }

  or(other: unknown): unknown {
    return this.#wrap(this[LOCATOR].or(this.#f.unwrapLocator(other)));
  }

  locator(selector: unknown, opts?: unknown): unknown {
    return this.#wrap(this[LOCATOR].locator(String(selector), locatorOptions(this.#f, opts)));
  }

  frameLocator(selector: unknown): unknown {
    return this.#f.frameLocator(this[LOCATOR].frameLocator(String(selector)));
  }

  getByRole(role: unknown, opts?: unknown): unknown {
    return this.#wrap(this[LOCATOR].getByRole(String(role) as 'button', roleOptions(opts)));
  }

  getByText(text: unknown, opts?: unknown): unknown {
    return this.#wrap(this[LOCATOR].getByText(textOrRegExp(text), pick(opts, ['exact'])));
  }

  getByLabel(text: unknown, opts?: unknown): unknown {
    return this.#wrap(this[LOCATOR].getByLabel(textOrRegExp(text), pick(opts, ['exact'])));
  }

  getByPlaceholder(text: unknown, opts?: unknown): unknown {
    return this.#wrap(this[LOCATOR].getByPlaceholder(textOrRegExp(text), pick(opts, ['exact'])));
  }

  getByAltText(text: unknown, opts?: unknown): unknown {
    return this.#wrap(this[LOCATOR].getByAltText(textOrRegExp(text), pick(opts, ['exact'])));
  }

  getByTitle(text: unknown, opts?: unknown): unknown {
    return this.#wrap(this[LOCATOR].getByTitle(textOrRegExp(text), pick(opts, ['exact'])));
  }

  getByTestId(id: unknown): unknown {
    return this.#wrap(this[LOCATOR].getByTestId(textOrRegExp(id)));
  }
}

export class FrameLocatorFacade {
  readonly #f: Facades;
  readonly #fl: Pw.FrameLocator;

  constructor(f: Facades, fl: Pw.FrameLocator) {
    this.#f = f;
    this.#fl = fl;
  }

  locator(selector: unknown, opts?: unknown): unknown {
    return this.#f.locator(this.#fl.locator(String(selector), locatorOptions(this.#f, opts)));
  }

  frameLocator(selector: unknown): unknown {
    return this.#f.frameLocator(this.#fl.frameLocator(String(selector)));
  }

  getByRole(role: unknown, opts?: unknown): unknown {
    return this.#f.locator(this.#fl.getByRole(String(role) as 'button', roleOptions(opts)));
  }

  getByText(text: unknown, opts?: unknown): unknown {
    return this.#f.locator(this.#fl.getByText(textOrRegExp(text), pick(opts, ['exact'])));
  }

  getByLabel(text: unknown, opts?: unknown): unknown {
    return this.#f.locator(this.#fl.getByLabel(textOrRegExp(text), pick(opts, ['exact'])));
  }

  getByPlaceholder(text: unknown, opts?: unknown): unknown {
    return this.#f.locator(this.#fl.getByPlaceholder(textOrRegExp(text), pick(opts, ['exact'])));
  }

  getByAltText(text: unknown, opts?: unknown): unknown {
    return this.#f.locator(this.#fl.getByAltText(textOrRegExp(text), pick(opts, ['exact'])));
  }

  getByTitle(text: unknown, opts?: unknown): unknown {
    return this.#f.locator(this.#fl.getByTitle(textOrRegExp(text), pick(opts, ['exact'])));
  }

  getByTestId(id: unknown): unknown {
    return this.#f.locator(this.#fl.getByTestId(textOrRegExp(id)));
  }
}
