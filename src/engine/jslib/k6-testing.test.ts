import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createK6TestingModule } from './k6-testing-module.ts';
import { colorize } from './k6-testing-render.ts';

class Aborted extends Error {}

/**
 * The module in a fresh script realm; `run(code)` evaluates script code (file /s/test.js) that sees
 * `expect` and `colorize`. Aborts throw Aborted (as exec.test.abort throws), fails are recorded.
 */
function setup(env: Record<string, string> = {}) {
  const context = vm.createContext({});
  const aborts: string[] = [];
  const fails: string[] = [];
  const mod = createK6TestingModule(context, {
    env,
    abort: (m) => {
      aborts.push(m);
      throw new Aborted(m);
    },
    fail: (m) => fails.push(m),
  });
  Object.assign(context, mod);
  const run = (code: string): unknown => vm.runInContext(code, context, { filename: '/s/test.js' });
  return { run, aborts, fails, mod, context };
}

/** Whether the script `expect(...)...` passes (no abort) in a fresh realm. */
function passes(code: string): boolean {
  const { run } = setup();
  try {
    run(code);
    return true;
  } catch (e) {
    if (e instanceof Aborted) return false;
    throw e;
  }
}

describe('k6-testing matchers', () => {
  it.each([
    ['expect(42).toBe(42)', 'expect(42).toBe(43)'],
    ['expect(NaN).toBe(NaN)', 'expect({}).toBe({})'],
    ['expect({ a: [1, { b: 2 }] }).toEqual({ a: [1, { b: 2 }] })', 'expect({ a: 1 }).toEqual({ a: 1, b: 2 })'],
    ['expect(0.1 + 0.2).toBeCloseTo(0.3)', 'expect(1).toBeCloseTo(1.05)'],
    ['expect(1.001).toBeCloseTo(1, 2)', 'expect(1.001).toBeCloseTo(1, 5)'],
    ['expect(1.005).not.toBeCloseTo(1.01, 2)', 'expect(1.005).not.toBeCloseTo(1.01, 1)'], // the docs' examples
    ['expect(0).toBeCloseTo(0)', 'expect(0).toBeCloseTo(0.006)'],
    ['expect(0).toBeDefined()', 'expect(undefined).toBeDefined()'],
    ['expect(undefined).toBeUndefined()', 'expect(null).toBeUndefined()'],
    ['expect(null).toBeNull()', 'expect(undefined).toBeNull()'],
    ["expect('x' * 2).toBeNaN()", 'expect(2).toBeNaN()'],
    ['expect(NaN).toBeNaN()', "expect('abc').toBeNaN()"], // Number.isNaN, as documented
    ["expect('a').toBeTruthy()", "expect('').toBeTruthy()"],
    ['expect(0).toBeFalsy()', 'expect([]).toBeFalsy()'],
    ['expect(2).toBeGreaterThan(1)', 'expect(1).toBeGreaterThan(1)'],
    ['expect(10n).toBeGreaterThan(1)', "expect('10').toBeGreaterThan(1)"], // numbers only, as documented
    ["expect('10').not.toBeLessThan(1)", "expect('0').toBeLessThan(1)"],
    ['expect(1).toBeGreaterThanOrEqual(1)', 'expect(0).toBeGreaterThanOrEqual(1)'],
    ['expect(1).toBeLessThan(2)', 'expect(2).toBeLessThan(2)'],
    ['expect(2).toBeLessThanOrEqual(2)', 'expect(3).toBeLessThanOrEqual(2)'],
    ['expect(new TypeError()).toBeInstanceOf(Error)', 'expect({}).toBeInstanceOf(Array)'],
    ["expect('Pizza time').toContain('Pizza')", "expect('pizza').toContain('Pizza')"],
    ['expect([1, 2, 3]).toContain(2)', "expect([1, 2, 3]).toContain('2')"],
    ['expect(new Set([1, 2])).toContain(2)', 'expect(new Set([1])).toContain(2)'],
    ['expect([{ a: 1 }, { b: 2 }]).toContainEqual({ b: 2 })', 'expect([{ a: 1 }]).toContainEqual({ a: 2 })'],
    ["expect('abc').toHaveLength(3)", 'expect([1]).toHaveLength(2)'],
    ["expect({ a: { b: [1, { c: 2 }] } }).toHaveProperty('a.b[1].c')", "expect({ a: { b: [] } }).toHaveProperty('a.b[0]')"],
    ["expect({ a: { b: [1, { c: 2 }] } }).toHaveProperty('a.b[1]', { c: 2 })", "expect({ a: 1 }).toHaveProperty('a', 2)"],
    ["expect({ user: { address: { city: 'x' } } }).toHaveProperty(['user', 'address', 'city'], 'x')", "expect({ user: {} }).toHaveProperty(['user', 'address'])"],
    ["expect({ a: { toString: 1 } }).toHaveProperty('a.toString')", "expect({ a: {} }).toHaveProperty('a.toString')"], // own properties only
    ['expect(200).not.toBe(404)', 'expect(404).not.toBe(404)'],
    ["expect({ id: 1 }).not.toHaveProperty('error')", "expect({ error: 'x' }).not.toHaveProperty('error')"],
    ['expect(1).not.not.toBe(1)', 'expect(1).not.not.toBe(2)'],
  ])('%s passes, %s fails', (pass, fail) => {
    expect(passes(pass)).toBe(true);
    expect(passes(fail)).toBe(false);
  });

  it('toBeInstanceOf(Object) holds for objects a k6 module made in the engine\'s realm (a response, res.json())', () => {
    const { run, context } = setup();
    Object.assign(context, { response: { status: 200, headers: {} }, list: [1] }); // made here, in the host realm
    expect(vm.runInContext(`[response instanceof Object, typeof expect(response).toBeInstanceOf(Object)]`, context)).toEqual([false, 'undefined']);
    expect(() => vm.runInContext(`expect(list).toBeInstanceOf(Array); expect(list).not.toBeInstanceOf(Object)`, context)).toThrow(Aborted);
    expect(run(`expect(new Map()).toBeInstanceOf(Map); 'ok'`)).toBe('ok');
  });

  it('a matcher given a value it cannot test throws an Error of the script (not an assertion failure)', () => {
    const { run, aborts } = setup();
    expect(run(`(() => { try { expect(5).toContain(1); } catch (e) { return [e instanceof Error, e.message]; } })()`))
      .toEqual([true, 'toContain is only supported for strings, arrays, and sets']);
    expect(run(`(() => { try { expect('ab').toContainEqual('a'); } catch (e) { return e.message; } })()`))
      .toBe('toContainEqual is only supported for arrays and sets');
    expect(run(`(() => { try { expect('ab').not.toHaveProperty('x'); } catch (e) { return e.message; } })()`))
      .toBe('toHaveProperty is only supported for objects');
    expect(aborts).toEqual([]);
  });

  it('the browser (retrying) matchers need a k6/browser Locator or Page', () => {
    const { run } = setup();
    expect(run(`(() => { try { expect({}).toBeVisible(); } catch (e) { return [e instanceof TypeError, e.message]; } })()`))
      .toEqual([true, 'toBeVisible() is a retrying assertion on a k6/browser Locator']);
    expect(run(`typeof expect(1).not.toHaveText`)).toBe('function');
  });
});

describe('k6-testing retrying matchers', () => {
  /** A stand-in for a k6/browser Locator whose element shows up (visible, with its text) after `after` polls. */
  function fakeLocator(after: number) {
    let polls = 0;
    const visible = () => ++polls > after;
    return {
      get polls() {
        return polls;
      },
      first() { return this; },
      isVisible: async () => visible(),
      isHidden: async () => !visible(),
      textContent: async () => (visible() ? '  Thanks\n Ann ' : null),
      inputValue: async () => 'typed',
      getAttribute: async (name: string) => (name === 'id' ? 'thanks' : null),
    };
  }

  it('poll the locator until it holds, within the timeout', async () => {
    const { context, aborts } = setup();
    const locator = fakeLocator(3);
    Object.assign(context, { locator });
    await (vm.runInContext(`(async () => {
      await expect(locator).toBeVisible({ timeout: 2000, interval: 10 });
      await expect(locator).toHaveText('Thanks Ann');
      await expect(locator).toContainText(/thanks/i);
      await expect(locator).toHaveValue('typed');
      await expect(locator).toHaveAttribute('id', 'thanks');
      await expect(locator).not.toHaveAttribute('class');
    })()`, context, { filename: '/s/test.js' }) as Promise<void>);
    expect(aborts).toEqual([]);
    expect(locator.polls).toBeGreaterThanOrEqual(4);
  });

  it('fail after the timeout with the jslib’s message: expect(locator), states and the call log', async () => {
    const { context, aborts } = setup({ K6_TESTING_COLORIZE: 'false' });
    Object.assign(context, { locator: fakeLocator(1_000_000) });
    const outcome = await (vm.runInContext(`expect(locator).toBeVisible({ timeout: 50, interval: 10 })`, context, { filename: '/s/test.js' }) as Promise<void>)
      .then(() => 'passed', (e: unknown) => e);
    expect(outcome).toBeInstanceOf(Aborted);
    expect(aborts).toHaveLength(1);
    expect(aborts[0]).toContain('Error: expect(locator).toBeVisible()');
    expect(aborts[0]).toContain('Expected: visible');
    expect(aborts[0]).toContain('Received: hidden');
    expect(aborts[0]).toContain('\n  - expect.toBeVisible with timeout 50ms\n  - waiting for locator');
  });
});

describe('k6-testing failures', () => {
  it('a hard failure aborts the test with the pretty message: hint, call site, Expected/Received, file and line', () => {
    const { run, aborts } = setup({ K6_TESTING_COLORIZE: 'false' });
    expect(() => run(`\n  expect(1, undefined).toBe(2);`)).toThrow(Aborted);
    expect(aborts).toEqual([[
      '',
      '',
      '   Error: expect(received).toBe(expected)',
      '      At: /s/test.js:2:24',
      '',
      'Expected: 2',
      'Received: 1',
      '',
      'Filename: /s/test.js:2:24{@file}', // the log turns these into test.js and 2 (compile/stack-mapper.ts)
      '    Line: /s/test.js:2:24{@line}',
      '',
      '',
    ].join('\n')]);
  });

  it('each matcher has its own lines; .not changes the labels of the collection matchers', () => {
    const { run, aborts } = setup({ K6_TESTING_COLORIZE: 'false', K6_TESTING_DISPLAY: 'inline' });
    const fail = (code: string): string => {
      aborts.length = 0;
      expect(() => run(code)).toThrow(Aborted);
      return (aborts[0] as string).replace(/ at=\S+/, '').replace(/ filename=\S+ line=\S+$/, '');
    };
    expect(fail(`expect(5).toBeGreaterThan(9)`)).toBe('error=expect(received).toBeGreaterThan(expected) expected="> 9" received=5');
    expect(fail(`expect('a b').toEqual('a')`)).toBe('error=expect(received).toEqual(expected) expected="a" received=""a b""'); // JSON, then quoted for the space
    expect(fail(`expect([1, 2]).not.toContain(2)`)).toBe('error=expect(received).toContain(expected) expected_not_to_contain=2 received_array=[1,2]');
    expect(fail(`expect({ a: 1 }).toHaveProperty('b')`))
      .toBe('error="expect(received).toHaveProperty(keyPath, expected?)" property_path=b expected_property_to_exist= received_object={"a":1}');
    expect(fail(`expect({ user: {} }).toHaveProperty(['user', 'id'], 1)`))
      .toBe('error="expect(received).toHaveProperty(keyPath, expected?)" property_path=user.id expected_property_to_equal=1 received_object={"user":{}}');
    expect(fail(`expect(undefined).toBeTruthy()`)).toBe('error=expect(received).toBeTruthy() received=undefined');
    expect(fail(`expect('x').toBeNull()`)).toBe('error=expect(received).toBeNull() received="x"');
    expect(fail(`expect([1]).toHaveLength(2)`)).toBe('error=expect(received).toHaveLength(expected) expected_length=2 received_length=1 received_array=undefined');
    expect(fail(`expect(1).toBeCloseTo(2, 1)`))
      .toBe('error="expect(received).toBeCloseTo(expected, precision)" expected_precision=1 expected_difference="< 0.05" received_difference=1');
    expect(fail(`expect([]).toBeInstanceOf(Map)`))
      .toBe('error=expect(received).toBeInstanceOf(expected) expected_constructor=Map received_constructor=Array');
  });

  it('the message of expect(value, message) replaces the hint; colors (the default) wrap each value', () => {
    const { run, aborts } = setup();
    expect(() => run(`expect(500, 'API should return 200').toBe(200)`)).toThrow(Aborted);
    const text = aborts[0] as string;
    expect(text).toMatch(/^\n\n {3}Error: \x1b\[37mAPI should return 200\x1b\[0m\n {6}At: \x1b\[90m\/s\/test\.js:1:38\x1b\[0m\n\n/);
    expect(text).toContain(`Expected: ${colorize('200', 'green')}\nReceived: ${colorize('500', 'red')}\n`);
    const { run: run2, aborts: aborts2 } = setup();
    expect(() => run2(`expect(1).toBe(2)`)).toThrow(Aborted);
    expect(aborts2[0]).toContain(`Error: ${colorize('expect(', 'darkGrey')}${colorize('received', 'red')}${colorize(').', 'darkGrey')}${colorize('toBe', 'white')}`);
  });

  it('soft assertions mark the test failed and go on; softMode "throw" throws an AssertionFailedError instead', () => {
    const { run, aborts, fails } = setup({ K6_TESTING_COLORIZE: 'false' });
    expect(run(`expect.soft(1).toBe(2); expect.soft('a').toContain('b'); 'went on'`)).toBe('went on');
    expect(fails).toHaveLength(2);
    expect(fails[0]).toContain('Error: expect(received).toBe(expected)');
    expect(aborts).toEqual([]);
    const thrown = run(`(() => {
      const strict = expect.configure({ softMode: 'throw', colorize: false });
      try { strict.soft(1).toBe(2); } catch (e) { return [e instanceof Error, e.name, e.message.split('\\n')[2]]; }
    })()`);
    expect(thrown).toEqual([true, 'AssertionFailedError', '   Error: expect(received).toBe(expected)']);
    // soft: true in the configuration makes every assertion of that expect soft.
    run(`expect.configure({ soft: true }).soft(1).toBe(3)`);
    expect(fails).toHaveLength(3);
    expect(aborts).toEqual([]);
  });

  it('configure() makes a new expect from the defaults, the original unchanged; K6_TESTING_* variables win', () => {
    const { run } = setup();
    expect(run(`expect.config`)).toMatchObject({ timeout: 5000, interval: 100, colorize: true, display: 'pretty', soft: false, softMode: 'fail' });
    expect(run(`const a = expect.configure({ timeout: 10000, display: 'inline' }); [a.config.timeout, a.configure({}).config.timeout, expect.config.timeout]`))
      .toEqual([10000, 5000, 5000]);
    const env = setup({ K6_TESTING_TIMEOUT: '7', K6_TESTING_SOFT_MODE: 'THROW', K6_TESTING_COLORIZE: 'no' });
    expect(env.run(`const b = expect.configure({ timeout: 1, softMode: 'fail', colorize: false }).config; [b.timeout, b.softMode, b.colorize]`))
      .toEqual([7, 'throw', true]);
    expect(() => setup({ K6_TESTING_DISPLAY: 'fancy' })).toThrow('Invalid value for K6_TESTING_DISPLAY. Must be one of: inline, pretty');
    expect(() => setup({ K6_TESTING_TIMEOUT: '-1' })).toThrow('Environment variable K6_TESTING_TIMEOUT must be a non-negative number, got: -1');
  });

  it('an assertFn in the configuration is called instead of the built-in reaction', () => {
    const { run, aborts, fails } = setup({ K6_TESTING_COLORIZE: 'false' });
    expect(run(`const seen = []; expect.configure({ assertFn: (ok, msg, soft, mode) => seen.push([ok, msg.includes('toBe'), soft, mode]) })(1).toBe(2); seen`))
      .toEqual([[false, true, false, 'fail']]);
    expect([aborts, fails]).toEqual([[], []]);
  });

  it('exports colorize(text, color) with the jslib\'s palette', () => {
    const { run } = setup();
    expect(run(`[colorize('ok', 'green'), colorize('x', 'brightCyan'), colorize('y', 'nope')]`))
      .toEqual(['\x1b[32mok\x1b[0m', '\x1b[96mx\x1b[0m', 'undefinedy\x1b[0m']);
  });

  it('an unknown display format throws when an assertion fails', () => {
    const { run } = setup();
    expect(run(`(() => { try { expect.configure({ display: 'json' })(1).toBe(2); } catch (e) { return e.message; } })()`)).toBe('Unknown display format: json');
  });
});
