import { describe, expect, it } from 'vitest';
import vm from 'node:vm';
import { createAjvModule } from './ajv-module.ts';
import { createExpectModule, schemaBreaksChain, type ExpectK6 } from './expect-module.ts';

function setup(url = 'https://jslib.k6.io/expect/0.0.5/index.js') {
  const ctx = vm.createContext({});
  const parse = vm.runInContext('(t) => JSON.parse(t)', ctx) as (t: string) => unknown;
  const checks: string[] = [];
  const logs: string[] = [];
  let group = '';
  const k6: ExpectK6 = {
    check: (_v, sets, tags) => {
      for (const [name, c] of Object.entries(sets)) {
        const ok = typeof c === 'function' ? Boolean((c as (v: unknown) => unknown)(_v)) : Boolean(c);
        checks.push(`${group}/${name} ${ok ? '✓' : '✗'}${tags === undefined ? '' : ` value=${String(tags['value'])}`}`);
      }
      return true;
    },
    group: (name, fn) => {
      group = name;
      try {
        return fn();
      } finally {
        group = '';
      }
    },
    console: { warn: (m: unknown) => logs.push(`warn ${String(m)}`), error: (m: unknown) => logs.push(`error ${String(m)}`) },
    Ajv: createAjvModule({ toScript: (v) => parse(JSON.stringify(v)) })['default'] as ExpectK6['Ajv'],
    isBlocking: (v) => v instanceof Promise,
    block: (p) => p,
    caught: () => {},
  };
  const mod = createExpectModule(ctx, url, k6) as { describe: (name: string, fn: (t: unknown) => unknown) => unknown };
  const run = (src: string): unknown => (vm.runInContext(`(describe) => { ${src} }`, ctx) as (d: unknown) => unknown)(mod.describe);
  return { checks, logs, run };
}

describe('expect / functional jslib', () => {
  it('names each matcher\'s check as the jslib does and tags it with the value', () => {
    const { checks, run } = setup();
    expect(run(`return describe('g', (t) => {
      t.expect(5).toEqual(5).toBeGreaterThan(4).toBeGreaterThanOrEqual(5).toBeLessThan(6).toBeLessThanOrEqual(5).toBeBetween(5, 9).toBeTruthy()
        .and('ok').as('word').toEqual('ok');
    });`)).toBe(true);
    expect(checks).toEqual([
      'g/5 is 5 ✓ value=5', 'g/5 is greater than 4 ✓ value=5', 'g/5 is greater or equal to 5 ✓ value=5', 'g/5 is less than 6 ✓ value=5',
      'g/5 is less or equal to 5 ✓ value=5', 'g/5 is between 5 - 9 ✓ value=5', 'g/5 is truthy. ✓ value=5', 'g/word is ok. ✓ value=ok',
    ]);
  });

  it('a failed matcher records a failed check and ends the block; describe returns false', () => {
    const { checks, run, logs } = setup();
    expect(run(`return describe('g', (t) => { t.expect(0).as('zero').toBeTruthy().toEqual(0); t.expect(1).toEqual(1); });`)).toBe(false);
    expect(checks).toEqual(['g/zero is truthy. ✗ value=0']);
    expect(logs).toEqual([]);
    expect(run(`return describe('h', (t) => { t.expect(3).as('n').toEqual(4); });`)).toBe(false);
    expect(checks.at(-1)).toBe("h/n is 3. Expected '4' ✗ value=4");
  });

  it('a broken chain the script caught skips later matchers with one warning', () => {
    const { checks, run, logs } = setup();
    expect(run(`return describe('g', (t) => { const c = t.expect(1); try { c.toEqual(2); } catch (e) { if (!e.brokenChain) throw e; } c.toEqual(1).toBeTruthy(); c.and(5).toEqual(5); });`)).toBe(true);
    expect(checks).toEqual(['g/1 is 2 ✗ value=2']);
    expect(logs).toEqual(['warn This check has been aborted because the previous check in the chain has failed']);
  });

  it('other exceptions are logged and recorded as a failed check; nothing is rethrown', () => {
    const { checks, run, logs } = setup();
    expect(run(`return describe('g', () => { throw new TypeError('nope'); });`)).toBe(false);
    expect(checks).toEqual(['g/Exception raised "TypeError: nope" ✗']);
    expect(logs).toEqual(['error Exception raised in test "g". Failing the test and continuing. \nTypeError: nope']);
  });

  it('toMatchAPISchema: one check, plus one per Ajv 6 error; breaks the chain from expect 0.0.5 on, logs the errors before', () => {
    const schema = "{ type: 'object', properties: { id: { type: 'integer' } } }";
    const now = setup();
    expect(now.run(`return describe('g', (t) => { t.expect({ id: 'x' }).toMatchAPISchema(${schema}).and(1).toEqual(1); });`)).toBe(false);
    expect(now.checks).toEqual(['g/ schema validation ✗', 'g/ .id should be integer ✗']);
    const old = setup('https://jslib.k6.io/functional/0.0.3/index.js');
    expect(old.run(`return describe('g', (t) => { t.expect({ id: 'x' }).as('body').toMatchAPISchema(${schema}).and(1).toEqual(1); });`)).toBe(true);
    expect(old.checks).toEqual(['g/body schema validation ✗', 'g/body .id should be integer ✗', 'g/1 is 1 ✓ value=1']);
    expect(old.logs[0]).toMatch(/^error \[\{"keyword":"type","dataPath":".id"/);
    expect(typeof createExpectModule(vm.createContext({}), 'https://jslib.k6.io/functional/0.0.2/index.js', {} as ExpectK6)['test']).toBe('function');
    expect([schemaBreaksChain('https://jslib.k6.io/expect/0.0.4/index.js'), schemaBreaksChain('https://jslib.k6.io/expect/0.1.0/index.js')]).toEqual([false, true]);
  });

  it('toHaveValidJson needs a k6 response: its request URL names the check', () => {
    const { checks, run, logs } = setup();
    expect(run(`return [
      describe('g', (t) => { t.expect({ request: { url: 'http://h/a' }, json() { return 1; } }).toHaveValidJson(); }),
      describe('h', (t) => { t.expect({ request: { url: 'http://h/b' }, json() { throw new Error('bad'); } }).toHaveValidJson(); }),
      describe('i', (t) => { t.expect('text').toHaveValidJson(); })];`)).toEqual([true, false, false]);
    expect(checks).toEqual(['g/http://h/a has valid json response ✓', 'h/http://h/b has valid json response ✗']);
    expect(logs).toEqual(["error The object passed to expect/and for toHaveValidJson isn't a k6 HttpResponse. Aborting the check."]);
  });
});
