// The `k6` module: check, group, sleep, fail, randomSeed.
//
// Errors k6 returns from its Go code reach the script as GoErrors (`String(e)` is "GoError: …"),
// so every error this module raises itself is one (a check callback's own exception passes as is).
//
// check() and group() call script functions, which return a blocking promise when they themselves
// block (the transform makes them async). They then continue asynchronously and return a blocking
// promise of their result, which the transformed call site awaits.
import { isBlocking } from '../vu/blocking.ts';
import type { Tags, VuHost } from '../vu/vu-host.ts';
import { applyUserTags } from './user-tags.ts';
import { systemTagEnabled } from '../vu/system-tags.ts';
import { goError } from '../vu/go-error.ts';

const GROUP_SEPARATOR = '::';
const SEPARATOR_IN_NAME = "group and check names may not contain '::'";

/** The parts of a VU the k6 module changes beyond the host: the group path and the PRNG. */
export interface K6ModuleVu {
  enterGroup(path: string): string;
  setRandomSeed(seed: number): void;
}

function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as { constructor?: { name?: string } }).constructor?.name === 'AsyncFunction';
}

export function createK6Module(host: VuHost, vu: K6ModuleVu): Record<string, unknown> {
  const tagCheck = systemTagEnabled(host.options, 'check');
  function record(name: string, passed: boolean, extra: Tags): void {
    const tags = tagCheck ? { ...host.state.tags, ...extra, check: name } : { ...host.state.tags, ...extra };
    host.samples.add('checks', tags, passed ? 1 : 0);
  }

  function check(value: unknown, sets: unknown, tags?: unknown): boolean | Promise<boolean> {
    if (host.state.phase === 'init') throw goError('Using check() in the init context is not supported');
    // k6 tells a missing argument (Go nil) from an explicit undefined, which sobek cannot make an object of.
    if (arguments.length < 2) throw goError('no checks provided to `check`');
    if (sets === undefined || sets === null) throw new TypeError('Cannot convert undefined or null to object');
    let extra: Tags;
    try {
      extra = applyUserTags({}, tags);
    } catch (e) {
      throw goError((e as Error).message);
    }
    const entries = Object.entries(Object(sets) as Record<string, unknown>);
    // k6 validates each name just before running its condition, so earlier ones are already recorded.
    let all = true;
    for (let i = 0; i < entries.length; i++) {
      const [name, fn] = entries[i] as [string, unknown];
      if (name.includes(GROUP_SEPARATOR)) throw goError(SEPARATOR_IN_NAME);
      if (isAsyncFunction(fn)) {
        throw goError('the built-in check() does not support async functions as arguments. Use the JavaScript utils library as a replacement. Refer to https://grafana.com/docs/k6/latest/javascript-api/jslib/utils/check/ for more info');
      }
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
      if (name.includes(GROUP_SEPARATOR)) throw goError(SEPARATOR_IN_NAME);
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
    if (host.state.phase === 'init') throw goError('Using group() in the init context is not supported');
    if (typeof fn !== 'function') throw goError('group() requires a callback as a second argument');
    if (isAsyncFunction(fn)) {
      throw goError('group() does not support async functions as arguments, please see https://grafana.com/docs/k6/latest/javascript-api/k6/group/ for more info');
    }
    // The name is converted like any string argument of a k6 function: group(1, fn) is group "1", and
    // null or undefined is "" (sobek's zero value for a Go string). k6's NewGroupPath keeps the root
    // path "" for an empty name at the root.
    const groupName = name === undefined || name === null ? '' : String(name);
    if (groupName.includes(GROUP_SEPARATOR)) throw goError(SEPARATOR_IN_NAME);
    const parent = host.state.groupPath;
    const prev = vu.enterGroup(parent === '' && groupName === '' ? '' : `${parent}${GROUP_SEPARATOR}${groupName}`);
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
    // Ends as soon as the VU's call is interrupted, so it needs no race with the interrupt.
    return host.blockCancellable(host.pause(ms));
  }

  /** k6's fail(msg) returns a Go error: the script sees a GoError whose message is msg ("" when missing). */
  function fail(message?: unknown): never {
    throw goError(message === undefined || message === null ? '' : String(message));
  }

  /** k6 takes an int64: any value is converted (NaN and non-numbers are 0), never refused. */
  function randomSeed(seed: unknown): void {
    const n = Number(seed);
    vu.setRandomSeed(Number.isFinite(n) ? Math.trunc(n) : 0);
  }

  const mod = { check, group, sleep, fail, randomSeed };
  // Written out rather than spread: a spread gave each VU's namespace a map of its own.
  return { check, group, sleep, fail, randomSeed, default: mod };
}
