// `__rt.hof(obj, 'map', [cb, …])`: the script transform routes callback-taking builtins here, because a
// callback may call a blocking function (http.get inside forEach) and then returns a blocking promise
// that the native method would not wait for.
//
// Fast path: the native method runs with a probe around the callback. If no call returns a blocking
// promise, its result is returned as is. On the first blocking result the probe throws a private
// sentinel out of the native method, and the rest of the work continues in an async loop that waits
// for each callback; the caller receives a blocking promise of the same result. An async callback
// whose synchronous prefix blocked (async-prefix.ts) counts as blocking until that prefix ends, and
// its promise is then the callback's value, as the native method would have it (a promise the
// method itself returns, such as an async reducer's, comes boxed: returned-thenable.ts): so
// `urls.forEach(async (u) => { http.get(u); … })` makes its requests one after the other, as in k6.

import { boxReturned, unboxReturned } from './returned-thenable.ts';

type Callback = (...args: unknown[]) => unknown;

const SENTINEL: unique symbol = Symbol('hof-switch');

/** A callback's value, boxed so that a promise value (an async callback's) is not awaited. */
interface Settled {
  readonly v: unknown;
}

interface Switch {
  /** The callback's value at the switch point, once its blocking promise (or prefix) settled. */
  pending: Promise<Settled>;
  /** Arguments of that call. */
  args: unknown[];
  /** Values returned by the calls before the switch, in call order. */
  earlier: unknown[];
  /** The index argument of each of those calls (array methods skip holes, so not always 0, 1, 2…). */
  earlierAt: unknown[];
}

const ARRAY_METHODS = new Set([
  'forEach', 'map', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast',
  'findLastIndex', 'flatMap', 'sort', 'toSorted',
]);

export interface HofDeps {
  isBlocking(v: unknown): v is Promise<unknown>;
  /** The blocked synchronous prefix of the async function that just returned `v`, if any (async-prefix.ts). */
  claimPrefix(v: unknown): { readonly ended: Promise<void> } | undefined;
  block<T>(p: Promise<T>): Promise<T>;
  /** A TypeError of the script's realm, as V8 throws for the call the transform replaced. */
  typeError(message: string): TypeError;
}

// Script objects live in another realm (the worker's vm context): no `instanceof` against our builtins.
const isArrayCtor = (v: unknown): boolean => typeof v === 'function' && Array.isArray((v as { prototype?: unknown }).prototype);
const tagOf = (v: unknown): string => Object.prototype.toString.call(v);
const isMapOrSet = (v: unknown): v is Map<unknown, unknown> | Set<unknown> => tagOf(v) === '[object Map]' || tagOf(v) === '[object Set]';

export function callHof(deps: HofDeps, obj: unknown, name: string, args: unknown[], label?: string): unknown {
  // V8's own errors for `x.map(f)` on null or undefined, or where x has no such method (the transform
  // passes x's source text when it is a plain name or member chain), thrown in the script's realm.
  if (obj === null || obj === undefined) throw deps.typeError(`Cannot read properties of ${String(obj)} (reading '${name}')`);
  const target = obj as Record<string, unknown>;
  const method = target[name];
  if (typeof method !== 'function') throw deps.typeError(`${label ?? '(intermediate value)'}.${name} is not a function`);
  const supported =
    (typeof obj === 'string' && (name === 'replace' || name === 'replaceAll')) ||
    (isArrayCtor(obj) && name === 'from') ||
    ((Array.isArray(obj) || ArrayBuffer.isView(obj)) && ARRAY_METHODS.has(name)) ||
    (isMapOrSet(obj) && name === 'forEach');
  return runHof(deps, method as Callback, obj, name, args, supported);
}

/**
 * `__rt.hofCall(Array.prototype.map, 'map', [arrayLike, cb, …])` for `Array.prototype.map.call(arrayLike,
 * cb, …)` (also `[].map.call`): the array method on any array-like (a string, `arguments`, an object
 * with a length), awaiting callbacks that block as `callHof` does.
 */
export function callArrayMethod(deps: HofDeps, method: unknown, name: string, args: unknown[]): unknown {
  const [obj, ...rest] = args;
  if (typeof method !== 'function') return (method as { call(...a: unknown[]): unknown }).call(...args);
  return runHof(deps, method as Callback, obj, name, rest, ARRAY_METHODS.has(name) && obj !== null && obj !== undefined);
}

function runHof(deps: HofDeps, method: Callback, obj: unknown, name: string, args: unknown[], supported: boolean): unknown {
  const cbIndex = name === 'replace' || name === 'replaceAll' || (isArrayCtor(obj) && name === 'from') ? 1 : 0;
  const cb = args[cbIndex];
  if (!supported || typeof cb !== 'function') return method.apply(obj, args);
  if (cbIndex === 1 && name === 'from' && !Array.isArray(args[0]) && args[0] !== null && args[0] !== undefined) {
    // Array.from(iterator, fn): read the source first. Switching to the async loop part-way would
    // close a one-shot iterator (a generator) that the native method was reading.
    args = [method.call(obj, args[0]), ...args.slice(1)];
  }

  const earlier: unknown[] = [];
  const earlierAt: unknown[] = [];
  let sw: Switch | undefined;
  const probe = function (this: unknown, ...a: unknown[]): unknown {
    const r = (cb as Callback).apply(this, a);
    const waiting = waitFor(deps, r);
    if (waiting !== undefined) {
      sw = { pending: waiting, args: a, earlier, earlierAt };
      throw SENTINEL;
    }
    earlier.push(r);
    earlierAt.push(a[name === 'reduce' || name === 'reduceRight' ? 2 : 1]);
    return r;
  };
  const probed = args.slice();
  probed[cbIndex] = probe;
  try {
    return method.apply(obj, probed);
  } catch (e) {
    if (e !== SENTINEL || sw === undefined) throw e;
  }
  return deps.block(continueAsync(deps, obj, name, args, cb as Callback, sw));
}

/**
 * What to wait for before a callback's value is known, or undefined when it is known now: a blocking
 * promise's outcome (unboxed), or an async callback's promise once its blocked prefix ended.
 */
function waitFor(deps: HofDeps, r: unknown): Promise<Settled> | undefined {
  if (deps.isBlocking(r)) return r.then(unboxedValue);
  const prefix = deps.claimPrefix(r);
  return prefix === undefined ? undefined : prefix.ended.then(() => ({ v: r }));
}

function unboxedValue(v: unknown): Settled {
  return { v: unboxReturned(v) };
}

/** A callback's value once what it blocked on settled (waitFor), else the value itself. */
function settle(deps: HofDeps, r: unknown): Promise<Settled> {
  return waitFor(deps, r) ?? Promise.resolve({ v: r });
}

async function continueAsync(deps: HofDeps, obj: unknown, name: string, args: unknown[], cb: Callback, sw: Switch): Promise<unknown> {
  const thisArg = args[1];
  if (typeof obj === 'string' && (name === 'replace' || name === 'replaceAll')) return replaceAsync(deps, obj, name, args, cb, sw);
  if (isArrayCtor(obj) && name === 'from') {
    // Array.from(src, fn): the mapping restarts on a materialised copy, reusing the calls made so far.
    const items = Array.from(args[0] as Iterable<unknown>);
    return mapFrom(deps, items, (v, i) => cb.call(args[2], v, i), sw);
  }
  if (isMapOrSet(obj)) {
    const entries = tagOf(obj) === '[object Map]' ? [...(obj as Map<unknown, unknown>).entries()] : [...obj.values()].map((v) => [v, v] as const);
    await sw.pending;
    for (let i = sw.earlier.length + 1; i < entries.length; i++) {
      const [k, v] = entries[i] as readonly [unknown, unknown];
      await settle(deps, cb.call(thisArg, v, k, obj));
    }
    return undefined;
  }
  // An array, a typed array or (Array.prototype.x.call) any array-like.
  const arr = obj as ArrayLike<unknown> & Record<number, unknown>;
  const len = arr.length;
  // Boxed: an async function's result must not be awaited (the native method would keep the promise).
  const call = (i: number): Promise<Settled> => settle(deps, cb.call(thisArg, arr[i], i, arr));
  // As the native methods: forEach, map, flatMap, filter, some, every and reduce skip holes of sparse arrays.
  const boxed = Object(arr) as object;
  const has = (i: number): boolean => i in boxed;
  /** What each call before the switch and the switching call returned, by index. */
  const byIndex = async (): Promise<unknown[]> => {
    const at: unknown[] = [];
    sw.earlier.forEach((v, k) => {
      at[sw.earlierAt[k] as number] = v;
    });
    at[sw.args[1] as number] = (await sw.pending).v;
    return at;
  };
  switch (name) {
    case 'forEach': {
      await sw.pending;
      for (let i = (sw.args[1] as number) + 1; i < len; i++) if (has(i)) await call(i);
      return undefined;
    }
    case 'map':
    case 'flatMap': {
      const at = await byIndex();
      for (let i = (sw.args[1] as number) + 1; i < len; i++) if (has(i)) at[i] = (await call(i)).v;
      if (name === 'flatMap') return at.flat(1);
      // A hole of the source stays a hole of the result.
      const out: unknown[] = new Array(len);
      at.forEach((v, i) => {
        out[i] = v;
      });
      return out;
    }
    case 'filter': {
      const flags = await byIndex();
      for (let i = (sw.args[1] as number) + 1; i < len; i++) if (has(i)) flags[i] = (await call(i)).v;
      return Array.prototype.filter.call(arr, (_v: unknown, i: number) => Boolean(flags[i]));
    }
    case 'some':
    case 'every':
    case 'find':
    case 'findIndex': {
      const skipHoles = name === 'some' || name === 'every';
      for (let i = sw.args[1] as number; i < len; i++) {
        if (skipHoles && i !== sw.args[1] && !has(i)) continue;
        const r = i === sw.args[1] ? (await sw.pending).v : (await call(i)).v;
        if (name === 'every' ? !r : r) return name === 'some' ? true : name === 'every' ? false : name === 'find' ? boxReturned(arr[i]) : i;
      }
      return name === 'some' ? false : name === 'every' ? true : name === 'find' ? undefined : -1;
    }
    case 'findLast':
    case 'findLastIndex': {
      for (let i = sw.args[1] as number; i >= 0; i--) {
        const r = i === sw.args[1] ? (await sw.pending).v : (await call(i)).v;
        if (r) return name === 'findLast' ? boxReturned(arr[i]) : i;
      }
      return name === 'findLast' ? undefined : -1;
    }
    case 'reduce':
    case 'reduceRight': {
      let acc = (await sw.pending).v;
      const step = name === 'reduce' ? 1 : -1;
      for (let i = (sw.args[2] as number) + step; i >= 0 && i < len; i += step) {
        if (has(i)) acc = (await settle(deps, cb(acc, arr[i], i, arr))).v;
      }
      return boxReturned(acc);
    }
    case 'sort':
    case 'toSorted': {
      await sw.pending;
      // The comparator blocks: sort the values with an awaiting merge sort, then (sort) write them back
      // in place. As natively, undefined values go last without being compared, then the holes.
      const values: unknown[] = [];
      let undefinedCount = 0;
      for (let i = 0; i < len; i++) {
        if (!has(i)) continue;
        const v = arr[i];
        if (v === undefined) undefinedCount++;
        else values.push(v);
      }
      const sorted = await mergeSort(values, async (a, b) => Number((await settle(deps, cb(a, b))).v) || 0);
      for (let k = 0; k < undefinedCount; k++) sorted.push(undefined);
      if (name === 'toSorted') {
        while (sorted.length < len) sorted.push(undefined);
        return sorted;
      }
      for (let i = 0; i < sorted.length; i++) arr[i] = sorted[i];
      for (let i = sorted.length; i < len; i++) delete arr[i];
      return arr;
    }
    default:
      throw new Error(`unsupported blocking callback method ${name}`);
  }
}

async function mapFrom(deps: HofDeps, items: unknown[], fn: (v: unknown, i: number) => unknown, sw: Switch): Promise<unknown[]> {
  const out = sw.earlier.slice();
  out.push((await sw.pending).v);
  for (let i = out.length; i < items.length; i++) out.push((await settle(deps, fn(items[i], i))).v);
  return out;
}

async function replaceAsync(deps: HofDeps, str: string, name: string, args: unknown[], cb: Callback, sw: Switch): Promise<string> {
  // Collect every match's arguments natively, await the replacer for each, then substitute in order.
  const calls: unknown[][] = [];
  (String.prototype[name as 'replace'] as (p: unknown, f: Callback) => string).call(str, args[0], (...a: unknown[]) => {
    calls.push(a);
    return '';
  });
  const results: string[] = sw.earlier.map(String);
  results.push(String((await sw.pending).v));
  for (let i = results.length; i < calls.length; i++) results.push(String((await settle(deps, cb(...(calls[i] as unknown[])))).v));
  let k = 0;
  return (String.prototype[name as 'replace'] as (p: unknown, f: () => string) => string).call(str, args[0], () => results[k++] ?? '');
}

async function mergeSort(items: unknown[], cmp: (a: unknown, b: unknown) => Promise<number>): Promise<unknown[]> {
  if (items.length <= 1) return items;
  const mid = items.length >> 1;
  const left = await mergeSort(items.slice(0, mid), cmp);
  const right = await mergeSort(items.slice(mid), cmp);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    if ((await cmp(left[i], right[j])) <= 0) out.push(left[i++]);
    else out.push(right[j++]);
  }
  while (i < left.length) out.push(left[i++]);
  while (j < right.length) out.push(right[j++]);
  return out;
}
