// The jslib k6-testing (https://jslib.k6.io/k6-testing/<v>/index.js): Playwright-style `expect`.
// Behaviour follows grafana/k6-jslib-testing 0.6.x (the version the k6 v2.2 docs import):
// - `expect(value, message?)` gives the non-retrying matchers (k6-testing-matchers.ts) and `.not`;
//   a failed assertion renders its message (k6-testing-render.ts; the custom message replaces the
//   `expect(received).toBe(expected)` hint) and then:
//   - hard (`expect`): `exec.test.abort(message)`: the test stops, "test aborted: …", exit code 108;
//   - soft (`expect.soft`, or `configure({ soft: true })`) with softMode "fail" (the default):
//     `exec.test.fail(message)`: "test marked as failed: …" is logged, the script goes on, exit code 110;
//   - soft with any other softMode ("throw"): throws an AssertionFailedError (the iteration fails);
//   - a custom `assertFn(condition, message, soft, softMode)` in the config replaces all three.
// - `expect.configure(options)` makes a new expect from the defaults (timeout 5000, interval 100,
//   colorize true, display "pretty", softMode "fail") plus options, the K6_TESTING_* variables of
//   __ENV overriding both (an invalid value throws); `expect.config` is a copy of the configuration.
// - the retrying matchers (toBeVisible, toHaveText, …) poll a k6/browser Locator or Page and return a
//   promise (k6-testing-retrying.ts); on any other value they throw a TypeError.
// - the call site (At, Filename, Line) is the script's frame that called the matcher, written as a
//   position of the compiled script: the log maps it to the original file (compile/stack-mapper.ts).
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { positionPart } from '../compile/stack-mapper.ts';
import { BROWSER_MATCHERS, MATCHERS, type RealmErrors } from './k6-testing-matchers.ts';
import { colorize, render, type CallSite } from './k6-testing-render.ts';
import { browserTarget, retry, RETRYING_MATCHERS } from './k6-testing-retrying.ts';

export interface TestingEnv {
  /** `__ENV` as the script sees it at init. */
  env: Readonly<Record<string, string>>;
  /** `exec.test.abort(message)`: throws the runtime's uncatchable abort. */
  abort(message: string): void;
  /** `exec.test.fail(message)`. */
  fail(message: string): void;
}

interface Config {
  timeout?: unknown;
  interval?: unknown;
  colorize: unknown;
  display: unknown;
  soft: unknown;
  softMode: unknown;
  assertFn?: unknown;
}

type AssertFn = (condition: boolean, message: string, soft: unknown, softMode: unknown) => void;

const BUILTIN_CLASSES = ['Object', 'Array', 'Function', 'Error', 'TypeError', 'Date', 'RegExp', 'Map', 'Set', 'Promise', 'ArrayBuffer', 'Uint8Array'] as const;

const REALM_CLASSES = `(() => {
  class AssertionFailedError extends Error {
    constructor(message) { super(message); this.name = 'AssertionFailedError'; }
  }
  return { Error, TypeError, AssertionFailedError, builtins: [${BUILTIN_CLASSES.join(', ')}] };
})()`;

const OWN_FILES = [fileURLToPath(import.meta.url), fileURLToPath(new URL('./k6-testing-matchers.ts', import.meta.url))];
const FRAME = /^\s+at (?:.*? \()?(.+):(\d+):(\d+)\)?$/;

/** The first frame below the module's own: the script's call of the matcher. */
function callSite(errors: RealmErrors): CallSite {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 20;
  Error.captureStackTrace(holder);
  Error.stackTraceLimit = limit;
  for (const line of (holder.stack ?? '').split('\n').slice(1)) {
    const m = FRAME.exec(line);
    if (m === null) continue;
    const file = m[1] as string;
    if (OWN_FILES.includes(file) || file.startsWith('node:')) continue;
    const at = `${file}:${m[2]}:${m[3]}`;
    return { at, fileName: positionPart(at, 'file'), line: positionPart(at, 'line') };
  }
  throw new errors.Error('k6 failed to capture execution context');
}

function envConfig(env: Readonly<Record<string, string>>, errors: RealmErrors): Partial<Config> {
  const out: Partial<Config> = {};
  const oneOf = (key: string, allowed: string[]): string => {
    const value = (env[key] as string).toLowerCase();
    if (!allowed.includes(value)) throw new errors.Error(`Invalid value for ${key}. Must be one of: ${allowed.join(', ')}`);
    return value;
  };
  const number = (key: string): number => {
    const text = env[key] as string;
    if (text === '') throw new errors.Error(`Environment variable ${key} is not set`);
    const n = Number(text);
    if (!Number.isFinite(n)) throw new errors.Error(`Environment variable ${key} must be a valid number, got: ${text}`);
    if (n < 0) throw new errors.Error(`Environment variable ${key} must be a non-negative number, got: ${text}`);
    return n;
  };
  if (env.K6_TESTING_COLORIZE !== undefined) out.colorize = env.K6_TESTING_COLORIZE.toLowerCase() !== 'false';
  if (env.K6_TESTING_DISPLAY !== undefined) out.display = oneOf('K6_TESTING_DISPLAY', ['inline', 'pretty']);
  if (env.K6_TESTING_TIMEOUT !== undefined) out.timeout = number('K6_TESTING_TIMEOUT');
  if (env.K6_TESTING_INTERVAL !== undefined) out.interval = number('K6_TESTING_INTERVAL');
  if (env.K6_TESTING_SOFT_MODE !== undefined) out.softMode = oneOf('K6_TESTING_SOFT_MODE', ['throw', 'fail']);
  return out;
}

/** The `expect(value, message)` message: the jslib shows it only when it is a string. */
function custom(message: unknown): string | undefined {
  return typeof message === 'string' ? message : undefined;
}

/** The module namespace (`expect`, `colorize`) for one VU; errors are made in the script realm `context`. */
export function createK6TestingModule(context: vm.Context, host: TestingEnv): Record<string, unknown> {
  const classes = vm.runInContext(REALM_CLASSES, context) as Omit<RealmErrors, 'hostClass'> & {
    AssertionFailedError: new (message: string) => Error;
    builtins: unknown[];
  };
  const hostClasses = new Map(classes.builtins.map((ctor, i) => [ctor, globalThis[BUILTIN_CLASSES[i] as (typeof BUILTIN_CLASSES)[number]]]));
  const realm = { ...classes, hostClass: (ctor: unknown) => hostClasses.get(ctor) };
  const fromEnv = envConfig(host.env, realm);

  const assert: AssertFn = (condition, message, soft, softMode = 'throw') => {
    if (condition) return;
    if (!soft) host.abort(message);
    else if (softMode === 'fail') host.fail(message);
    else throw new realm.AssertionFailedError(message);
  };

  function expectation(received: unknown, config: Config, message: string | undefined, negated: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {
      get not() {
        return expectation(received, config, message, !negated);
      },
    };
    for (const [name, matcher] of Object.entries(MATCHERS)) {
      out[name] = function (...args: unknown[]): void {
        const outcome = matcher(received, realm, ...args);
        if (outcome.pass !== negated) return;
        const display = String(config.display);
        if (display !== 'pretty' && display !== 'inline') throw new realm.Error(`Unknown display format: ${display}`);
        const text = render(outcome.failure(negated), callSite(realm), message, { colorize: Boolean(config.colorize), display });
        const fn = (typeof config.assertFn === 'function' ? config.assertFn : assert) as AssertFn;
        fn(false, text, config.soft, config.softMode);
      };
    }
    for (const name of BROWSER_MATCHERS) {
      const matcher = RETRYING_MATCHERS[name];
      out[name] = function (...args: unknown[]): Promise<void> {
        const kind = browserTarget(received);
        if (matcher === undefined || kind !== matcher.on) {
          throw new realm.TypeError(`${name}() is a retrying assertion on a k6/browser ${matcher?.on === 'page' ? 'Page' : 'Locator'}`);
        }
        const site = callSite(realm); // the script's frame, before any await
        const run = matcher.start(args);
        const own = args.find((a) => a !== null && typeof a === 'object' && !Array.isArray(a) && Object.prototype.toString.call(a) !== '[object RegExp]') as
          { timeout?: unknown; interval?: unknown } | undefined;
        const timeout = Number(own?.timeout ?? config.timeout);
        const interval = Number(own?.interval ?? config.interval);
        const target = received as Record<string, (...a: unknown[]) => Promise<unknown>>;
        return retry(() => run.probe(target), negated, { timeout, interval }).then((outcome) => {
          if (outcome.pass) return;
          const display = String(config.display);
          if (display !== 'pretty' && display !== 'inline') throw new realm.Error(`Unknown display format: ${display}`);
          const text = render(run.failure(negated, outcome.received, timeout), site, message, { colorize: Boolean(config.colorize), display });
          const fn = (typeof config.assertFn === 'function' ? config.assertFn : assert) as AssertFn;
          fn(false, text, config.soft, config.softMode);
        });
      };
    }
    return out;
  }

  function makeExpect(explicit: Partial<Config> | undefined): unknown {
    const config: Config = { timeout: 5000, interval: 100, soft: false, softMode: 'fail', colorize: true, display: 'pretty', ...explicit, ...fromEnv };
    const expect = (value: unknown, message?: unknown): Record<string, unknown> => expectation(value, config, custom(message), false);
    return Object.defineProperties(expect, {
      soft: { value: (value: unknown, message?: unknown) => expectation(value, { ...config, soft: true }, custom(message), false), enumerable: true },
      configure: { value: (options?: Partial<Config>) => makeExpect(options), enumerable: true },
      config: { get: () => ({ ...config }), enumerable: true },
    });
  }

  const expect = makeExpect(undefined);
  return { expect, colorize };
}
