// The `k6` module: check, group, sleep, fail, randomSeed.
//
// check() and group() call script functions, which return a blocking promise when they themselves
// block (the transform makes them async). They then continue asynchronously and return a blocking
// promise of their result, which the transformed call site awaits.
import { isBlocking } from '../vu/blocking.ts';
import type { Tags, VuHost } from '../vu/vu-host.ts';

/** The parts of a VU the k6 module changes beyond the host: the group path and the PRNG. */
export interface K6ModuleVu {
  enterGroup(path: string): string;
  setRandomSeed(seed: number): void;
}

function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as { constructor?: { name?: string } }).constructor?.name === 'AsyncFunction';
}

function extraTags(tags: unknown): Record<string, string> {
  if (tags === undefined || tags === null) return {};
  if (typeof tags !== 'object') throw new TypeError('check tags must be an object');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags as Record<string, unknown>)) out[k] = String(v);
  return out;
}

export function createK6Module(host: VuHost, vu: K6ModuleVu): Record<string, unknown> {
  function record(name: string, passed: boolean, extra: Tags): void {
    host.samples.add('checks', { ...host.state.tags, ...extra, check: name }, passed ? 1 : 0);
  }

  function check(value: unknown, sets: unknown, tags?: unknown): boolean | Promise<boolean> {
    if (host.state.phase === 'init') throw new Error('check() can only be used inside a VU, not in the init context');
    if (sets === null || typeof sets !== 'object') return true;
    const extra = extraTags(tags);
    const entries = Object.entries(sets as Record<string, unknown>);
    let all = true;
    for (let i = 0; i < entries.length; i++) {
      const [name, fn] = entries[i] as [string, unknown];
      if (isAsyncFunction(fn)) throw new TypeError(`check "${name}": async functions are not supported in check()`);
      let result: unknown;
      try {
        result = typeof fn === 'function' ? (fn as (v: unknown) => unknown)(value) : fn;
      } catch (e) {
        record(name, false, extra);
        throw e;
      }
      if (isBlocking(result)) return host.block(finishAsync(value, entries, i, result, all, extra));
      const ok = Boolean(result);
      record(name, ok, extra);
      all &&= ok;
    }
    return all;
  }

  async function finishAsync(
    value: unknown, entries: Array<[string, unknown]>, from: number, pending: Promise<unknown>, allSoFar: boolean, extra: Tags,
  ): Promise<boolean> {
    let all = allSoFar;
    for (let i = from; i < entries.length; i++) {
      const [name, fn] = entries[i] as [string, unknown];
      let ok: boolean;
      try {
        ok = Boolean(i === from ? await pending : typeof fn === 'function' ? await (fn as (v: unknown) => unknown)(value) : fn);
      } catch (e) {
        record(name, false, extra);
        throw e;
      }
      record(name, ok, extra);
      all &&= ok;
    }
    return all;
  }

  function group(name: unknown, fn: unknown): unknown {
    if (host.state.phase === 'init') throw new Error('group() can only be used inside a VU, not in the init context');
    if (typeof name !== 'string') throw new TypeError('group name must be a string');
    if (name.includes('::')) throw new Error(`group and check names may not contain '::' (got "${name}")`);
    if (typeof fn !== 'function') throw new TypeError('group() requires a function as its second argument');
    if (isAsyncFunction(fn)) throw new TypeError('group() does not support async functions as its argument');
    const prev = vu.enterGroup(`${host.state.groupPath}::${name}`);
    const tags = host.state.tags;
    const started = performance.now();
    const finish = (): void => {
      vu.enterGroup(prev);
      host.samples.add('group_duration', tags, performance.now() - started);
    };
    let result: unknown;
    try {
      result = (fn as () => unknown)();
    } catch (e) {
      finish();
      throw e;
    }
    if (!isBlocking(result)) {
      finish();
      return result;
    }
    return host.block(result.finally(finish));
  }

  function sleep(seconds: unknown): Promise<void> | undefined {
    const ms = Number(seconds) * 1000;
    if (!(ms > 0)) return undefined;
    const signal = host.signal;
    // Resolves as soon as the VU's signal aborts, so it needs no race with the interrupt.
    return host.blockCancellable(new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    }));
  }

  function fail(message?: unknown): never {
    throw new Error(message === undefined ? 'test aborted' : String(message));
  }

  function randomSeed(seed: unknown): void {
    const n = Number(seed);
    if (!Number.isFinite(n)) throw new TypeError('randomSeed() requires a number');
    vu.setRandomSeed(Math.trunc(n));
  }

  const mod = { check, group, sleep, fail, randomSeed };
  return { ...mod, default: mod };
}
