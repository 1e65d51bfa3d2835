// Built-in https://jslib.k6.io/k6-utils/<version>/index.js: the helpers of grafana/k6-jslib-utils,
// reimplemented with the same results. Randomness is the script realm's Math.random, so randomSeed()
// applies as it does to the jslib's own code; arrays and objects handed back are of the script realm.
import { isBlocking, isThenable } from '../vu/blocking.ts';

/** The parts of k6/execution the stage helpers read. */
export interface ExecutionView {
  readonly scenario: { readonly name: string; readonly startTime: number };
  readonly test: { readonly options: unknown };
  readonly vu: { readonly tags: Record<string, unknown> };
}

export interface UtilsEnv {
  /** The script realm's Math.random (follows randomSeed). */
  random(): number;
  randomBytes(n: number): Uint8Array;
  /** The VU's k6/execution module. */
  execution(): ExecutionView;
  /** A JSON value rebuilt in the script realm (so `instanceof Array` holds in scripts). */
  toScript<T>(value: T): T;
  /** Epoch ms. */
  now(): number;
  /** k6's check() of the VU (records one `checks` sample per entry). */
  k6Check(value: unknown, sets: Record<string, unknown>, tags?: unknown): unknown;
  /** Marks a promise as blocking (VuHost.block). */
  block<T>(p: Promise<T>): Promise<T>;
}

const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';

function hex(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += (bytes[i] ?? 0).toString(16).padStart(2, '0');
  return s;
}

/**
 * A duration string ("1m30s", "250ms", "1.5h", "2d") in milliseconds, as the jslib parses stage
 * durations: a trailing number without unit counts as milliseconds; a repeated unit is an error.
 */
export function parseDuration(str: unknown): number {
  if (typeof str === 'number') return str;
  if (typeof str !== 'string' || str.length < 1) throw new Error('str is empty');
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  let total = 0;
  let current = '';
  const seen = new Set<string>();
  for (let i = 0; i < str.length; i++) {
    const c = str[i];
    if (isDigit(c) || c === '.') current += c;
    const next = str[i + 1];
    if (next === undefined || isDigit(next) || next === '.') continue;
    const v = parseFloat(current);
    let unit: string = next;
    switch (next) {
      case 'd': total += v * 86_400_000; break;
      case 'h': total += v * 3_600_000; break;
      case 'm':
        if (str[i + 2] === 's') {
          total += Math.trunc(v);
          unit = 'ms';
          i++;
        } else {
          total += v * 60_000;
        }
        break;
      case 's': total += v * 1000; break;
      default: throw new Error(`${next} is an unsupported time unit`);
    }
    if (seen.has(unit)) throw new Error(`${unit} time unit is provided multiple times`);
    seen.add(unit);
    i++;
    current = '';
  }
  if (current.length > 0) total += parseFloat(current);
  return total;
}

export function findBetween(content: string, left: string, right: string, repeat = false): string | string[] | null {
  const found: string[] = [];
  let rest = String(content);
  for (;;) {
    let start = rest.indexOf(left);
    if (start === -1) break;
    start += left.length;
    const end = rest.indexOf(right, start);
    if (end === -1) break;
    const piece = rest.substring(start, end);
    if (!repeat) return piece;
    found.push(piece);
    rest = rest.substring(end + right.length);
  }
  return found.length > 0 ? found : null;
}

/**
 * Stages approximating a normal distribution of VUs: a ramp stage of duration/6 at each end and
 * `numberOfStages` stages in between sharing 4/6 of the duration, targets following the bell curve
 * over [-2σ, 2σ] scaled so that its peak is `maxVus`.
 */
export function normalDistributionStages(maxVus: number, durationSeconds: number, numberOfStages = 10): { duration: string; target: number }[] {
  const density = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  const curve: number[] = new Array<number>(numberOfStages + 2).fill(0);
  for (let i = 0; i <= numberOfStages; i++) curve[i] = density(-2 + (4 * i) / numberOfStages);
  const peak = Math.max(...curve);
  const edge = Math.ceil(durationSeconds / 6);
  const inner = Math.ceil((4 * durationSeconds) / (6 * numberOfStages));
  return curve.map((x, k) => ({
    duration: `${k === 0 || k === numberOfStages + 1 ? edge : inner}s`,
    target: Math.round((x * maxVus) / peak),
  }));
}

interface Stage {
  readonly duration?: unknown;
  readonly target?: unknown;
}

function currentStages(exec: ExecutionView): Stage[] {
  const name = exec.scenario.name;
  const scenarios = (exec.test.options as { scenarios?: Record<string, { stages?: Stage[] } | undefined> } | undefined)?.scenarios;
  const scenario = scenarios?.[name];
  if (scenario == null) throw new Error(`the exec.test.options object doesn't contain the current scenario ${name}`);
  if (scenario.stages == null) {
    throw new Error('only ramping-vus or ramping-arrival-rate supports stages, it is not possible to get a stage index on other executors.');
  }
  if (scenario.stages.length < 1) throw new Error(`the current scenario ${name} doesn't contain any stage`);
  return scenario.stages;
}

function stageIndex(exec: ExecutionView, now: number): number {
  const stages = currentStages(exec);
  const elapsed = now - exec.scenario.startTime;
  let sum = 0;
  for (let i = 0; i < stages.length; i++) {
    sum += parseDuration(stages[i]?.duration);
    if (elapsed < sum) return i;
  }
  return stages.length - 1;
}

function stageProfile(exec: ExecutionView, now: number): 'ramp-up' | 'steady' | 'ramp-down' {
  const index = stageIndex(exec, now);
  if (index < 1) return 'ramp-up';
  const stages = currentStages(exec);
  const current = Number(stages[index]?.target);
  const previous = Number(stages[index - 1]?.target);
  if (current > previous) return 'ramp-up';
  return current === previous ? 'steady' : 'ramp-down';
}

/**
 * The jslib's check(): like k6's, but a value or checker may be a promise (or a checker may return
 * one); then the result is a promise of the verdict. Each entry is recorded when its value is known.
 * A checker that blocks (http inside) is waited for in order, as k6 would.
 */
function createCheck(env: UtilsEnv): (value: unknown, checkers: unknown, tags?: unknown) => unknown {
  const verdict = (results: unknown[]): unknown =>
    results.some(isThenable) ? Promise.all(results).then((all) => all.every(Boolean)) : results.every(Boolean);
  const check = (value: unknown, checkers: unknown, tags?: unknown): unknown => {
    if (isThenable(value)) return Promise.resolve(value).then((v) => check(v, checkers, tags));
    const entries = Object.entries(checkers !== null && typeof checkers === 'object' ? (checkers as Record<string, unknown>) : {});
    const results: unknown[] = [];
    const report = (name: string, ok: unknown): unknown => {
      env.k6Check(undefined, { [name]: Boolean(ok) }, tags);
      return ok;
    };
    const evaluate = (i: number, result: unknown): void => {
      const name = (entries[i] as [string, unknown])[0];
      results.push(isThenable(result) ? Promise.resolve(result).then((v) => report(name, v)) : report(name, result));
    };
    const run = (checker: unknown): unknown => (typeof checker === 'function' ? (checker as (v: unknown) => unknown)(value) : checker);
    const rest = async (from: number, pending: Promise<unknown>): Promise<unknown> => {
      evaluate(from, await pending);
      for (let i = from + 1; i < entries.length; i++) {
        const r = run((entries[i] as [string, unknown])[1]);
        evaluate(i, isBlocking(r) ? await r : r);
      }
      return verdict(results);
    };
    for (let i = 0; i < entries.length; i++) {
      const r = run((entries[i] as [string, unknown])[1]);
      if (isBlocking(r)) return env.block(rest(i, r));
      evaluate(i, r);
    }
    return verdict(results);
  };
  return check;
}

export function createK6UtilsModule(env: UtilsEnv): Record<string, unknown> {
  const randomIntBetween = (min: number, max: number): number => Math.floor(env.random() * (max - min + 1) + min);
  const randomItem = (items: ArrayLike<unknown>): unknown => items[Math.floor(env.random() * items.length)];
  const randomString = (length: number, charset: string | ArrayLike<string> = LOWERCASE): string => {
    let s = '';
    for (let i = 0; i < length; i++) s += charset[(env.random() * charset.length) | 0];
    return s;
  };
  const uuidv4 = (secure = false): string => {
    if (secure) {
      const b = env.randomBytes(16);
      b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
      b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
      return `${hex(b, 0, 4)}-${hex(b, 4, 6)}-${hex(b, 6, 8)}-${hex(b, 8, 10)}-${hex(b, 10, 16)}`;
    }
    return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
      const r = (env.random() * 16) | 0;
      return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
    });
  };
  const mod: Record<string, unknown> = {
    check: createCheck(env),
    randomIntBetween,
    randomItem,
    randomString,
    uuidv4,
    findBetween: (content: string, left: string, right: string, repeat = false) => {
      const r = findBetween(content, left, right, repeat);
      return Array.isArray(r) ? env.toScript(r) : r;
    },
    normalDistributionStages: (maxVus: number, durationSeconds: number, numberOfStages = 10) =>
      env.toScript(normalDistributionStages(maxVus, durationSeconds, numberOfStages)),
    parseDuration,
    getCurrentStageIndex: () => stageIndex(env.execution(), env.now()),
    tagWithCurrentStageIndex: () => {
      const exec = env.execution();
      exec.vu.tags['stage'] = stageIndex(exec, env.now());
    },
    tagWithCurrentStageProfile: () => {
      const exec = env.execution();
      exec.vu.tags['stage_profile'] = stageProfile(exec, env.now());
    },
  };
  return mod;
}
