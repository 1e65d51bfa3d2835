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
