import { describe, expect, it } from 'vitest';
import { globalVuIds, workerTuple } from './worker-tuple.ts';

describe('worker segments', () => {
  it('a whole-test instance keeps idInTest equal to __VU', () => {
    const ids = globalVuIds({});
    expect([1, 2, 3].map(ids)).toEqual([1, 2, 3]);
  });

  it('two instances of halves get disjoint global VU ids covering 1..n', () => {
    const seq = '0,1/2,1';
    const a = globalVuIds({ executionSegment: '0:1/2', executionSegmentSequence: seq });
    const b = globalVuIds({ executionSegment: '1/2:1', executionSegmentSequence: seq });
    const all = [1, 2, 3].map(a).concat([1, 2, 3].map(b)).sort((x, y) => x - y);
    expect(all).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('the workers of an instance split exactly its share of VUs', () => {
    const opts = { executionSegment: '0:1/2', executionSegmentSequence: '0,1/2,1' };
    const shares = [0, 1, 2].map((i) => workerTuple(opts, i, 3).scaleInt64(10));
    expect(shares.reduce((x, y) => x + y, 0)).toBe(5);
  });
});

// k6 TestExecutionStateVUIDs (lib/executor/execution_test.go): __VU counts 1, 2, 3… per instance while
// vu.idInTest is the instance's stripe of global ids: start + 1, then + offsets[0] each.
describe('k6 TestExecutionStateVUIDs', () => {
  it.each<[string | undefined, string | undefined, number[]]>([
    [undefined, undefined, [1, 2, 3, 4, 5]],
    ['0,1/4,3/4,1', '0:1/4', [2, 6, 10, 14, 18]], // stripes: start 1, offsets [4]
    ['0,0.3,0.5,0.6,0.7,0.8,0.9,1', '0.5:0.6', [3, 13, 23, 33, 43]], // start 2, offsets [10]
  ])('sequence %s, segment %s: idInTest of VUs 1..5 is %j', (seq, seg, expected) => {
    const ids = globalVuIds({ executionSegment: seg, executionSegmentSequence: seq });
    expect([1, 2, 3, 4, 5].map(ids)).toEqual(expected);
    // Asked for out of order (VUs initialised concurrently), the ids stay the same.
    const again = globalVuIds({ executionSegment: seg, executionSegmentSequence: seq });
    const [first, second] = expected as [number, number];
    expect([150, 4, 1].map(again)).toEqual([first + 149 * (second - first), expected[3], first]);
  });
});
