// A scenario's right-hand progress fragments (k6's, e.g. "2 VUs  01.0s/30s  3/10 shared iters") when
// its VUs run in several worker threads: each thread reports its share, and the instance's line is
// the sum, as one k6 process would write it. Counts of VUs and iterations add up (re-padded as k6's
// GetFixedLengthIntFormat does), an arrival rate adds up, and anything else (times, "N per VU") is the
// first thread's.
import { fixedFloat, fixedInt } from '../executors/progress-format.ts';

const VUS = /^(\d+) VUs$/;
const PAIR = /^(\d+)\/(\d+) (VUs|shared iters|iters, .*)$/;
const RATE = /^(\d+(?:\.\d+)?) iters\/s$/;

function mergeFragment(parts: readonly string[]): string {
  const first = parts[0] ?? '';
  if (parts.every((p) => p === first)) {
    // Equal shares still add up, unless the fragment is not a count.
    if (!VUS.test(first) && !PAIR.test(first) && !RATE.test(first)) return first;
  }
  if (parts.every((p) => VUS.test(p))) {
    return `${parts.reduce((n, p) => n + Number(VUS.exec(p)?.[1]), 0)} VUs`;
  }
  const pairs = parts.map((p) => PAIR.exec(p));
  if (pairs.every((m) => m !== null && m[3] === pairs[0]?.[3])) {
    const a = pairs.reduce((n, m) => n + Number(m?.[1]), 0);
    const b = pairs.reduce((n, m) => n + Number(m?.[2]), 0);
    return `${fixedInt(a, b)}/${b} ${pairs[0]?.[3] ?? ''}`;
  }
  const rates = parts.map((p) => RATE.exec(p));
  if (rates.every((m) => m !== null)) {
    const sum = rates.reduce((n, m) => n + Number(m?.[1]), 0);
    const width = Math.max(...parts.map((p) => p.length - ' iters/s'.length));
    return `${fixedFloat(sum, 0, 2).padStart(width, '0')} iters/s`;
  }
  return first;
}

/** The instance's fragments from each thread's (all of one scenario and executor). */
export function mergeProgressRight(parts: ReadonlyArray<readonly string[]>): string[] {
  const first = parts[0] ?? [];
  if (parts.length === 1 || parts.some((p) => p.length !== first.length)) return [...first];
  return first.map((_, i) => mergeFragment(parts.map((p) => p[i] ?? '')));
}

/** What the instance's fraction of a scenario is made of: each thread's fraction and state. */
export interface FractionPart {
  readonly fraction: number;
  readonly idle?: boolean | undefined;
  readonly done?: boolean | undefined;
}

/**
 * The instance's fraction of one scenario from each thread's. While some thread still runs it with
 * VUs, the slowest of those (a thread without VUs of the scenario, or whose share has ended, says
 * nothing of where the scenario is). Once every thread with VUs has returned, the last to stop: k6's
 * one process ends a ramping-arrival-rate when its last iteration starts, so its bar stops where the
 * thread holding that iteration stopped (a share with no iteration at all returns at once, at 0 %).
 */
export function mergeProgressFraction(parts: readonly FractionPart[]): number {
  const working = parts.filter((p) => p.idle !== true);
  if (working.length === 0) return Math.min(...parts.map((p) => p.fraction));
  const running = working.filter((p) => p.done !== true);
  if (running.length > 0) return Math.min(...running.map((p) => p.fraction));
  return Math.max(...working.map((p) => p.fraction));
}
