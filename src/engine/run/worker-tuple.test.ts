import { describe, expect, it } from 'vitest';
import { SegmentedIndex } from '../executors/execution-segment.ts';
import { globalVuIds, instanceTuple, workerTuple } from './worker-tuple.ts';

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

// A run split over load zones is one instance per zone, each with as many worker threads as its own
// share allows (worker-count.ts): the workers must split their instance's k6 share, or the zones
// stop adding up to the script (7 VUs over 50/50 ran 3 + 3).
describe('instances with different worker counts', () => {
  const sequences = ['0,1/2,1', '0,33/100,33/50,1', '0,1/100,1', '0,1/4,1/2,3/4,1'];
  it.each(sequences)('sequence %s: every instance runs its k6 share, and together exactly the whole, with disjoint stripes', (seq) => {
    const points = seq.split(',');
    const instances = points.slice(1).map((to, i) => ({ executionSegment: `${points[i] as string}:${to}`, executionSegmentSequence: seq }));
    for (const counts of [[1, 2, 3, 1], [2, 2, 2, 2], [3, 1, 2, 4]]) {
      for (let v = 0; v <= 41; v++) {
        let total = 0;
        instances.forEach((opts, k) => {
          const n = counts[k] as number;
          const share = instanceTuple(opts).scaleInt64(v);
          const workers = Array.from({ length: n }, (_, i) => workerTuple(opts, i, n).scaleInt64(v));
          expect(workers.reduce((a, b) => a + b, 0)).toBe(share);
          total += share;
        });
        expect(total).toBe(v);
      }
      // Striped indexes (VUs of a ramp, arrival-rate iterations): each of 1..60 owned by exactly one worker of one instance.
      const owned: number[] = [];
      instances.forEach((opts, k) => {
        const n = counts[k] as number;
        for (let i = 0; i < n; i++) {
          const index = new SegmentedIndex(workerTuple(opts, i, n));
          for (let g = index.next().unscaled; g <= 60; g = index.next().unscaled) owned.push(g);
        }
      });
      expect(owned.sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    }
  });

  it('the re-split by a value (arrival-rate iterations by maxVUs) keeps the instance share too', () => {
    const opts = { executionSegment: '0:1/2', executionSegmentSequence: '0,1/2,1' };
    const other = { executionSegment: '1/2:1', executionSegmentSequence: '0,1/2,1' };
    // 7 VUs: the first half gets 4 (k6's striping), its two workers 2 + 2; the second half 3.
    expect([0, 1].map((i) => workerTuple(opts, i, 2).scaleInt64(7))).toEqual([2, 2]);
    expect([0, 1].map((i) => workerTuple(other, i, 2).scaleInt64(7))).toEqual([2, 1]);
    const perWorker = [0, 1].map((i) => workerTuple(opts, i, 2).fromValue(7));
    const owned: number[] = [];
    for (const t of perWorker) {
      const index = new SegmentedIndex(t as NonNullable<typeof t>);
      for (let g = index.next().unscaled; g <= 14; g = index.next().unscaled) owned.push(g);
    }
    const instance = new SegmentedIndex(instanceTuple(opts).fromValue(7) as NonNullable<ReturnType<ReturnType<typeof instanceTuple>['fromValue']>>);
    const expected: number[] = [];
    for (let g = instance.next().unscaled; g <= 14; g = instance.next().unscaled) expected.push(g);
    expect(owned.sort((a, b) => a - b)).toEqual(expected);
  });
});
