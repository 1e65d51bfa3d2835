// How k6/browser's asynchronous methods reach a script (k6 browser/helpers.go `promise`): each returns
// a Promise of the script's realm that is settled from a callback of the VU's event loop (k6's
// RegisterCallback), and the loop stays open until it is, so an iteration waits for a page action the
// script did not await, and a rejection the script does not handle fails the iteration. Work that
// settles after its iteration ended is dropped (k6 closes the browser, whose pending calls fail, and
// no callback runs once the VU's loop moved on). Script callbacks (page.on handlers, metric
// taggers) run the same way.
import type { VuEventLoop } from '../vu/vu-event-loop.ts';
import { goError } from '../vu/go-error.ts';
import { formatDuration } from '../../core/index.ts';
import { goErrorValue } from '../vu/go-error-value.ts';

export interface BrowserRealm {
  readonly Promise: PromiseConstructor;
  object(entries?: Record<string, unknown>): Record<string, unknown>;
  parseJson(text: string): unknown;
  arrayBuffer(bytes: Uint8Array): ArrayBuffer;
}

/**
 * The value a failed browser call rejects with. k6 rejects with the Go error itself, which sobek hands
 * to the script as an object whose string form is the message (`String(e)`, template literals, the
 * "Uncaught (in promise)" log line); `message` is there too, so `e.message` reads it as for an Error.
 */
function browserErrorValue(realm: BrowserRealm, message: string): Record<string, unknown> {
  return goErrorValue(realm, message, { message });
}

/** Playwright's wording → k6's: no "page.goto: " prefix and no call log; timeouts as k6 says them. */
export function browserErrorText(e: unknown): string {
  let text = e instanceof Error ? e.message : String(e);
  const log = text.search(/\nCall log:|\n=+ logs =+/);
  if (log >= 0) text = text.slice(0, log);
  text = text.replace(/^[a-zA-Z]+\.[a-zA-Z$]+: /, '').trim();
  text = text.replace(/^Timeout (\d+)ms exceeded\.?/, (_m, ms: string) => `timed out after ${formatDuration(Number(ms))}`);
  text = text.replace(/^Target page, context or browser has been closed.*$/s, 'canceled');
  return text;
}

export class BrowserCalls {
  readonly realm: BrowserRealm;
  readonly #loop: VuEventLoop;
  /** Bumped when an iteration ends: results of calls made before are dropped. */
  #epoch = 0;

  constructor(loop: VuEventLoop, realm: BrowserRealm) {
    this.#loop = loop;
    this.realm = realm;
  }

  /** Script callbacks run only while an iteration runs (k6's task queues close at its end). */
  #active = false;

  beginIteration(): void {
    this.#active = true;
  }

  /** A browser iteration is running (it began and has not ended). */
  get inIteration(): boolean {
    return this.#active;
  }

  /** The calls of the iteration that ended are void. */
  endIteration(): void {
    this.#active = false;
    this.#epoch++;
  }

  /** A promise of the script's realm for `work`, settled on the VU's loop; `map` turns the result into what the script gets. */
  promise<T>(work: () => Promise<T>, map?: (v: T) => unknown): Promise<unknown> {
    let started: Promise<T>;
    try {
      started = work();
    } catch (e) {
      started = Promise.reject(e);
    }
    const epoch = this.#epoch;
    return new this.realm.Promise((resolve, reject) => {
      const release = this.#loop.keepAlive();
      started.then((v) => {
        if (epoch === this.#epoch) {
          this.#loop.setTimer(() => {
            let out: unknown;
            try {
              out = map === undefined ? v : map(v);
            } catch (e) {
              reject(this.error(e));
              return;
            }
            resolve(out);
          }, 0, false);
        }
        release();
      }, (e: unknown) => {
        if (epoch === this.#epoch) this.#loop.setTimer(() => reject(this.error(e)), 0, false);
        release();
      });
    });
  }

  /** The rejection value for a failure of the browser (k6's Go error). */
  error(e: unknown): unknown {
    return browserErrorValue(this.realm, browserErrorText(e));
  }

  /**
   * Runs script code (an event handler) on the VU's loop; the returned promise settles once it ran
   * (a handler's own promise is the loop's to wait for: it keeps the iteration open and fails it on
   * rejection). Nothing runs outside a browser iteration.
   */
  callback(fn: () => unknown): Promise<void> {
    if (!this.#active) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#loop.setTimer(() => {
        try {
          return fn();
        } finally {
          resolve();
        }
      }, 0, false);
    });
  }

  /**
   * Runs script code on the VU's loop and gives its result (a waitForEvent predicate's answer), or
   * its exception as the rejection; undefined outside a browser iteration.
   */
  ask(fn: () => unknown): Promise<unknown> {
    if (!this.#active) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.#loop.setTimer(() => {
        try {
          resolve(fn());
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      }, 0, false);
    });
  }

  /** A value of Node's realm (a page evaluation's result) as a value of the script's realm. */
  toScript(v: unknown): unknown {
    if (v === undefined || v === null || typeof v !== 'object') return v;
    try {
      return this.realm.parseJson(JSON.stringify(v));
    } catch {
      return undefined;
    }
  }

  /** A realm array of `items`. */
  array(items: readonly unknown[]): unknown[] {
    const arr = this.realm.parseJson('[]') as unknown[];
    arr.push(...items);
    return arr;
  }
}

/** k6's argument errors: thrown at the call, as a GoError (the mapping layer returned an error). */
export function argumentError(message: string): Error {
  return goError(message);
}
