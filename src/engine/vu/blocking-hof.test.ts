// __rt.hof: callback builtins whose callbacks may block keep their native results and order.
import { describe, expect, it } from 'vitest';
import { isBlocking, markBlocking } from './blocking.ts';
import { callArrayMethod, callHof } from './blocking-hof.ts';

const deps = { isBlocking, claimPrefix: () => undefined, block: <T>(p: Promise<T>) => markBlocking(p), typeError: (m: string) => new TypeError(m) };
/** A callback that blocks (returns a marked promise) for the values in `slow`. */
const blockingFor = <T, R>(slow: Set<T>, f: (v: T) => R, log: T[] = []) => (v: T): R | Promise<R> => {
  log.push(v);
  return slow.has(v) ? markBlocking(new Promise((r) => setTimeout(() => r(f(v)), 2))) : f(v);
};
const settle = async (r: unknown): Promise<unknown> => (isBlocking(r) ? await r : r);

describe('__rt.hof', () => {
  it('throws V8\'s own TypeErrors for a missing object or method (not "reading \'apply\'")', () => {
    expect(() => callHof(deps, undefined, 'map', [(x: number) => x])).toThrow(new TypeError("Cannot read properties of undefined (reading 'map')"));
    expect(() => callHof(deps, null, 'replace', ['a', () => 'b'])).toThrow(new TypeError("Cannot read properties of null (reading 'replace')"));
    expect(() => callHof(deps, {}, 'forEach', [() => 0], 'res.body')).toThrow(new TypeError('res.body.forEach is not a function'));
    expect(() => callHof(deps, 5, 'map', [() => 0])).toThrow(new TypeError('(intermediate value).map is not a function'));
  });

  it('returns native results synchronously when no callback blocks', () => {
    expect(callHof(deps, [1, 2, 3], 'map', [(x: number) => x * 2])).toEqual([2, 4, 6]);
    expect(callHof(deps, 'a-b-c', 'replaceAll', ['-', () => '+'])).toBe('a+b+c');
  });

  it('map, filter and flatMap continue in order after a blocking callback', async () => {
    const log: number[] = [];
    const r = callHof(deps, [1, 2, 3, 4], 'map', [blockingFor(new Set([2]), (x: number) => x * 10, log)]);
    expect(isBlocking(r)).toBe(true);
    expect(await settle(r)).toEqual([10, 20, 30, 40]);
    expect(log).toEqual([1, 2, 3, 4]);
    expect(await settle(callHof(deps, [1, 2, 3, 4], 'filter', [blockingFor(new Set([1, 3]), (x: number) => x % 2 === 0)]))).toEqual([2, 4]);
    expect(await settle(callHof(deps, [1, 2], 'flatMap', [blockingFor(new Set([1]), (x: number) => [x, x])]))).toEqual([1, 1, 2, 2]);
  });

  it('some/every/find/findIndex stop at the first decisive element, as natively', async () => {
    const log: number[] = [];
    expect(await settle(callHof(deps, [1, 2, 3, 4], 'find', [blockingFor(new Set([1, 2, 3]), (x: number) => x > 2, log)]))).toBe(3);
    expect(log).toEqual([1, 2, 3]);
    expect(await settle(callHof(deps, [1, 2, 3], 'some', [blockingFor(new Set([2]), (x: number) => x === 5)]))).toBe(false);
    expect(await settle(callHof(deps, [1, 2, 3], 'every', [blockingFor(new Set([1]), (x: number) => x < 3)]))).toBe(false);
    expect(await settle(callHof(deps, [5, 6, 7], 'findIndex', [blockingFor(new Set([5, 6]), (x: number) => x === 6)]))).toBe(1);
    expect(await settle(callHof(deps, [5, 6, 7], 'findLast', [blockingFor(new Set([7]), (x: number) => x < 7)]))).toBe(6);
  });

  it('reduce carries the accumulator across blocking steps', async () => {
    const add = (acc: number, x: number) => acc + x;
    const blockingAdd = (acc: number, x: number) => (x === 2 ? markBlocking(Promise.resolve(add(acc, x))) : add(acc, x));
    expect(await settle(callHof(deps, [1, 2, 3, 4], 'reduce', [blockingAdd, 0]))).toBe(10);
  });

  it('sort with a blocking comparator sorts in place', async () => {
    const arr = [3, 1, 2];
    const r = callHof(deps, arr, 'sort', [(a: number, b: number) => markBlocking(Promise.resolve(a - b))]);
    expect(await settle(r)).toEqual([1, 2, 3]);
    expect(arr).toEqual([1, 2, 3]);
  });

  it('string replace with a blocking replacer substitutes every match in order', async () => {
    const r = callHof(deps, 'a1b2c3', 'replace', [/\d/g, (d: string) => markBlocking(Promise.resolve(`<${d}>`))]);
    expect(await settle(r)).toBe('a<1>b<2>c<3>');
  });

  it('Array.from with a blocking map function, and forEach over a Map', async () => {
    expect(await settle(callHof(deps, Array, 'from', [new Set([1, 2]), blockingFor(new Set([1]), (x: number) => x + 1)]))).toEqual([2, 3]);
    const seen: string[] = [];
    const m = new Map([['a', 1], ['b', 2]]);
    await settle(callHof(deps, m, 'forEach', [(v: number, k: string) => (seen.push(`${k}${v}`), k === 'a' ? markBlocking(Promise.resolve()) : undefined)]));
    expect(seen).toEqual(['a1', 'b2']);
  });

  it('keeps the holes of sparse arrays and sorts undefined last without comparing it, as the native methods', async () => {
    const slow = <T>(v: T): Promise<T> => markBlocking(Promise.resolve(v));
    const sparse = [, 1, , 3];
    const mapped = (await settle(callHof(deps, sparse, 'map', [(x: number) => (x === 3 ? slow(x * 2) : x * 2)]))) as unknown[];
    expect([mapped.length, 0 in mapped, 2 in mapped, mapped[1], mapped[3]]).toEqual([4, false, false, 2, 6]);
    const seen: number[] = [];
    await settle(callHof(deps, sparse, 'forEach', [(_x: number, i: number) => (seen.push(i), slow(i))]));
    expect(seen).toEqual([1, 3]);
    const compared: unknown[] = [];
    const withUndefined = [3, , undefined, 1];
    await settle(callHof(deps, withUndefined, 'sort', [(a: number, b: number) => (compared.push(a, b), slow(a - b))]));
    expect(withUndefined.slice(0, 3)).toEqual([1, 3, undefined]);
    expect([withUndefined.length, 3 in withUndefined]).toEqual([4, false]);
    expect(compared).not.toContain(undefined);
  });

  it('Array.from over a one-shot iterator (a generator) and toSorted with blocking callbacks', async () => {
    function* gen(): Generator<number> {
      yield 1;
      yield 2;
      yield 3;
    }
    expect(await settle(callHof(deps, Array, 'from', [gen(), blockingFor(new Set([1]), (x: number) => x * 10)]))).toEqual([10, 20, 30]);
    const arr = [3, 1, 2];
    const sorted = callHof(deps, arr, 'toSorted', [(a: number, b: number) => markBlocking(Promise.resolve(a - b))]);
    expect(await settle(sorted)).toEqual([1, 2, 3]);
    expect(arr).toEqual([3, 1, 2]);
  });

  it('Array.prototype methods called on array-likes (strings, arguments-like objects) await blocking callbacks too', async () => {
    const up = callArrayMethod(deps, Array.prototype.map, 'map', ['abc', blockingFor(new Set(['b']), (c: string) => c.toUpperCase())]);
    expect(isBlocking(up)).toBe(true);
    expect(await settle(up)).toEqual(['A', 'B', 'C']);
    const seen: unknown[] = [];
    const like = { length: 3, 0: 'x', 1: 'y', 2: 'z' };
    await settle(callArrayMethod(deps, Array.prototype.forEach, 'forEach', [like, blockingFor(new Set(['x']), (v: string) => seen.push(v))]));
    expect(seen).toEqual(['x', 'y', 'z']);
    expect(await settle(callArrayMethod(deps, Array.prototype.filter, 'filter', [like, blockingFor(new Set(['y']), (v: string) => v !== 'y')]))).toEqual(['x', 'z']);
    expect(callArrayMethod(deps, Array.prototype.some, 'some', [like, (v: string) => v === 'z'])).toBe(true);
  });

  it('other objects\' methods of the same names are called directly', () => {
    const db = { find: (q: string) => `found ${q}` };
    expect(callHof(deps, db, 'find', ['x'])).toBe('found x');
  });
});
