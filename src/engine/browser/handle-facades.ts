// k6's JSHandle and ElementHandle (browser/js_handle_mapping.go, element_handle_mapping.go) over
// Playwright's handles. Everything but asElement() returns a promise.
import type * as Pw from 'playwright-core';
import type { Facades } from './facades.ts';
import { selectValues } from './frame-actions.ts';
import { CHECK, CLICK, DBLCLICK, FILL, HOVER, PRESS, SCREENSHOT, SELECT, TIMEOUT, inputFiles, pick, plain } from './browser-options.ts';
import { argumentError } from './browser-calls.ts';
import { HANDLE, pageCall } from './page-function.ts';
import { type TapOptions, tapElement } from './touch-tap.ts';
import { isEditable } from './element-state.ts';

export class JSHandleFacade {
  // Behind a getter: console.log of a facade shows no plumbing (k6 prints its objects as {}).
  readonly #facades: Facades;
  protected get f(): Facades {
    return this.#facades;
  }
  readonly [HANDLE]: Pw.JSHandle;

  constructor(f: Facades, handle: Pw.JSHandle) {
    this.#facades = f;
    this[HANDLE] = handle;
  }

  protected run<T>(work: () => Promise<T>, map?: (v: T) => unknown): Promise<unknown> {
    return this.f.calls.promise(work, map);
  }

  asElement(): unknown {
    const el = this[HANDLE].asElement();
    return el === null ? null : this.f.elementHandle(el);
  }

  dispose(): Promise<unknown> {
    return this.run(() => this[HANDLE].dispose());
  }

  evaluate(pageFunction: unknown, ...args: unknown[]): Promise<unknown> {
    const call = pageCall('evaluate', pageFunction, args, false, true);
    return this.run(() => this[HANDLE].evaluate(call.fn as () => void, call.arg), (v) => this.f.calls.toScript(v));
  }

  evaluateHandle(pageFunction: unknown, ...args: unknown[]): Promise<unknown> {
    const call = pageCall('evaluateHandle', pageFunction, args, false, true);
    return this.run(() => this[HANDLE].evaluateHandle(call.fn as () => void, call.arg), (h) => this.f.jsHandle(h));
  }

  getProperties(): Promise<unknown> {
    return this.run(() => this[HANDLE].getProperties(), (props) => {
      const out = this.f.calls.realm.object();
      for (const [k, h] of props) out[k] = this.f.jsHandle(h);
      return out;
    });
  }

  jsonValue(): Promise<unknown> {
    return this.run(() => this[HANDLE].jsonValue(), (v) => this.f.calls.toScript(v));
  }
}

export class ElementHandleFacade extends JSHandleFacade {
  readonly #el: Pw.ElementHandle;

  constructor(f: Facades, el: Pw.ElementHandle) {
    super(f, el);
    this.#el = el;
  }

  boundingBox(): Promise<unknown> {
    return this.run(() => this.#el.boundingBox(), (b) => this.f.calls.toScript(b));
  }

  check(opts?: unknown): Promise<unknown> {
    return this.run(() => this.#el.check(pick(opts, CHECK)));
  }

  uncheck(opts?: unknown): Promise<unknown> {
    return this.run(() => this.#el.uncheck(pick(opts, CHECK)));
  }

  setChecked(checked: unknown, opts?: unknown): Promise<unknown> {
    return this.run(() => this.#el.setChecked(Boolean(checked), pick(opts, CHECK)));
  }

  click(opts?: unknown): Promise<unknown> {
    return this.run(() => this.#el.click(pick(opts, CLICK)));
  }

  dblclick(opts?: unknown): Promise<unknown> {
    return this.run(() => this.#el.dblclick(pick(opts, DBLCLICK)));
  }

  contentFrame(): Promise<unknown> {
    // k6 rejects for an element that is no iframe (ElementHandle.ContentFrame).
    return this.run(async () => {
      const fr = await this.#el.contentFrame();
      if (fr === null) throw new Error('element is not an iframe');
      return fr;
    }, (fr) => this.f.frame(fr));
  }

  ownerFrame(): Promise<unknown> {
    return this.run(() => this.#el.ownerFrame(), (fr) => (fr === null ? null : this.f.frame(fr)));
  }

  dispatchEvent(type: unknown, eventInit?: unknown): Promise<unknown> {
    return this.run(() => this.#el.dispatchEvent(String(type), plain(eventInit) as Record<string, unknown>));
  }

  fill(value: unknown, opts?: unknown): Promise<unknown> {
    return this.run(() => this.#el.fill(String(value ?? ''), pick(opts, FILL)));
  }

  focus(): Promise<unknown> {
    return this.run(() => this.#el.focus());
  }

  getAttribute(name: unknown): Promise<unknown> {
    return this.run(() => this.#el.getAttribute(String(name)));
  }

  hover(opts?: unknown): Promise<unknown> {
    return this.run(() => this.#el.hover(pick(opts, HOVER)));
  }

  tap(opts?: unknown): Promise<unknown> {
    return this.run(async () => {
      const frame = await this.#el.ownerFrame();
      if (frame === null) throw new Error('element is not attached');
      await tapElement(this.#el, frame.page(), pick<TapOptions>(opts, HOVER));
    });
  }

  innerHTML(): Promise<unknown> {
    return this.run(() => this.#el.innerHTML());
  }

  innerText(): Promise<unknown> {
    return this.run(() => this.#el.innerText());
  }

  textContent(): Promise<unknown> {
    return this.run(() => this.#el.textContent());
  }

  inputValue(opts?: unknown): Promise<unknown> {
    return this.run(() => this.#el.inputValue(pick(opts, TIMEOUT)));
  }

  isChecked(): Promise<unknown> {
    return this.run(() => this.#el.isChecked());
  }

  isDisabled(): Promise<unknown> {
    return this.run(() => this.#el.isDisabled());
  }

  isEditable(): Promise<unknown> {
    return this.run(() => isEditable(this.#el));
  }

  isEnabled(): Promise<unknown> {
    return this.run(() => this.#el.isEnabled());
  }

  isHidden(): Promise<unknown> {
    return this.run(() => this.#el.isHidden());
  }

  isVisible(): Promise<unknown> {
    return this.run(() => this.#el.isVisible());
  }

  press(key: unknown, opts?: unknown): Promise<unknown> {
    return this.run(() => this.#el.press(String(key), pick(opts, PRESS)));
  }

  type(text: unknown, opts?: unknown): Promise<unknown> {
    return this.run(() => this.#el.type(String(text), pick(opts, PRESS)));
  }

  screenshot(opts?: unknown): Promise<unknown> {
    return this.run(() => this.#el.screenshot(pick(opts, SCREENSHOT)), (b) => this.f.screenshotBytes(b));
  }

  scrollIntoViewIfNeeded(opts?: unknown): Promise<unknown> {
    return this.run(() => this.#el.scrollIntoViewIfNeeded(pick(opts, TIMEOUT)));
  }

  selectOption(values: unknown, opts?: unknown): Promise<unknown> {
    return this.run(() => this.#el.selectOption(selectValues(values) as string[], pick(opts, SELECT)), (v) => this.f.calls.array(v));
  }

  setInputFiles(files: unknown, opts?: unknown): Promise<unknown> {
    let payload: ReturnType<typeof inputFiles>;
    try {
      payload = inputFiles(files);
    } catch (e) {
      throw argumentError((e as Error).message);
    }
    return this.run(() => this.#el.setInputFiles(payload, pick(opts, ['noWaitAfter', 'timeout'])));
  }

  selectText(opts?: unknown): Promise<unknown> {
    return this.run(() => this.#el.selectText(pick(opts, ['force', 'timeout'])));
  }

  waitForElementState(state: unknown, opts?: unknown): Promise<unknown> {
    return this.run(() => this.#el.waitForElementState(String(state) as 'visible', pick(opts, TIMEOUT)));
  }

  waitForSelector(selector: unknown, opts?: unknown): Promise<unknown> {
    return this.run(
      () => this.#el.waitForSelector(String(selector), pick(opts, ['state', 'strict', 'timeout'])),
      (h) => (h === null ? null : this.f.elementHandle(h)),
    );
  }

  $(selector: unknown): Promise<unknown> {
    return this.run(() => this.#el.$(String(selector)), (h) => (h === null ? null : this.f.elementHandle(h)));
  }

  $$(selector: unknown): Promise<unknown> {
    return this.run(() => this.#el.$$(String(selector)), (hs) => this.f.calls.array(hs.map((h) => this.f.elementHandle(h))));
  }
}
