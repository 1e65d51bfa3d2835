import { describe, expect, it } from 'vitest';
import {
  ExecutionTuple,
  SegmentedIndex,
  parseExecutionSegment,
  parseExecutionSegmentSequence,
  sequenceToString,
} from './execution-segment.ts';

function tuple(seg: string, seq = ''): ExecutionTuple {
  return ExecutionTuple.of(parseExecutionSegment(seg), parseExecutionSegmentSequence(seq));
}

describe('parsing', () => {
  it('reads fractions, decimals, percentages and single values as 0:value', () => {
    expect(parseExecutionSegment('1/4').toString()).toBe('0:1/4');
    expect(parseExecutionSegment('25%').toString()).toBe('0:1/4');
    expect(parseExecutionSegment('0.25').toString()).toBe('0:1/4');
    expect(parseExecutionSegment('2/4:75%').toString()).toBe('1/2:3/4');
    expect(parseExecutionSegment('').toString()).toBe('0:1');
    expect(sequenceToString(parseExecutionSegmentSequence('0,0.25,50%,1'))).toBe('0,1/4,1/2,1');
  });
  it('rejects bad bounds and text with k6 messages', () => {
    expect(() => parseExecutionSegment('1/2:1/4')).toThrow(/must be less than its end/);
    expect(() => parseExecutionSegment('0:1.5')).toThrow(/can't be more than 1/);
    expect(() => parseExecutionSegment('abc')).toThrow(/not a valid/);
    expect(() => parseExecutionSegmentSequence('0.5')).toThrow(/at least 2 points/);
  });
});

describe('ExecutionTuple.scaleInt64', () => {
  it('splits 3 over 1/2,1/4,1/4 as 2,1,0', () => {
    const seq = '0,1/2,3/4,1';
    expect([tuple('0:1/2', seq), tuple('1/2:3/4', seq), tuple('3/4:1', seq)].map((t) => t.scaleInt64(3))).toEqual([2, 1, 0]);
  });
  it('matches k6 for a half segment with and without a sequence', () => {
    expect(tuple('0.5').scaleInt64(2)).toBe(1);
    expect(tuple('0.5').scaleInt64(3)).toBe(2);
    expect(tuple('0.5:1.0').scaleInt64(3)).toBe(1);
    expect(tuple('0.5', '0,0.5,1').scaleInt64(3)).toBe(2);
  });
  it('always adds up to the global value and never decreases, for random splits', () => {
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 40; round++) {
      const den = 2 + rnd(11);
      const cuts = new Set<number>([0, den]);
      const parts = 1 + rnd(Math.min(den, 6));
      while (cuts.size < parts + 1) cuts.add(1 + rnd(den - 1));
      const points = [...cuts].sort((a, b) => a - b).map((c) => `${c}/${den}`);
      const seq = points.join(',');
      const tuples = points.slice(1).map((to, i) => tuple(`${points[i] as string}:${to}`, seq));
      let prev = tuples.map(() => 0);
      for (let v = 0; v <= 60; v++) {
        const vals = tuples.map((t) => t.scaleInt64(v));
        expect(vals.reduce((a, b) => a + b, 0)).toBe(v);
        vals.forEach((x, i) => expect(x).toBeGreaterThanOrEqual(prev[i] as number));
        prev = vals;
      }
    }
  });
  it('splits an instance segment between its workers', () => {
    const instance = tuple('1/2:1', '0,1/2,1');
    const workers = [0, 1, 2].map((i) => instance.forWorkerIn(i, 3));
    expect(workers.map((w) => w.segment.toString())).toEqual(['1/2:2/3', '2/3:5/6', '5/6:1']);
    expect(ExecutionTuple.of().forWorkerIn(1, 4).segment.toString()).toBe('1/4:1/2');
    const other = tuple('0:1/2', '0,1/2,1');
    for (let v = 0; v <= 40; v++) {
      // The workers split the instance's own share: with the other instance (whatever its workers), exactly v.
      expect(workers.reduce((s, w) => s + w.scaleInt64(v), 0)).toBe(instance.scaleInt64(v));
      expect(other.scaleInt64(v) + workers.reduce((s, w) => s + w.scaleInt64(v), 0)).toBe(v);
    }
    expect(other.scaleInt64(4)).toBe(2);
  });
  it('splits workers i/n evenly', () => {
    const vals = [0, 1, 2].map((i) => ExecutionTuple.forWorker(i, 3).scaleInt64(10));
    expect(vals).toEqual([4, 3, 3]);
    expect(ExecutionTuple.forWorker(0, 1).scaleInt64(7)).toBe(7);
  });
});

describe('striped offsets', () => {
  it.each([
    ['0,0.3,0.5,0.6,0.7,0.8,0.9,1', '0:0.3', 0, [4, 3, 3], 10],
    ['0,0.3,0.5,0.6,0.7,0.8,0.9,1', '0.3:0.5', 1, [4, 6], 10],
    ['0,0.3,0.5,0.6,0.7,0.8,0.9,1', '0.8:0.9', 8, [10], 10],
    ['0,0.2,0.5,0.6,0.7,0.8,0.9,1', '0:0.2', 1, [4, 6], 10],
    ['0,0.2,0.5', '0:0.2', 3, [6, 4], 10],
    ['0,0.2,0.5', '0.2:0.5', 1, [4, 2, 4], 10],
    ['0,2/5,4/5', '2/5:4/5', 1, [3, 2], 5],
    ['', '0:0.2', 1, [5], 5],
    ['', '0:0.4', 1, [2, 3], 5],
  ])('seq %s seg %s → start %i', (seq, seg, start, offsets, lcd) => {
    expect(tuple(seg, seq).stripedOffsets()).toEqual({ start, offsets, lcd });
  });

  it('segmented indexes of a split cover every global index exactly once', () => {
    const seq = '0,1/2,3/4,1';
    const seen: number[] = [];
    for (const seg of ['0:1/2', '1/2:3/4', '3/4:1']) {
      const idx = new SegmentedIndex(tuple(seg, seq));
      for (let i = 0; i < 8; i++) seen.push(idx.next().unscaled);
    }
    // 32 global indexes are 1..32 and the three segments take 16, 8 and 8 of them.
    const first24 = seen.filter((v) => v <= 16).sort((a, b) => a - b);
    expect(first24).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
  });

  it('goTo lands on the last local index at or before a global index, and prev undoes next', () => {
    const idx = new SegmentedIndex(tuple('1/2:3/4', '0,1/2,3/4,1')); // owns global 2, 6, 10, … (1-based)
    expect(idx.goTo(7)).toEqual({ scaled: 2, unscaled: 6 });
    expect(idx.next()).toEqual({ scaled: 3, unscaled: 10 });
    expect(idx.prev()).toEqual({ scaled: 2, unscaled: 6 });
    expect(idx.goTo(1)).toEqual({ scaled: 0, unscaled: 0 });
  });

  it('at(n) is the n-th index next() gives, without moving', () => {
    for (const [seg, seq] of [['0:1/3', '0,1/3,1'], ['1/3:1', '0,1/3,1'], ['1/2:3/4', '0,1/2,3/4,1'], ['0:1', '']] as const) {
      const walked = new SegmentedIndex(tuple(seg, seq));
      const fixed = new SegmentedIndex(tuple(seg, seq));
      for (let n = 1; n <= 12; n++) expect(fixed.at(n)).toEqual(walked.next());
      expect(fixed.next()).toEqual({ scaled: 1, unscaled: walked.at(1).unscaled });
    }
  });
});

describe('fromValue', () => {
  it('re-splits by a value so iteration shares follow VU shares', () => {
    const seq = '0,1/2,3/4,1';
    const ts = ['0:1/2', '1/2:3/4', '3/4:1'].map((s) => tuple(s, seq));
    // 3 VUs split 2,1,0: the third segment gets no share, so no tuple.
    expect(ts[2]?.fromValue(3)).toBeUndefined();
    const t0 = ts[0]?.fromValue(3);
    const t1 = ts[1]?.fromValue(3);
    expect(t0?.segment.toString()).toBe('0:2/3');
    expect(t1?.segment.toString()).toBe('2/3:1');
    expect((t0?.scaleInt64(10) ?? 0) + (t1?.scaleInt64(10) ?? 0)).toBe(10);
  });
});

// k6 lib/execution_segment_test.go.
describe('k6 execution segment tests', () => {
  it.each([
    ['0:1', '0:1'], ['0.5:0.75', '1/2:3/4'], ['1/2:3/4', '1/2:3/4'], ['50%:75%', '1/2:3/4'], ['2/4:75%', '1/2:3/4'], ['75%', '0:3/4'],
  ])('TestExecutionSegmentUnmarshalText: %s is %s, and reads back from its string', (text, expected) => {
    const seg = parseExecutionSegment(text);
    expect(seg.toString()).toBe(expected);
    expect(parseExecutionSegment(seg.toString()).equals(seg)).toBe(true);
  });
  it.each(['125%', '1a5%', '1a5', '1a5%:2/3', '125%:250%', '55%:50%', '1/2:1/2', '-1:1', '0:2'])('TestExecutionSegmentUnmarshalText: rejects %s', (text) => {
    expect(() => parseExecutionSegment(text)).toThrow();
  });

  it.each<[string, string[] | 'error']>([
    ['', []],
    ['0.5', 'error'],
    ['1,1', 'error'],
    ['-0.5,1', 'error'],
    ['1/2,1/2', 'error'],
    ['1/2,1/3', 'error'],
    ['0,1,1/2', 'error'],
    ['0.5,1', ['1/2:1']],
    ['1/2,1', ['1/2:1']],
    ['1/3,2/3', ['1/3:2/3']],
    ['0,1/3,2/3', ['0:1/3', '1/3:2/3']],
    ['0,1/3,2/3,1', ['0:1/3', '1/3:2/3', '2/3:1']],
    ['0.5,0.7', ['1/2:7/10']],
    ['0.5,0.7,1', ['1/2:7/10', '7/10:1']],
    ['0,1/13,2/13,1/3,1/2,3/4,1', ['0:1/13', '1/13:2/13', '2/13:1/3', '1/3:1/2', '1/2:3/4', '3/4:1']],
  ])('TestExecutionSegmentStringSequences: "%s"', (text, expected) => {
    if (expected === 'error') {
      expect(() => parseExecutionSegmentSequence(text)).toThrow();
      return;
    }
    expect(parseExecutionSegmentSequence(text).map((s) => s.toString())).toEqual(expected);
  });

  it('TestExecutionTupleScale and TestBigScale', () => {
    expect([tuple('0.5').scaleInt64(2), tuple('0.5').scaleInt64(3)]).toEqual([1, 2]);
    expect([tuple('0.5:1.0').scaleInt64(2), tuple('0.5:1.0').scaleInt64(3)]).toEqual([1, 1]);
    expect([tuple('0.5', '0,0.5,1').scaleInt64(2), tuple('0.5', '0,0.5,1').scaleInt64(3)]).toEqual([1, 2]);
    expect([tuple('0.5:1.0', '0,0.5,1').scaleInt64(2), tuple('0.5:1.0', '0,0.5,1').scaleInt64(3)]).toEqual([1, 1]);
    expect(tuple('0:7/20', '0,7/20,7/10,1').scaleInt64(50)).toBe(18);
  });

  it('TestExecutionSegmentScaleNoWobble: scaling never decreases as the value grows', () => {
    for (const t of [ExecutionTuple.of(), tuple('0:1/7', '0,1/7,3/7,4/5,1'), tuple('3/7:4/5', '0,1/7,3/7,4/5,1')]) {
      let last = 0;
      for (let v = 1; v < 1000; v++) {
        const r = t.scaleInt64(v);
        expect(r).toBeGreaterThanOrEqual(last);
        last = r;
      }
    }
  });

  it.each([
    ['0,0.3,0.5,0.6,0.7,0.8,0.9,1', '0:0.3', 0, [4, 3, 3], 10],
    ['0,0.3,0.5,0.6,0.7,0.8,0.9,1', '0.3:0.5', 1, [4, 6], 10],
    ['0,0.3,0.5,0.6,0.7,0.8,0.9,1', '0.5:0.6', 2, [10], 10],
    ['0,0.3,0.5,0.6,0.7,0.8,0.9,1', '0.6:0.7', 3, [10], 10],
    ['0,0.3,0.5,0.6,0.7,0.8,0.9,1', '0.8:0.9', 8, [10], 10],
    ['0,0.3,0.5,0.6,0.7,0.8,0.9,1', '0.9:1', 9, [10], 10],
    ['0,0.2,0.5,0.6,0.7,0.8,0.9,1', '0.9:1', 9, [10], 10],
    ['0,0.2,0.5,0.6,0.7,0.8,0.9,1', '0:0.2', 1, [4, 6], 10],
    ['0,0.2,0.5,0.6,0.7,0.8,0.9,1', '0.6:0.7', 3, [10], 10],
    ['0,0.2,0.5', '0:0.2', 3, [6, 4], 10],
    ['0,0.2,0.5', '0.2:0.5', 1, [4, 2, 4], 10],
    ['0,2/5,4/5', '0:2/5', 0, [3, 2], 5],
    ['0,2/5,4/5', '2/5:4/5', 1, [3, 2], 5],
    ['', '0:0.2', 1, [5], 5],
    ['', '0:1/5', 1, [5], 5],
    ['', '0:2/10', 1, [5], 5],
    ['', '0:0.4', 1, [2, 3], 5],
    ['', '0:2/5', 1, [2, 3], 5],
    ['', '2/5:4/5', 1, [3, 2], 5],
    ['', '0:4/10', 1, [2, 3], 5],
    ['', '1/10:5/10', 1, [2, 2, 4, 2], 10],
  ])('TestGetStripedOffsets: seq "%s" segment %s: start %d, offsets %j, lcd %d', (seq, seg, start, offsets, lcd) => {
    expect(tuple(seg, seq).stripedOffsets()).toEqual({ start, offsets, lcd });
  });

  it.each([
    ['0,0.3,0.5,0.6,0.7,0.8,0.9,1', 10],
    ['0,0.1,0.5,0.6,0.7,0.8,0.9,1', 10],
    ['0,0.2,0.5,0.6,0.7,0.8,0.9,1', 10],
    ['0,1/3,5/6', 6],
    ['0,1/3,4/7', 21],
  ])('TestSequenceLCD: %s has lcd %d', (seq, lcd) => {
    const first = parseExecutionSegmentSequence(seq)[0]?.toString() as string;
    expect(tuple(first, seq).stripedOffsets().lcd).toBe(lcd);
  });

  it('TestGetNewExecutionTupleBesedOnValue: 0:1/3 of thirds re-split by 20 is in 0,7/20,7/10,1', () => {
    expect(sequenceToString(tuple('0:1/3', '0,1/3,2/3,1').fromValue(20)?.sequence.segments ?? [])).toBe('0,7/20,7/10,1');
  });

  it.each<[string | undefined, string | undefined, Record<number, number>, Record<number, Record<number, number> | null>]>([
    [undefined, undefined, { 50: 50, 1: 1, 0: 0 }, { 50: { 50: 50, 1: 1, 0: 0 }, 1: { 50: 50, 1: 1, 0: 0 }, 0: null }],
    ['0:1', undefined, { 50: 50, 1: 1, 0: 0 }, { 50: { 50: 50, 1: 1, 0: 0 }, 1: { 50: 50, 1: 1, 0: 0 }, 0: null }],
    ['0:1', '0,1', { 50: 50, 1: 1, 0: 0 }, { 50: { 50: 50, 1: 1, 0: 0 }, 1: { 50: 50, 1: 1, 0: 0 }, 0: null }],
    ['0:1/3', '0,1/3,2/3,1', { 50: 17, 3: 1, 2: 1, 1: 1, 0: 0 }, {
      50: { 50: 17, 1: 1, 0: 0 }, 20: { 50: 18, 1: 1, 0: 0 }, 3: { 50: 17, 1: 1, 0: 0 }, 2: { 50: 25, 1: 1, 0: 0 }, 1: { 50: 50, 1: 1, 0: 0 }, 0: null,
    }],
    ['1/3:2/3', '0,1/3,2/3,1', { 50: 17, 3: 1, 2: 1, 1: 0, 0: 0 }, {
      50: { 50: 17, 1: 0, 0: 0 }, 20: { 50: 17, 1: 0, 0: 0 }, 3: { 50: 17, 1: 0, 0: 0 }, 2: { 50: 25, 1: 0, 0: 0 }, 1: null, 0: null,
    }],
    ['2/3:1', '0,1/3,2/3,1', { 50: 16, 3: 1, 2: 0, 1: 0, 0: 0 }, {
      50: { 50: 16, 1: 0, 0: 0 }, 20: { 50: 15, 1: 0, 0: 0 }, 3: { 50: 16, 1: 0, 0: 0 }, 2: null, 1: null, 0: null,
    }],
  ])('TestNewExecutionTuple: segment %s of %s', (seg, seq, scale, rescaled) => {
    const t = tuple(seg ?? '', seq ?? '');
    for (const [v, r] of Object.entries(scale)) expect(t.scaleInt64(Number(v))).toBe(r);
    for (const [v, table] of Object.entries(rescaled)) {
      const nt = t.fromValue(Number(v));
      if (table === null) {
        expect(nt).toBeUndefined();
        continue;
      }
      for (const [x, r] of Object.entries(table)) expect(nt?.scaleInt64(Number(x))).toBe(r);
    }
  });

  it.each<[string, string, [string, number?][], [number, number][]]>([
    ['full', '0:1', [['n'], ['p'], ['n'], ['n'], ['n'], ['p'], ['p'], ['n']], [[1, 1], [0, 0], [1, 1], [2, 2], [3, 3], [2, 2], [1, 1], [2, 2]]],
    ['half', '0:1/2', [['n'], ['p'], ['n'], ['n'], ['n'], ['p'], ['p'], ['p'], ['n']], [[1, 1], [0, 0], [1, 1], [3, 2], [5, 3], [3, 2], [1, 1], [0, 0], [1, 1]]],
    ['the other half', '1/2:1', [['n'], ['p'], ['n'], ['n'], ['n'], ['p'], ['p'], ['p'], ['n']], [[2, 1], [0, 0], [2, 1], [4, 2], [6, 3], [4, 2], [2, 1], [0, 0], [2, 1]]],
    ['strange (start 1, offsets 4,3, lcd 7)', '1/7:3/7', [
      ['n'], ['p'], ['n'], ['n'], ['n'], ['p'], ['p'], ['p'], ['n'], ['g', 6], ['g', 5], ['g', 7], ['g', 8], ['g', 9], ['p'], ['p'], ['p'],
    ], [[2, 1], [0, 0], [2, 1], [6, 2], [9, 3], [6, 2], [2, 1], [0, 0], [2, 1], [6, 2], [2, 1], [6, 2], [6, 2], [9, 3], [6, 2], [2, 1], [0, 0]]],
  ])('TestSegmentedIndex: %s', (_name, seg, ops, expected) => {
    const idx = new SegmentedIndex(tuple(seg));
    const got = ops.map(([op, v]) => {
      const r = op === 'n' ? idx.next() : op === 'p' ? idx.prev() : idx.goTo(v as number);
      return [r.unscaled, r.scaled];
    });
    expect(got).toEqual(expected);
  });
});
