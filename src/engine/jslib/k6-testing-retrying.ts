// The retrying matchers of the jslib k6-testing (grafana/k6-jslib-testing 0.6.x expectRetrying):
// on a k6/browser Locator (toBeChecked, toBeDisabled, toBeEditable, toBeEmpty, toBeEnabled,
// toBeHidden, toBeVisible, toHaveText, toContainText, toHaveAttribute, toHaveValue) or Page
// (toHaveTitle) they poll the browser every `interval` ms until the condition holds or `timeout` ms
// passed (the expect's configuration, or the matcher's `{ timeout, interval }`), then pass or fail
// like the other matchers. Each returns a promise the script awaits.
import type { Color, Failure, Line, Paint } from './k6-testing-render.ts';

export interface RetryConfig {
  timeout: number;
  interval: number;
}

/** A retrying check: resolves to whether it held (with what was received), rejects when it cannot tell. */
type Probe = (target: Record<string, (...args: unknown[]) => Promise<unknown>>) => Promise<{ pass: boolean; received: string }>;

/** One call of a retrying matcher: what to poll, and the failure shown when it never held. */
interface RetryingCall {
  readonly probe: Probe;
  /** `received` is what the last successful poll saw, or "unknown". */
  readonly failure: (negated: boolean, received: string, timeout: number) => Failure;
}

interface RetryingMatcher {
  /** What the target must be. */
  readonly on: 'locator' | 'page';
  readonly start: (args: readonly unknown[]) => RetryingCall;
}

type Target = Record<string, (...args: unknown[]) => Promise<unknown>>;

function isRegExp(v: unknown): v is RegExp {
  return Object.prototype.toString.call(v) === '[object RegExp]';
}

/** The jslib's normalizeWhiteSpace: zero-width characters dropped, whitespace runs as one space, trimmed. */
function normalize(s: string): string {
  return s.replace(/[\u200B\u200C\u200D\uFEFF]/g, '').replace(/\s+/g, ' ').trim();
}

function callLog(p: Paint, first: string, waiting: string): Line[] {
  return [
    { label: 'Call log', value: '', group: 3 },
    { label: '', value: p(`  - ${first}`, 'darkGrey'), group: 3, raw: true },
    { label: '', value: p(`  - waiting for ${waiting}`, 'darkGrey'), group: 3, raw: true },
  ];
}

/** toBeVisible & co: `expect(locator).toBeX()`, Expected/Received states and the call log. */
function state(name: string, stateName: string, opposite: string, check: (l: Target) => Promise<boolean>): RetryingMatcher {
  return {
    on: 'locator',
    start: () => ({
      probe: async (l) => ({ pass: await check(l), received: '' }),
      failure: (_negated, _received, timeout) => ({
        matcher: name,
        received: 'locator',
        args: [],
        lines: (p) => [
          { label: 'Expected', value: stateName, group: 3 },
          { label: 'Received', value: opposite, group: 3 },
          ...callLog(p, `expect.${name} with timeout ${timeout}ms`, 'locator'),
        ],
      }),
    }),
  };
}

const EXPECTED_ARGS: readonly (readonly [string, Color])[] = [['expected', 'green']];

function text(name: string, read: (target: Target, opts: Record<string, unknown>) => Promise<unknown>, contains: boolean, on: 'locator' | 'page'): RetryingMatcher {
  return {
    on,
    start: (args) => {
      const expected = args[0];
      const opts = (args[1] !== null && typeof args[1] === 'object' ? args[1] : {}) as Record<string, unknown>;
      const ignoreCase = opts.ignoreCase;
      let test: (actual: string) => boolean;
      let shownExpected: string;
      if (isRegExp(expected)) {
        const flags = ignoreCase === undefined ? expected.flags : expected.flags.replace('i', '') + (ignoreCase === true ? 'i' : '');
        const re = new RegExp(expected.source, flags);
        shownExpected = re.toString();
        test = (actual) => re.test(actual);
      } else {
        const want = normalize(String(expected));
        shownExpected = want;
        const fold = (s: string): string => (ignoreCase === true ? s.toLowerCase() : s);
        test = (actual) => (contains ? fold(normalize(actual)).includes(fold(want)) : fold(normalize(actual)) === fold(want));
      }
      return {
        probe: async (target) => {
          const actual = await read(target, opts);
          if (actual === null || actual === undefined) throw new Error('Element has no text content');
          const s = String(actual);
          return { pass: test(s), received: isRegExp(expected) ? s : normalize(s) };
        },
        failure: (_negated, received) => ({
          matcher: name,
          args: EXPECTED_ARGS,
          lines: (p) => [
            { label: 'Expected', value: p(shownExpected, 'green'), group: 3 },
            { label: 'Received', value: p(received, 'red'), group: 3 },
            ...(on === 'page' ? callLog(p, `expect.${name}`, 'page') : []),
          ],
        }),
      };
    },
  };
}

const isTrue = async (v: Promise<unknown>): Promise<boolean> => (await v) === true;

/** A method of the target (a facade of k6/browser). */
function call(target: Target, name: string, ...args: unknown[]): Promise<unknown> {
  const fn = target[name];
  if (typeof fn !== 'function') return Promise.reject(new Error(`no ${name}()`));
  return fn.apply(target, args);
}

export const RETRYING_MATCHERS: Readonly<Record<string, RetryingMatcher>> = {
  toBeChecked: state('toBeChecked', 'checked', 'unchecked', (l) => isTrue(call(l, 'isChecked'))),
  toBeDisabled: state('toBeDisabled', 'disabled', 'enabled', (l) => isTrue(call(l, 'isDisabled'))),
  toBeEditable: state('toBeEditable', 'editable', 'uneditable', (l) => isTrue(call(l, 'isEditable'))),
  toBeEnabled: state('toBeEnabled', 'enabled', 'disabled', (l) => isTrue(call(l, 'isEnabled'))),
  toBeHidden: state('toBeHidden', 'hidden', 'visible', (l) => isTrue(call(l, 'isHidden'))),
  toBeVisible: state('toBeVisible', 'visible', 'hidden', (l) => isTrue(call(l, 'isVisible'))),
  toBeEmpty: state('toBeEmpty', 'empty', 'not empty', async (l) => {
    try {
      return String(await call(l, 'inputValue')).length === 0;
    } catch (e) {
      if (!/Node is not an <input>, <textarea> or <select> element|Not an input element/.test(String(e))) throw e;
      const t = await call(l, 'textContent');
      return t === null || t === undefined || String(t).trim().length === 0;
    }
  }),
  toHaveText: text('toHaveText', (l, o) => call(l, o.useInnerText === true ? 'innerText' : 'textContent'), false, 'locator'),
  toContainText: text('toContainText', (l, o) => call(l, o.useInnerText === true ? 'innerText' : 'textContent'), true, 'locator'),
  toHaveTitle: text('toHaveTitle', (p) => call(p, 'title'), false, 'page'),
  toHaveValue: {
    on: 'locator',
    start: (args) => {
      const expected = String(args[0]);
      return {
        probe: async (l) => {
          const v = String(await call(l, 'inputValue'));
          return { pass: v === expected, received: v };
        },
        failure: (_negated, _received, timeout) => ({
          matcher: 'toHaveValue',
          args: EXPECTED_ARGS,
          lines: (p) => [
            { label: 'Expected', value: p(expected, 'green'), group: 3 },
            // The jslib shows "unknown": it keeps no value it read.
            { label: 'Received', value: p('unknown', 'red'), group: 3 },
            ...callLog(p, `expect.toHaveValue with timeout ${timeout}ms`, 'locator'),
          ],
        }),
      };
    },
  },
  toHaveAttribute: {
    on: 'locator',
    start: (args) => {
      const attribute = String(args[0]);
      const value = args[1] === undefined ? undefined : String(args[1]);
      return {
        probe: async (l) => {
          const actual = await call(l, 'getAttribute', attribute);
          const pass = value === undefined ? actual !== null : actual === value;
          return { pass, received: actual === null ? 'null' : String(actual) };
        },
        failure: (negated, received) => ({
          matcher: 'toHaveAttribute',
          args: value === undefined ? [['attribute', 'white']] : [['attribute', 'white'], ['expectedValue', 'green']],
          lines: (p) => [
            { label: 'Expected', value: p(value === undefined ? `${negated ? 'no ' : ''}attribute ${attribute}` : `${attribute}=${value}`, 'green'), group: 3 },
            { label: 'Received', value: p(received, 'red'), group: 3 },
          ],
        }),
      };
    },
  },
};

/** Whether `v` looks like a k6/browser Locator or Page (the jslib tests for their methods). */
export function browserTarget(v: unknown): 'locator' | 'page' | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const has = (k: string): boolean => typeof (v as Record<string, unknown>)[k] === 'function';
  if (has('goto') && has('title')) return 'page';
  if (has('isVisible') && has('textContent') && has('first')) return 'locator';
  return undefined;
}

/**
 * Polls `probe` until it passes (or, negated, fails) or the timeout passed; `received` is what the
 * last successful probe saw ("unknown" if none).
 */
export async function retry(probe: () => Promise<{ pass: boolean; received: string }>, negated: boolean, cfg: RetryConfig): Promise<{ pass: boolean; received: string }> {
  const started = Date.now();
  let received = 'unknown';
  while (Date.now() - started < cfg.timeout) {
    try {
      const r = await probe();
      received = r.received;
      if (r.pass !== negated) return { pass: true, received };
    } catch {
      // Not there yet (no element, navigation under way): try again.
    }
    await new Promise((r) => setTimeout(r, cfg.interval));
  }
  return { pass: false, received };
}
