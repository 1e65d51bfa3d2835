// k6's Keyboard, Mouse and Touchscreen (browser/keyboard_mapping.go, mouse_mapping.go,
// touchscreen_mapping.go) over a Playwright page's: every method returns a promise.
import type * as Pw from 'playwright-core';
import { tapAt } from './touch-tap.ts';
import type { BrowserCalls } from './browser-calls.ts';
import { MOUSE_BUTTON, MOUSE_CLICK, pick } from './browser-options.ts';

export class KeyboardFacade {
  readonly #calls: BrowserCalls;
  readonly #k: Pw.Keyboard;

  constructor(calls: BrowserCalls, k: Pw.Keyboard) {
    this.#calls = calls;
    this.#k = k;
  }

  down(key: unknown): Promise<unknown> {
    return this.#calls.promise(() => this.#k.down(String(key)));
  }

  up(key: unknown): Promise<unknown> {
    return this.#calls.promise(() => this.#k.up(String(key)));
  }

  press(key: unknown, opts?: unknown): Promise<unknown> {
    return this.#calls.promise(() => this.#k.press(String(key), pick(opts, ['delay'])));
  }

  type(text: unknown, opts?: unknown): Promise<unknown> {
    return this.#calls.promise(() => this.#k.type(String(text), pick(opts, ['delay'])));
  }

  insertText(text: unknown): Promise<unknown> {
    return this.#calls.promise(() => this.#k.insertText(String(text)));
  }
}

export class MouseFacade {
  readonly #calls: BrowserCalls;
  readonly #m: Pw.Mouse;

  constructor(calls: BrowserCalls, m: Pw.Mouse) {
    this.#calls = calls;
    this.#m = m;
  }

  click(x: unknown, y: unknown, opts?: unknown): Promise<unknown> {
    return this.#calls.promise(() => this.#m.click(Number(x), Number(y), pick(opts, MOUSE_CLICK)));
  }

  dblClick(x: unknown, y: unknown, opts?: unknown): Promise<unknown> {
    return this.#calls.promise(() => this.#m.dblclick(Number(x), Number(y), pick(opts, ['button', 'delay'])));
  }

  /** k6's documentation and @types/k6 name it so; k6's mapping only has dblClick. */
  dblclick(x: unknown, y: unknown, opts?: unknown): Promise<unknown> {
    return this.dblClick(x, y, opts);
  }

  down(opts?: unknown): Promise<unknown> {
    return this.#calls.promise(() => this.#m.down(pick(opts, MOUSE_BUTTON)));
  }

  up(opts?: unknown): Promise<unknown> {
    return this.#calls.promise(() => this.#m.up(pick(opts, MOUSE_BUTTON)));
  }

  move(x: unknown, y: unknown, opts?: unknown): Promise<unknown> {
    return this.#calls.promise(() => this.#m.move(Number(x), Number(y), pick(opts, ['steps'])));
  }
}

export class TouchscreenFacade {
  readonly #calls: BrowserCalls;
  readonly #page: Pw.Page;

  constructor(calls: BrowserCalls, page: Pw.Page) {
    this.#calls = calls;
    this.#page = page;
  }

  /** k6 touches whatever the context's hasTouch (touch-tap.ts). */
  tap(x: unknown, y: unknown): Promise<unknown> {
    return this.#calls.promise(() => tapAt(this.#page, Number(x), Number(y)));
  }
}
