// When each iteration of an arrival-rate scenario is due, as nanosecond offsets from the scenario start.
// Every segment computes the *global* schedule and keeps only the indexes of its own stripe
// (GetStripedOffsets of the tuple rebuilt from maxVUs), so segments never need a coordinator.
import type { ExecutionTuple } from './execution-segment.ts';
import type { ConstantArrivalRateConfig, RampingArrivalRateConfig } from './executor-config.ts';

const ns = (ms: number): number => Math.round(ms * 1e6);

function stripes(tuple: ExecutionTuple): { start: number; next: () => number } {
  const { start, offsets } = tuple.stripedOffsets();
  let li = -1;
  return {
    start,
    next: () => {
      li++;
      return offsets[li % offsets.length] as number;
    },
  };
}

/** constant-arrival-rate: global iteration g at g·period, period = timeUnit/rate truncated to whole ns. */
export function* constantArrivalSchedule(c: ConstantArrivalRateConfig, tuple: ExecutionTuple): Generator<number> {
  const rate = c.rate ?? 0;
  if (rate <= 0) return;
  const period = Math.trunc(ns(c.timeUnit) / rate);
  const s = stripes(tuple);
  for (let gi = s.start; ; gi += s.next()) yield period * gi;
}

/**
 * ramping-arrival-rate (k6 cal()): global iteration i (1-based) starts when the area under the linear
 * rate curve reaches i, solved in closed form inside each stage.
 */
export function* rampingArrivalSchedule(c: RampingArrivalRateConfig, tuple: ExecutionTuple): Generator<number> {
  const s = stripes(tuple);
  const timeUnit = ns(c.timeUnit);
  let stageStart = 0;
  let doneSoFar = 0;
  let endCount = 0;
  let from = c.startRate / timeUnit;
  let i = s.start + 1;
  for (const stage of c.stages) {
    const to = (stage.target ?? 0) / timeUnit;
    const dur = ns(stage.duration ?? 0);
    if (from !== to) {
      endCount += dur * ((to - from) / 2 + from);
      for (; i <= endCount; i += s.next()) {
        const x = (from * dur - noNegativeSqrt(dur * (from * from * dur + 2 * (i - doneSoFar) * (to - from)))) / (from - to);
        yield Math.trunc(x) + stageStart;
      }
    } else {
      endCount += dur * to;
      for (; i <= endCount; i += s.next()) yield Math.trunc((i - doneSoFar) / to) + stageStart;
    }
    doneSoFar = endCount;
    from = to;
    stageStart += dur;
  }
}

function noNegativeSqrt(f: number): number {
  return f >= 0 && !Object.is(f, -0) ? Math.sqrt(f) : 0;
}
