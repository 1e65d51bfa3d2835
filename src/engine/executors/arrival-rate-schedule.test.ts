import { describe, expect, it } from 'vitest';
import { rampingArrivalSchedule } from './arrival-rate-schedule.ts';
import { ExecutionTuple, parseExecutionSegment, parseExecutionSegmentSequence } from './execution-segment.ts';
import type { RampingArrivalRateConfig } from './executor-config.ts';
import { executorKind, parseScenario } from './scenario-config.ts';

const tupleOf = (seg?: string, seq?: string): ExecutionTuple =>
  ExecutionTuple.of(seg ? parseExecutionSegment(seg) : undefined, seq ? parseExecutionSegmentSequence(seq) : undefined);

function rampingArrival(raw: Record<string, unknown>): RampingArrivalRateConfig {
  const { config } = parseScenario('s', { executor: 'ramping-arrival-rate', ...raw }, 'scenarios.s');
  return config as RampingArrivalRateConfig;
}

describe('ramping-arrival-rate schedule (k6 TestRampingArrivalRateCal)', () => {
  const stages = [{ duration: '5s', target: 1 }, { duration: '1s', target: 1 }, { duration: '5s', target: 0 }];
  it.each<[string | undefined, string | undefined, string, number[]]>([
    [undefined, undefined, '1s', [3162, 4472, 5500, 6527, 7837, 11000]],
    ['0:1/3', undefined, '1s', [4472, 7837]],
    ['0:1/3', '0,1/3,1', '1s', [4472, 7837]],
    ['1/3:2/3', undefined, '1s', [4472, 7837]],
    ['2/3:1', undefined, '1s', [4472, 7837]],
    ['0:1/3', '0,1/3,2/3,1', '1s', [3162, 6527]],
    ['1/3:2/3', '0,1/3,2/3,1', '1s', [4472, 7837]],
    ['2/3:1', '0,1/3,2/3,1', '1s', [5500, 11000]],
    [undefined, undefined, '333333333ns', [
      1825, 2581, 3162, 3651, 4082, 4472, 4830, 5166, 5499, 5833, 6169, 6527, 6917, 7348, 7837, 8418, 9174, 10999,
    ]],
  ])('segment %s of %s, timeUnit %s: iterations due at %j ms', (seg, seq, timeUnit, expectedMs) => {
    const c = rampingArrival({ startRate: 0, timeUnit, stages });
    const got = [...rampingArrivalSchedule(c, tupleOf(seg, seq))].map((ns) => ns / 1e6);
    expect(got.length).toBe(expectedMs.length);
    got.forEach((ms, i) => expect(Math.abs(ms - (expectedMs[i] as number)) / (expectedMs[i] as number)).toBeLessThan(0.001));
  });
});

describe('arrival-rate execution requirements (k6 TestRampingArrivalRateActiveVUs_GetExecutionRequirements)', () => {
  it.each([
    [1, 4000, '0:1/4', '0,1/4,1/2,3/4,1', 1, 999],
    [100, 4000, '0:1/4', '0,1/4,1/2,3/4,1', 25, 975],
    [1, 4000, '0:1', '0,1', 1, 3999],
    [100, 4000, '0:1', '0,1', 100, 3900],
  ])('preAllocatedVUs %d, maxVUs %d, segment %s of %s: %d planned, %d unplanned', (pre, max, seg, seq, planned, unplanned) => {
    const c = rampingArrival({ preAllocatedVUs: pre, maxVUs: max, stages: [] });
    expect(executorKind(c).steps(c, tupleOf(seg, seq))).toEqual([
      { offsetMs: 0, plannedVUs: planned, maxUnplannedVUs: unplanned },
      { offsetMs: 30_000, plannedVUs: 0, maxUnplannedVUs: 0 },
    ]);
  });
});
