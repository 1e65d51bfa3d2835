// A scenario's right-hand progress fragments (k6's, e.g. "2 VUs  01.0s/30s  3/10 shared iters") when
// its VUs run in several worker threads: each thread reports its share, and the instance's line is
// the sum, as one k6 process would write it. Counts of VUs and iterations add up (re-padded as k6's
// GetFixedLengthIntFormat does), an arrival rate adds up, and anything else (times, "N per VU") is the
// leading thread's: the one the bar's fraction is taken from (`leadingPart`), so the time beside the bar
// says what the bar shows.
import { fixedFloat, fixedInt } from '../executors/progress-format.ts';

const VUS = /^(\d+) VUs$/;
const PAIR = /^(\d+)\/(\d+) (VUs|shared iters|iters, .*)$/;
const RATE = /^(\d+(?:\.\d+)?) iters\/s$/;

function mergeFragment(parts: readonly string[], lead: number): string {
  const first = parts[lead] ?? parts[0] ?? '';
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

/**
 * The instance's fragments from each thread's (all of one scenario and executor); `lead` is the index of
 * the thread whose times are shown (`leadingPart`).
 */
export function mergeProgressRight(parts: ReadonlyArray<readonly string[]>, lead = 0): string[] {
  const first = parts[lead] ?? parts[0] ?? [];
  if (parts.length === 1 || parts.some((p) => p.length !== first.length)) return [...first];
  return first.map((_, i) => mergeFragment(parts.map((p) => p[i] ?? ''), lead));
}

/** What the instance's fraction of a scenario is made of: each thread's fraction and state. */
export interface FractionPart {
  readonly fraction: number;
  readonly idle?: boolean | undefined;
  readonly done?: boolean | undefined;
  readonly regularMs?: number | undefined;
}

/**
 * The thread whose fraction is the instance's, by index. While some thread still runs the scenario with
 * VUs, the slowest of those (a thread without VUs of the scenario, or whose share has ended, says nothing
 * of where the scenario is). Once every thread with VUs has returned, the last to stop: k6's one process
 * ends a ramping-arrival-rate when its last iteration starts, so its bar stops where the thread holding
 * that iteration stopped (a share with no iteration at all returns at once, at 0 %). Where the
 * threads' bars count to different ends (ramping-vus: each share's ramp-down ends where its own VUs
 * reach 0), the one with the latest end, as one k6 process counts to the scenario's: a run stopped
 * early shows `4.0s/6s`, not a share's `4.0s/5.333333334s`.
 */
export function leadingPart(parts: readonly FractionPart[]): number {
  const pick = (candidates: readonly FractionPart[], better: (a: number, b: number) => boolean): number => {
    let best = -1;
    for (const c of candidates) {
      const i = parts.indexOf(c);
      if (best === -1 || better(c.fraction, parts[best]?.fraction ?? 0)) best = i;
    }
    return Math.max(best, 0);
  };
  const working = parts.filter((p) => p.idle !== true);
  if (working.length === 0) return pick(parts, (a, b) => a < b);
  const running = working.filter((p) => p.done !== true);
  if (running.length > 0) return pick(running, (a, b) => a < b);
  const ends = working.map((p) => p.regularMs ?? 0);
  const latest = Math.max(...ends);
  if (ends.some((e) => e !== latest)) return pick(working.filter((p) => (p.regularMs ?? 0) === latest), (a, b) => a > b);
  return pick(working, (a, b) => a > b);
}

/** The instance's fraction of one scenario from each thread's: the leading thread's (`leadingPart`). */
export function mergeProgressFraction(parts: readonly FractionPart[]): number {
  return parts[leadingPart(parts)]?.fraction ?? 0;
}
