import { describe, expect, it } from 'vitest';
import { createCryptoModule } from './crypto-module.ts';
import { SharedArrayStore, createDataModule } from './data-module.ts';
import { b64decode, b64encode } from './encoding-module.ts';
import { createK6Module } from './k6-module.ts';
import { createMetricsModule } from './metrics-module.ts';
import { recordingHost } from './test-host.ts';

type Fn = (...args: unknown[]) => unknown;

describe('k6/encoding', () => {
  it('encodes in the four Go flavours', () => {
    expect(b64encode('hello?>')).toBe('aGVsbG8/Pg==');
    expect(b64encode('hello?>', 'rawstd')).toBe('aGVsbG8/Pg');
    expect(b64encode('hello?>', 'url')).toBe('aGVsbG8_Pg==');
    expect(b64encode('hello?>', 'rawurl')).toBe('aGVsbG8_Pg');
    expect(b64encode(new Uint8Array([255, 0]).buffer)).toBe('/wA=');
  });
  it('decodes to an ArrayBuffer, or a string with "s"', () => {
    const buf = b64decode('aGVsbG8=') as ArrayBuffer;
    expect(buf).toBeInstanceOf(ArrayBuffer);
    expect(new TextDecoder().decode(buf)).toBe('hello');
    expect(b64decode('aGVsbG8_Pg', 'rawurl', 's')).toBe('hello?>');
  });
  it('rejects bad data with Go\'s message and offset; unknown encodings are std, as in k6', () => {
    expect(() => b64decode('aGVsbG8_Pg==', 'std')).toThrow('illegal base64 data at input byte 7');
    expect(() => b64decode('aGk', 'std', 's')).toThrow('illegal base64 data at input byte 0');
    expect(() => b64decode('aGk=', 'rawstd', 's')).toThrow('illegal base64 data at input byte 3');
    expect(() => b64decode('aGk=x', 'std', 's')).toThrow('illegal base64 data at input byte 4');
    expect(() => b64decode('a===', 'url')).toThrow('illegal base64 data at input byte 1');
    expect(() => b64decode('!!!!')).toThrow(expect.objectContaining({ name: 'GoError', message: 'illegal base64 data at input byte 0' }));
    expect(b64decode('aGVs\r\nbG8=', 'std', 's')).toBe('hello');
    expect(b64decode('aGk', 'rawstd', 's')).toBe('hi');
    expect(b64encode('hello?>', 'hex')).toBe('aGVsbG8/Pg==');
    expect(b64decode('aGVsbG8/Pg==', 'base32', 's')).toBe('hello?>');
  });
});

describe('k6/crypto', () => {
  const crypto = createCryptoModule(recordingHost()) as Record<string, Fn>;
  it('hashes with every algorithm k6 offers', () => {
    expect(crypto.md4?.('abc', 'hex')).toBe('a448017aaf21d8525fc10ae87aa6729d');
    expect(crypto.md5?.('abc', 'hex')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(crypto.sha256?.('abc', 'hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(crypto.sha512_256?.('abc', 'hex')).toBe('53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23');
    expect(crypto.ripemd160?.('abc', 'hex')).toBe('8eb208f7e05d987a9b044a8e98c6b087f15a0bfc');
    expect(crypto.sha1?.('abc', 'base64')).toBe('qZk+NkcGgWq6PiVxeFDCbJzQ2J0=');
    expect(crypto.sha1?.('abc', 'base64rawurl')).toBe('qZk-NkcGgWq6PiVxeFDCbJzQ2J0');
    expect(crypto.md5?.('abc', 'binary')).toBeInstanceOf(ArrayBuffer);
  });
  it('computes HMACs, incremental hashes and hex', () => {
    // RFC 4231 test case 2
    expect(crypto.hmac?.('sha256', 'Jefe', 'what do ya want for nothing?', 'hex'))
      .toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    const h = crypto.createHash?.('sha256') as { update(x: unknown): void; digest(e: string): unknown };
    h.update('a');
    h.update('bc');
    expect(h.digest('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(typeof crypto.hmac?.('md4', 'k', 'data', 'hex')).toBe('string');
    expect(crypto.hexEncode?.('hi')).toBe('6869');
    expect((crypto.randomBytes?.(8) as ArrayBuffer).byteLength).toBe(8);
    expect(() => crypto.createHash?.('sha3')).toThrow('invalid algorithm: sha3');
    expect(() => crypto.hmac?.('sha3', 'k', 'd', 'hex')).toThrow('invalid algorithm: sha3');
  });
  it('a Hasher shows no state: the HMAC secret is not in its keys or its JSON (k6\'s Go Hasher has none)', () => {
    const mac = crypto.createHMAC?.('sha256', 'top-secret') as { update(x: unknown): void; digest(e: string): unknown };
    mac.update('d');
    expect(Object.keys(mac)).toEqual([]);
    expect(JSON.stringify(mac)).toBe('{}');
    expect(mac.digest('hex')).toBe(crypto.hmac?.('sha256', 'top-secret', 'd', 'hex'));
  });
  it('has no default output encoding: a missing or unknown one throws k6\'s GoError', () => {
    expect(() => crypto.sha256?.('abc')).toThrow(expect.objectContaining({ name: 'GoError', message: 'invalid output encoding: ' }));
    expect(() => crypto.hmac?.('sha256', 'k', 'd')).toThrow('invalid output encoding: ');
    expect(() => crypto.md5?.('abc', 'base32')).toThrow('invalid output encoding: base32');
    const h = crypto.createHash?.('sha1') as { update(x: unknown): void; digest(e?: string): unknown };
    h.update('x');
    expect(() => h.digest()).toThrow('invalid output encoding: ');
  });
  it("refuses data that is not text or bytes with k6's GoError naming the Go type (k6 crypto_test TestHexEncode)", () => {
    const invalid = (type: string) => expect.objectContaining({ name: 'GoError', message: `invalid type ${type}, expected string, []byte or ArrayBuffer` });
    expect(() => crypto.hexEncode?.({})).toThrow(invalid('map[string]interface {}'));
    expect(() => crypto.sha256?.(5, 'hex')).toThrow(invalid('int64'));
    expect(() => crypto.hmac?.('sha256', null, 'd', 'hex')).toThrow(invalid('<nil>'));
    expect(() => b64encode(true)).toThrow(invalid('bool'));
    expect(crypto.hexEncode?.(new Uint8Array([104, 105]).buffer)).toBe('6869');
    // b64decode takes a Go string: other values are converted.
    expect(b64decode(1234, 'std', 's')).toBe(b64decode('1234', 'std', 's'));
  });
});

describe('k6/data SharedArray', () => {
  it('runs the generator once per store and hands out frozen copies', () => {
    const store = new SharedArrayStore();
    let calls = 0;
    const gen = () => {
      calls++;
      return [{ user: 'a', roles: ['x'] }, { user: 'b', roles: [] }];
    };
    const a = new ((createDataModule(recordingHost(), store) as { SharedArray: new (n: string, f: Fn) => unknown[] }).SharedArray)('users', gen);
    const b = new ((createDataModule(recordingHost(), store) as { SharedArray: new (n: string, f: Fn) => unknown[] }).SharedArray)('users', gen);
    expect(calls).toBe(1);
    expect(a.length).toBe(2);
    expect(b[1]).toEqual({ user: 'b', roles: [] });
    const first = a[0] as { user: string; roles: string[] };
    expect(Object.isFrozen(first) && Object.isFrozen(first.roles)).toBe(true);
    expect([...a].map((u) => (u as { user: string }).user)).toEqual(['a', 'b']);
    expect(() => {
      (a as unknown as Record<string, unknown>)[0] = 1;
    }).toThrow(TypeError);
  });
  it('is an array to scripts: Array.isArray, array methods, slicing, keys; length cannot change', () => {
    const store = new SharedArrayStore();
    const { SharedArray } = createDataModule(recordingHost(), store) as { SharedArray: new (n: string, f: Fn) => Array<{ n: number }> };
    const a = new SharedArray('numbers', () => [{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(Array.isArray(a)).toBe(true);
    expect(a.map((x) => x.n)).toEqual([1, 2, 3]);
    expect(a.filter((x) => x.n > 1)).toHaveLength(2);
    expect(a.find((x) => x.n === 2)).toEqual({ n: 2 });
    expect(a.slice(1).map((x) => x.n)).toEqual([2, 3]);
    expect(Object.keys(a)).toEqual(['0', '1', '2']);
    expect(JSON.stringify(a)).toBe('[{"n":1},{"n":2},{"n":3}]');
    expect(a[3]).toBeUndefined();
    expect(() => a.push({ n: 4 })).toThrow('SharedArray is immutable');
    expect(() => {
      a.length = 0;
    }).toThrow(TypeError);
    expect(a).toHaveLength(3);
  });
  it('only works in init, with a name, a sync function returning an array', () => {
    const host = recordingHost();
    const { SharedArray } = createDataModule(host, new SharedArrayStore()) as { SharedArray: new (n: unknown, f: unknown) => unknown };
    expect(() => new SharedArray('', () => [])).toThrow(/empty name/);
    expect(() => new SharedArray('x', async () => [])).toThrow(/async/);
    expect(() => new SharedArray('y', () => 5)).toThrow(/only arrays/);
    host.setPhase('vu');
    expect(() => new SharedArray('z', () => [])).toThrow(/init context/);
  });
  it("throws k6's GoErrors, converts the name to a string and works without new (k6 share_test)", () => {
    const host = recordingHost();
    const { SharedArray } = createDataModule(host, new SharedArrayStore()) as { SharedArray: (n: unknown, f: unknown) => Record<string, unknown> };
    const cases: Array<[unknown, unknown, string]> = [
      ['wat', () => 'whatever', 'only arrays can be made into SharedArray'],
      ['', () => [], "empty name provided to SharedArray's constructor"],
      ['wat3', 'astring', "a function is expected as the second argument of SharedArray's constructor"],
      ['wat3', async () => [], 'SharedArray constructor does not support async functions as second argument'],
    ];
    for (const [name, fn, message] of cases) expect(() => SharedArray(name, fn)).toThrow(expect.objectContaining({ name: 'GoError', message }));
    const unnamed = SharedArray(undefined, () => [1, 2]);
    expect(unnamed.length).toBe(2);
    expect(SharedArray('undefined', () => [9]).length).toBe(2);
    expect(() => {
      unnamed.something = 'x';
    }).toThrow(new TypeError('Cannot set property "something" on a dynamic array'));
    expect(() => {
      unnamed[2] = 'x';
    }).toThrow(new TypeError('SharedArray is immutable'));
  });
  it('returns a blocking promise when the generator blocks', async () => {
    const host = recordingHost();
    const { SharedArray } = createDataModule(host, new SharedArrayStore()) as { SharedArray: new (n: string, f: Fn) => unknown };
    const result = new SharedArray('later', () => Promise.resolve([1, 2, 3])) as Promise<ArrayLike<number>>;
    expect(host.blocked).toBe(1);
    expect((await result).length).toBe(3);
  });
});

describe('k6/metrics', () => {
  it('declares in init, adds while running, with the VU tags and extra tags', () => {
    const host = recordingHost();
    const m = createMetricsModule(host) as Record<string, new (n: string, t?: boolean) => { add(v: unknown, t?: unknown): boolean; name: string }>;
    const trend = new m.Trend!('waiting_time', true);
    const counter = new m.Counter!('my_counter');
    expect(host.metrics.get('waiting_time')).toEqual({ name: 'waiting_time', type: 'trend', contains: 'time' });
    expect(() => trend.add(1)).toThrow(/init context/);
    host.setPhase('vu');
    expect(() => new m.Rate!('late')).toThrow(/init context/);
    trend.add(12.5, { page: 'home' });
    counter.add(true);
    expect(counter.add(Number.NaN)).toBe(false);
    expect(host.warnings[0]).toMatch(/my_counter/);
    expect(host.samples.recorded).toEqual([
      { metric: 'waiting_time', tags: { scenario: 'default', group: '', page: 'home' }, value: 12.5 },
      { metric: 'my_counter', tags: { scenario: 'default', group: '' }, value: 1 },
    ]);
    expect(trend.name).toBe('waiting_time');
    expect(trend).toBeInstanceOf(m.Trend!);
    expect(trend).not.toBeInstanceOf(m.Counter!);
  });
  it("is k6's: callable without new, errors are GoErrors, name is read-only, own and enumerable (k6 runner_test TestInitContextForbidden, metrics_test)", () => {
    const host = recordingHost({ throw: true });
    const m = createMetricsModule(host) as Record<string, (n: unknown, t?: unknown) => { add(...a: unknown[]): boolean; name: string }>;
    const counter = m.Counter!('my_counter');
    expect(counter).toBeInstanceOf(m.Counter!);
    expect(() => counter.add(1)).toThrow(expect.objectContaining({ name: 'GoError', message: 'Adding to metrics in the init context is not supported' }));
    expect(() => m.Gauge!('my_counter')).toThrow(expect.objectContaining({ name: 'GoError', message: expect.stringContaining('already exists') }));
    expect(() => m.Counter!('a')).toThrow(expect.objectContaining({ name: 'GoError' }));
    expect(Object.keys(counter)).toEqual(['name', 'add']);
    expect(JSON.stringify(counter)).toBe('{"name":"my_counter"}');
    expect(() => delete (counter as { name?: string }).name).toThrow(TypeError);
    expect(() => {
      'use strict';
      (counter as { name: string }).name = 'something';
    }).toThrow(/^Cannot assign to read only property 'name'/);
    expect(counter.name).toBe('my_counter');
    host.setPhase('vu');
    expect(() => m.Trend!('late')).toThrow(expect.objectContaining({ name: 'GoError', message: 'metrics must be declared in the init context' }));
    for (const bad of [[null], [1, { a: {} }]]) expect(() => counter.add(...bad)).toThrow(expect.objectContaining({ name: 'GoError' }));
  });
  it("two VUs' metrics of a type are one class (their add() stays monomorphic in the shared script code)", () => {
    const a = createMetricsModule(recordingHost()) as Record<string, new (n: string) => object>;
    const b = createMetricsModule(recordingHost()) as Record<string, new (n: string) => object>;
    expect(Object.getPrototypeOf(new a.Trend!('t1'))).toBe(Object.getPrototypeOf(new b.Trend!('t1')));
    expect(new b.Trend!('t2')).toBeInstanceOf(a.Trend!);
  });
  it('rejects bad names and a second type for one name', () => {
    const host = recordingHost();
    const m = createMetricsModule(host) as Record<string, new (n: unknown) => unknown>;
    expect(() => new m.Counter!('1abc')).toThrow("Invalid metric name: '1abc'. Metric names must only include up to 128 ASCII letters");
    new m.Counter!('dup');
    expect(() => new m.Gauge!('dup')).toThrow(/already exists/);
  });
  it('converts values as k6 does: ToNumber, a truthy zero counts 1, null and NaN are warned about', () => {
    const host = recordingHost();
    const m = createMetricsModule(host) as Record<string, new (n: string, t?: unknown) => { add(...a: unknown[]): boolean }>;
    const c = new m.Counter!('conv');
    host.setPhase('vu');
    const added = ['', '0', ' 7 ', [], new Date(1000), false].map((v) => c.add(v));
    expect(added).toEqual([true, true, true, true, true, true]);
    expect(host.samples.recorded.map((r) => r.value)).toEqual([0, 1, 7, 1, 1000, 0]);
    // add is the metric's own (a Go method value in k6): it works detached from the object.
    const detached = c.add;
    expect(detached(5)).toBe(true);
    expect(host.samples.recorded.at(-1)).toMatchObject({ metric: 'conv', value: 5 });
    host.samples.recorded.pop();
    expect([c.add(null), c.add('abc'), c.add({}), c.add(undefined), c.add()]).toEqual([false, false, false, false, false]);
    expect(host.warnings).toEqual([
      "'null' is an invalid value for metric 'conv', a number or a boolean value is expected",
      "'abc' is an invalid value for metric 'conv', a number or a boolean value is expected",
      "'[object Object]' is an invalid value for metric 'conv', a number or a boolean value is expected",
      "'undefined' is an invalid value for metric 'conv', a number or a boolean value is expected",
      "no value was provided for metric 'conv', a number or a boolean value is expected",
    ]);
  });
  it('throws on invalid values with the throw option, and on tag values that are not scalars', () => {
    const host = recordingHost({ throw: true });
    const m = createMetricsModule(host) as Record<string, new (n: string, t?: unknown) => { add(...a: unknown[]): boolean }>;
    const t = new m.Trend!('strict_trend');
    host.setPhase('vu');
    expect(() => t.add('x')).toThrow("'x' is an invalid value for metric 'strict_trend'");
    expect(() => t.add(1, { nested: { a: 1 } })).toThrow(
      "cannot add tags for the 'strict_trend' custom metric: invalid value for metric tag 'nested': only String, Boolean and Number types are accepted",
    );
    expect(t.add(2, { n: 1.5, b: true })).toBe(true);
    expect(host.samples.recorded.at(-1)?.tags).toMatchObject({ n: '1.5', b: 'true' });
  });
  it('any metric type can hold times; isTime is read as a boolean', () => {
    const host = recordingHost();
    const m = createMetricsModule(host) as Record<string, new (n: string, t?: unknown) => unknown>;
    new m.Counter!('time_counter', true);
    new m.Trend!('truthy_time', 1);
    expect(host.metrics.get('time_counter')?.contains).toBe('time');
    expect(host.metrics.get('truthy_time')?.contains).toBe('time');
  });
});

describe('k6 check and group', () => {
  function k6(): { host: ReturnType<typeof recordingHost>; mod: Record<string, Fn> } {
    const host = recordingHost();
    host.setPhase('vu');
    let path = '';
    const mod = createK6Module(host, { enterGroup: (p) => [path, (path = p)][0] as string, setRandomSeed() {} }) as Record<string, Fn>;
    return { host, mod };
  }
  it('check() rejects names holding the group separator, after recording the checks before it', () => {
    const { host, mod } = k6();
    expect(() => mod.check?.(1, { first: true, 'a::b': true })).toThrow("group and check names may not contain '::'");
    expect(host.samples.recorded.map((r) => r.tags.check)).toEqual(['first']);
  });
  it('check() tags are validated like metric tags and numbers are written as strings', () => {
    const { host, mod } = k6();
    expect(() => mod.check?.(1, { ok: true }, { bad: [1] })).toThrow(/invalid value for metric tag 'bad'/);
    mod.check?.(1, { ok: true }, { n: 2 });
    expect(host.samples.recorded.at(-1)?.tags).toMatchObject({ n: '2', check: 'ok' });
  });
  it('fail() throws a GoError with the message ("" without one); randomSeed() takes any value as k6', () => {
    const seeds: number[] = [];
    const mod = createK6Module(recordingHost(), { enterGroup: () => '', setRandomSeed: (n) => void seeds.push(n) }) as Record<string, Fn>;
    expect(() => mod.fail?.('login failed')).toThrow(expect.objectContaining({ name: 'GoError', message: 'login failed' }));
    expect(() => mod.fail?.()).toThrow(expect.objectContaining({ name: 'GoError', message: '' }));
    mod.randomSeed?.('abc');
    mod.randomSeed?.(12.7);
    expect(seeds).toEqual([0, 12]);
  });
  it('group() with a null, undefined or empty name stays in the root group, as k6 (its Go string parameter gets "", and NewGroupPath keeps the root path "")', () => {
    const entered: string[] = [];
    const host = recordingHost();
    host.setPhase('vu');
    const mod = createK6Module(host, { enterGroup: (p) => (entered.push(p), ''), setRandomSeed() {} }) as Record<string, Fn>;
    for (const name of [null, undefined, '', 'g']) mod.group?.(name, () => undefined);
    expect(entered.filter((_, i) => i % 2 === 0)).toEqual(['', '', '', '::g']);
  });
  it('group() names are converted to strings, and its callback must be a function', () => {
    const { host, mod } = k6();
    expect(mod.group?.(7, () => 'inside')).toBe('inside');
    expect(host.samples.recorded.at(-1)).toMatchObject({ metric: 'group_duration' });
    expect(() => mod.group?.('g')).toThrow('group() requires a callback as a second argument');
    expect(() => mod.group?.('g', async () => undefined)).toThrow(/does not support async functions/);
  });
  it("raises k6's own errors as GoErrors; a callback's exception passes through (k6 k6_test)", () => {
    const { mod } = k6();
    const goErrors: Array<[() => unknown, string]> = [
      [() => mod.check?.(5), 'no checks provided to `check`'],
      [() => mod.check?.(null, { '::': true }), "group and check names may not contain '::'"],
      [() => mod.check?.('x', { async: async () => true }), 'the built-in check() does not support async functions as arguments'],
      [() => mod.check?.(1, { ok: true }, { bad: [1] }), "invalid value for metric tag 'bad'"],
      [() => mod.group?.('::', () => undefined), "group and check names may not contain '::'"],
      [() => mod.group?.('g', async () => undefined), 'group() does not support async functions as arguments'],
      [() => mod.group?.('g', 'not a function'), 'group() requires a callback as a second argument'],
    ];
    for (const [call, message] of goErrors) expect(call).toThrow(expect.objectContaining({ name: 'GoError', message: expect.stringContaining(message) }));
    expect(() => mod.check?.(5, undefined)).toThrow(new TypeError('Cannot convert undefined or null to object'));
    const own = new Error('error A');
    expect(() => mod.check?.(null, { a: () => { throw own; } })).toThrow(own);
    const init = recordingHost();
    const atInit = createK6Module(init, { enterGroup: () => '', setRandomSeed() {} }) as Record<string, Fn>;
    expect(() => atInit.check?.(1, { a: true })).toThrow(expect.objectContaining({ name: 'GoError', message: 'Using check() in the init context is not supported' }));
    expect(() => atInit.group?.('g', () => 1)).toThrow(expect.objectContaining({ name: 'GoError', message: 'Using group() in the init context is not supported' }));
  });
});
