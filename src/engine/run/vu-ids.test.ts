import { describe, expect, it } from 'vitest';
import { parseScenarios } from '../executors/scenario-config.ts';
import { vuIdSchemes, vuIdSource } from './vu-ids.ts';

const scenarios = (raw: Record<string, unknown>) => parseScenarios(raw).scenarios;

/** The ids each of `count` workers gives its first `take[i]` VUs. */
function ids(raw: Record<string, unknown>, count: number, take: number[], options: Record<string, string> = {}): number[][] {
  const schemes = vuIdSchemes(scenarios(raw), options, count);
  return schemes.map((scheme, i) => {
    const next = vuIdSource(scheme, options, i, count);
    return Array.from({ length: take[i] ?? 0 }, next);
  });
}

describe('VU ids across worker threads', () => {
  it('follow the scenario\'s stripes, so a ramp on two threads starts VUs 1, 2, 3, 4 in order as in k6', () => {
    const ramp = { executor: 'ramping-vus', stages: [{ duration: '4s', target: 4 }] };
    expect(ids({ ramp }, 2, [2, 2])).toEqual([[1, 3], [2, 4]]);
    expect(ids({ ramp }, 3, [2, 1, 1])).toEqual([[1, 4], [2], [3]]);
  });

  it('count an arrival-rate scenario\'s unplanned VUs in the stripes too, within 1…maxVUs', () => {
    const car = { executor: 'constant-arrival-rate', rate: 10, duration: '1s', preAllocatedVUs: 2, maxVUs: 6 };
    expect(ids({ car }, 2, [3, 3])).toEqual([[1, 3, 5], [2, 4, 6]]);
  });

  it('are contiguous ranges per thread when the threads\' VUs are not stripes of the instance\'s (two concurrent one-VU scenarios)', () => {
    const one = { executor: 'per-vu-iterations', vus: 1, iterations: 1 };
    // Both scenarios put their VU on worker 0: ids 1 and 2, not the stripes 1 and 3.
    expect(ids({ a: one, b: one }, 2, [2, 0])).toEqual([[1, 2], []]);
  });

  it('are contiguous ranges with an execution segment (their ids in the test come from the segment)', () => {
    const vus = { executor: 'constant-vus', vus: 4, duration: '1s' };
    expect(ids({ vus }, 2, [1, 1], { executionSegment: '0:1/2', executionSegmentSequence: '0,1/2,1' })).toEqual([[1], [2]]);
  });
});
