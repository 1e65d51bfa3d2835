// What k6's Page and Frame share (browser/page_mapping.go, frame_mapping.go): the selector-based
// actions and queries, navigation, evaluation and waits, each over the Playwright frame (a Page acts
// on its main frame, as in k6). Every method that returns a promise in k6 returns one here; locator,
// getBy*, frameLocator and url are synchronous.
import type * as Pw from 'playwright-core';
import type { Facades } from './facades.ts';
import { argumentError } from './browser-calls.ts';
import {
  CHECK, CLICK, DBLCLICK, FILL, GOTO, HOVER, LOCATOR, NAVIGATION, PRESS, SELECT, STRICT_TIMEOUT, TIMEOUT, WAIT_NAVIGATION,
  WAIT_SELECTOR, inputFiles, pick, plain, textOrRegExp,
} from './browser-options.ts';
import { HANDLE, pageCall } from './page-function.ts';
import { type TapOptions, tapElement } from './touch-tap.ts';
import { isEditable } from './element-state.ts';
import { gotoErrorText } from './goto-error.ts';

type Opts = Record<string, unknown>;

/** getBy* options (k6 parseGetByRoleOptions / parseGetByBaseOptions). */
export function roleOptions(opts: unknown): Opts {
  const o = pick(opts, ['checked', 'disabled', 'exact', 'expanded', 'includeHidden', 'level', 'name', 'pressed', 'selected']);
  if (o.name !== undefined) o.name = textOrRegExp((opts as Opts).name);
  return o;
}

export function locatorOptions(f: Facades, opts: unknown): Opts {
  const o = pick(opts, LOCATOR);
  for (const k of ['has', 'hasNot'] as const) {
    const v = opts !== null && typeof opts === 'object' ? (opts as Opts)[k] : undefined;
    if (v !== undefined && v !== null) o[k] = f.unwrapLocator(v);
  }
  for (const k of ['hasText', 'hasNotText'] as const) {
    const v = opts !== null && typeof opts === 'object' ? (opts as Opts)[k] : undefined;
    if (v !== undefined && v !== null) o[k] = textOrRegExp(v);
  }
  return o;
}

/** selectOption's values: strings, `{ value, label, index }` or element handles, one or a list. */
export function selectValues(values: unknown): unknown {
  const one = (v: unknown): unknown => {
    if (v !== null && typeof v === 'object') {
      const h = (v as { [HANDLE]?: unknown })[HANDLE];
      if (h !== undefined) return h;
    }
    return plain(v);
  };
  return Array.isArray(values) ? values.map(one) : one(values);
}

export function requireSelector(selector: unknown): string {
  if (typeof selector !== 'string') return String(selector);
  return selector;
}

export abstract class FrameActions {
  // Behind a getter: console.log of a facade shows no plumbing (k6 prints its objects as {}).
  readonly #facades: Facades;
  protected get f(): Facades {
    return this.#facades;
  }

  constructor(f: Facades) {
    this.#facades = f;
  }

  /** The Playwright frame the actions run on. */
  protected abstract frame(): Pw.Frame;

  #run<T>(work: (fr: Pw.Frame) => Promise<T>, map?: (v: T) => unknown): Promise<unknown> {
    return this.f.calls.promise(() => work(this.frame()), map);
  }

  check(selector: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.check(requireSelector(selector), pick(opts, CHECK)));
  }

  uncheck(selector: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.uncheck(requireSelector(selector), pick(opts, CHECK)));
  }

  setChecked(selector: unknown, checked: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.setChecked(requireSelector(selector), Boolean(checked), pick(opts, CHECK)));
  }

  click(selector: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.click(requireSelector(selector), pick(opts, CLICK)));
  }

  dblclick(selector: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.dblclick(requireSelector(selector), pick(opts, DBLCLICK)));
  }

  tap(selector: unknown, opts?: unknown): Promise<unknown> {
    const o = pick<TapOptions>(opts, HOVER);
    return this.#run((fr) => {
      const l = fr.locator(requireSelector(selector));
      return tapElement(o.strict === true ? l : l.first(), fr.page(), o);
    });
  }

  hover(selector: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.hover(requireSelector(selector), pick(opts, HOVER)));
  }

  dispatchEvent(selector: unknown, type: unknown, eventInit?: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.dispatchEvent(requireSelector(selector), String(type), plain(eventInit) as Record<string, unknown>, pick(opts, STRICT_TIMEOUT)));
  }

  fill(selector: unknown, value: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.fill(requireSelector(selector), String(value ?? ''), pick(opts, FILL)));
  }

  focus(selector: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.focus(requireSelector(selector), pick(opts, STRICT_TIMEOUT)));
  }

  press(selector: unknown, key: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.press(requireSelector(selector), String(key), pick(opts, PRESS)));
  }

  type(selector: unknown, text: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.type(requireSelector(selector), String(text), pick(opts, PRESS)));
  }

  setInputFiles(selector: unknown, files: unknown, opts?: unknown): Promise<unknown> {
    let payload: ReturnType<typeof inputFiles>;
    try {
      payload = inputFiles(files);
    } catch (e) {
      throw argumentError((e as Error).message);
    }
    return this.#run((fr) => fr.setInputFiles(requireSelector(selector), payload, pick(opts, ['noWaitAfter', 'timeout'])));
  }

  selectOption(selector: unknown, values: unknown, opts?: unknown): Promise<unknown> {
    return this.#run(
      (fr) => fr.selectOption(requireSelector(selector), selectValues(values) as string[], pick(opts, SELECT)),
      (v) => this.f.calls.array(v),
    );
  }

  getAttribute(selector: unknown, name: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.getAttribute(requireSelector(selector), String(name), pick(opts, STRICT_TIMEOUT)));
  }

  innerHTML(selector: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.innerHTML(requireSelector(selector), pick(opts, STRICT_TIMEOUT)));
  }

  innerText(selector: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.innerText(requireSelector(selector), pick(opts, STRICT_TIMEOUT)));
  }

  textContent(selector: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.textContent(requireSelector(selector), pick(opts, STRICT_TIMEOUT)));
  }

  inputValue(selector: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.inputValue(requireSelector(selector), pick(opts, STRICT_TIMEOUT)));
  }

  isChecked(selector: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.isChecked(requireSelector(selector), pick(opts, STRICT_TIMEOUT)));
  }

  isDisabled(selector: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.isDisabled(requireSelector(selector), pick(opts, STRICT_TIMEOUT)));
  }

  isEditable(selector: unknown, opts?: unknown): Promise<unknown> {
    const o = pick<{ strict?: boolean; timeout?: number }>(opts, STRICT_TIMEOUT);
    return this.#run((fr) => {
      const l = fr.locator(requireSelector(selector));
      return isEditable(o.strict === true ? l : l.first(), o.timeout === undefined ? {} : { timeout: o.timeout });
    });
  }

  isEnabled(selector: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.isEnabled(requireSelector(selector), pick(opts, STRICT_TIMEOUT)));
  }

  isHidden(selector: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.isHidden(requireSelector(selector), pick(opts, ['strict'])));
  }

  isVisible(selector: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.isVisible(requireSelector(selector), pick(opts, ['strict'])));
  }

  waitForSelector(selector: unknown, opts?: unknown): Promise<unknown> {
    return this.#run(
      (fr) => fr.waitForSelector(requireSelector(selector), pick(opts, WAIT_SELECTOR)),
      (h) => (h === null ? null : this.f.elementHandle(h)),
    );
  }

  $(selector: unknown): Promise<unknown> {
    return this.#run((fr) => fr.$(requireSelector(selector)), (h) => (h === null ? null : this.f.elementHandle(h)));
  }

  $$(selector: unknown): Promise<unknown> {
    return this.#run((fr) => fr.$$(requireSelector(selector)), (hs) => this.f.calls.array(hs.map((h) => this.f.elementHandle(h))));
  }

  content(): Promise<unknown> {
    return this.#run((fr) => fr.content());
  }

  setContent(html: unknown, opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.setContent(String(html ?? ''), pick(opts, NAVIGATION)));
  }

  title(): Promise<unknown> {
    return this.#run((fr) => fr.title());
  }

  url(): string {
    return this.frame().url();
  }

  /** Whether this is a Page (its goto errors say `navigating page: `, as k6's Page.Goto wraps them); a getter, so facades keep no own fields. */
  protected abstract get isPage(): boolean;

  goto(url: unknown, opts?: unknown): Promise<unknown> {
    const target = String(url);
    return this.#run(async (fr) => {
      try {
        return await fr.goto(target, pick(opts, GOTO));
      } catch (e) {
        throw new Error(gotoErrorText(target, e, this.isPage), { cause: e });
      }
    }, (r) => this.f.response(r));
  }

  waitForNavigation(opts?: unknown): Promise<unknown> {
    return this.#run((fr) => fr.waitForNavigation(pick(opts, WAIT_NAVIGATION)), (r) => this.f.response(r));
  }

  waitForURL(url: unknown, opts?: unknown): Promise<unknown> {
    if (url === undefined || url === null) throw argumentError("missing required argument 'url'");
    return this.#run((fr) => fr.waitForURL(plain(url) as string, pick(opts, NAVIGATION)));
  }

  waitForLoadState(state?: unknown, opts?: unknown): Promise<unknown> {
    const s = state === undefined || state === null || state === '' ? 'load' : String(state);
    if (!['load', 'domcontentloaded', 'networkidle'].includes(s)) {
      throw argumentError(`parsing waitForLoadState "${s}" options: invalid lifecycle event: "${s}"; must be one of: load, domcontentloaded, networkidle`);
    }
    return this.#run((fr) => fr.waitForLoadState(s as 'load', pick(opts, TIMEOUT)));
  }

  waitForTimeout(ms: unknown): Promise<unknown> {
    return this.#run((fr) => fr.waitForTimeout(Number(ms) || 0));
  }

  waitForFunction(pageFunction: unknown, opts?: unknown, ...args: unknown[]): Promise<unknown> {
    const call = pageCall('waitForFunction', pageFunction, args, true);
    const o = pick<{ polling?: unknown; timeout?: number }>(opts, ['polling', 'timeout']);
    // Playwright has no 'mutation' polling: requestAnimationFrame polling sees the same DOM changes.
    const polling = o.polling === 'raf' || o.polling === 'mutation' || o.polling === undefined ? 'raf' : Number(o.polling);
    if (polling !== 'raf' && !(polling > 0)) throw argumentError(`page waitForFunction: parsing waitForFunction options: wrong polling option value: "${String(o.polling)}"; possible values: "raf", "mutation" or number`);
    return this.#run((fr) => fr.waitForFunction(call.fn, call.arg, { polling, ...(o.timeout !== undefined ? { timeout: o.timeout } : {}) }), (h) => this.f.jsHandle(h));
  }

  evaluate(pageFunction: unknown, ...args: unknown[]): Promise<unknown> {
    const call = pageCall('evaluate', pageFunction, args);
    return this.#run((fr) => fr.evaluate(call.fn, call.arg), (v) => this.f.calls.toScript(v));
  }

  evaluateHandle(pageFunction: unknown, ...args: unknown[]): Promise<unknown> {
    const call = pageCall('evaluateHandle', pageFunction, args);
    return this.#run((fr) => fr.evaluateHandle(call.fn, call.arg), (h) => this.f.jsHandle(h));
  }

  locator(selector: unknown, opts?: unknown): unknown {
    return this.f.locator(this.frame().locator(requireSelector(selector), locatorOptions(this.f, opts)));
  }

  frameLocator(selector: unknown): unknown {
    return this.f.frameLocator(this.frame().frameLocator(requireSelector(selector)));
  }

  getByRole(role: unknown, opts?: unknown): unknown {
    return this.f.locator(this.frame().getByRole(String(role) as 'button', roleOptions(opts)));
  }

  getByText(text: unknown, opts?: unknown): unknown {
    return this.f.locator(this.frame().getByText(textOrRegExp(text), pick(opts, ['exact'])));
  }

  getByLabel(text: unknown, opts?: unknown): unknown {
    return this.f.locator(this.frame().getByLabel(textOrRegExp(text), pick(opts, ['exact'])));
  }

  getByPlaceholder(text: unknown, opts?: unknown): unknown {
    return this.f.locator(this.frame().getByPlaceholder(textOrRegExp(text), pick(opts, ['exact'])));
  }

  getByAltText(text: unknown, opts?: unknown): unknown {
    return this.f.locator(this.frame().getByAltText(textOrRegExp(text), pick(opts, ['exact'])));
  }

  getByTitle(text: unknown, opts?: unknown): unknown {
    return this.f.locator(this.frame().getByTitle(textOrRegExp(text), pick(opts, ['exact'])));
  }

  getByTestId(id: unknown): unknown {
    return this.f.locator(this.frame().getByTestId(textOrRegExp(id)));
  }
}
