import { describe, expect, it } from 'vitest';
import { ExecutionTuple, parseExecutionSegment, parseExecutionSegmentSequence } from './execution-segment.ts';
import type { RampingVusConfig } from './executor-config.ts';
import { rampingVus, rampingVusRawSteps } from './ramping-vus.ts';
import { parseScenario } from './scenario-config.ts';

function config(extra: Record<string, unknown> = {}): RampingVusConfig {
  const { config: c, problems } = parseScenario(
    'test',
    {
      executor: 'ramping-vus',
      startVUs: 4,
      stages: [
        { target: 6, duration: '2s' },
        { target: 1, duration: '5s' },
        { target: 5, duration: '4s' },
        { target: 1, duration: '4s' },
        { target: 4, duration: '3s' },
        { target: 4, duration: '2s' },
        { target: 1, duration: '0s' },
        { target: 1, duration: '3s' },
      ],
      ...extra,
    },
    'scenarios.test',
  );
  expect(problems).toEqual([]);
  return c as RampingVusConfig;
}

const pairs = (steps: { offsetMs: number; plannedVUs: number }[]): [number, number][] =>
  steps.map((s) => [s.offsetMs / 1000, s.plannedVUs]);
const full = ExecutionTuple.of();

describe('ramping-vus raw steps (k6 TestRampingVUsConfigExecutionPlanExample)', () => {
  const raw: [number, number][] = [
    [0, 4], [1, 5], [2, 6], [3, 5], [4, 4], [5, 3], [6, 2], [7, 1], [8, 2], [9, 3], [10, 4],
    [11, 5], [12, 4], [13, 3], [14, 2], [15, 1], [16, 2], [17, 3], [18, 4], [20, 1],
  ];
  it('follows the stages one VU at a time', () => {
    expect(pairs(rampingVusRawSteps(config(), full, false))).toEqual(raw);
    expect(pairs(rampingVusRawSteps(config(), full, true))).toEqual([...raw, [23, 0]]);
  });
  it('keeps ramped-down VUs reserved for gracefulRampDown, cut by gracefulStop', () => {
    expect(pairs(rampingVus.steps(config(), full))).toEqual([[0, 4], [1, 5], [2, 6], [33, 5], [42, 4], [50, 1], [53, 0]]);
    expect(pairs(rampingVus.steps(config({ gracefulStop: '80s' }), full))).toEqual([
      [0, 4], [1, 5], [2, 6], [33, 5], [42, 4], [50, 1], [103, 0],
    ]);
    expect(pairs(rampingVus.steps(config({ gracefulStop: '3s' }), full))).toEqual([[0, 4], [1, 5], [2, 6], [26, 0]]);
    expect(pairs(rampingVus.steps(config({ gracefulStop: 0 }), full))).toEqual([[0, 4], [1, 5], [2, 6], [23, 0]]);
    expect(pairs(rampingVus.steps(config({ gracefulStop: 0, gracefulRampDown: 0 }), full))).toEqual([...raw, [23, 0]]);
  });
  it('splits the ramp between segments (one third)', () => {
    const third = ExecutionTuple.of(parseExecutionSegment('0:1/3'));
    expect(pairs(rampingVusRawSteps(config(), third, false))).toEqual([
      [0, 1], [1, 2], [4, 1], [7, 0], [8, 1], [11, 2], [12, 1], [15, 0], [16, 1], [20, 0],
    ]);
  });
  it('segments together reproduce the unsegmented VU count at every moment', () => {
    const c = config();
    const workers = [0, 1, 2].map((i) => rampingVusRawSteps(c, ExecutionTuple.forWorker(i, 3), true));
    const whole = rampingVusRawSteps(c, full, true);
    const at = (steps: { offsetMs: number; plannedVUs: number }[], t: number): number =>
      steps.filter((s) => s.offsetMs <= t).at(-1)?.plannedVUs ?? 0;
    for (let t = 0; t <= 23_000; t += 250) {
      expect(workers.reduce((sum, w) => sum + at(w, t), 0)).toBe(at(whole, t));
    }
  });
});

describe('ramping-vus validation', () => {
  it('TestRampingVUsConfigValidation: no stages, startVUs defaulting to 1, and the 100 000 000 VU limit', () => {
    const problems = (raw: Record<string, unknown>): string[] => parseScenario('r', { executor: 'ramping-vus', ...raw }, 's.r').problems;
    expect(problems({})).toEqual(['at least one stage has to be specified']);
    expect(problems({ stages: [{ duration: '12s', target: 0 }] })).toEqual([]);
    expect(problems({ startVUs: 0, stages: [{ duration: '12s', target: 0 }] })[0]).toMatch(/greater than 0/);
    expect(problems({ startVUs: 100_000_001, stages: [{ duration: '1s', target: 0 }] })).toEqual(['the startVUs exceed max limit of 100000000']);
    expect(problems({ startVUs: 100_000_001, stages: [{ duration: '1s', target: 100_000_002 }] })).toEqual([
      'the startVUs exceed max limit of 100000000',
      'target for stage 1 exceeds max limit of 100000000',
    ]);
    expect(problems({ startVUs: 0, stages: [{ duration: '1s', target: 99_999_999 }] })).toEqual([]);
  });

  it('lists every stage problem', () => {
    const { problems } = parseScenario('r', { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '-1s' }, { target: 0 }] }, 's.r');
    expect(problems).toEqual([
      "either startVUs or one of the stages' target values must be greater than 0",
      "the duration for stage 1 can't be negative",
      "stage 1 doesn't have a target",
      "stage 2 doesn't have a duration",
    ]);
  });
});

function rampConfig(startVUs: number, stages: [string, number][]): RampingVusConfig {
  const { config: c, problems } = parseScenario(
    'test',
    { executor: 'ramping-vus', startVUs, stages: stages.map(([duration, target]) => ({ duration, target })) },
    'scenarios.test',
  );
  expect(problems.filter((p) => !p.startsWith('either startVUs'))).toEqual([]);
  return c as RampingVusConfig;
}
const tupleOf = (seg?: string, seq?: string): ExecutionTuple =>
  ExecutionTuple.of(seg ? parseExecutionSegment(seg) : undefined, seq ? parseExecutionSegmentSequence(seq) : undefined);

describe('ramping-vus raw steps per execution tuple (k6 TestRampingVUsExecutionTupleTests)', () => {
  const c = rampConfig(4, [
    ['2s', 6], ['5s', 1], ['4s', 5], ['4s', 1], ['3s', 4], ['2s', 4], ['0s', 1], ['3s', 1],
    ['0s', 5], ['3s', 5], ['0s', 0], ['2s', 2], ['2s', 0], ['4s', 4],
  ]);
  const third: [number, number][] = [
    [0, 1], [1, 2], [4, 1], [7, 0], [8, 1], [11, 2], [12, 1], [15, 0], [16, 1], [20, 0], [23, 2], [26, 0], [28, 1], [29, 0], [32, 1],
  ];
  it.each<[string | undefined, string | undefined, [number, number][]]>([
    [undefined, undefined, [
      [0, 4], [1, 5], [2, 6], [3, 5], [4, 4], [5, 3], [6, 2], [7, 1], [8, 2], [9, 3], [10, 4], [11, 5], [12, 4], [13, 3], [14, 2],
      [15, 1], [16, 2], [17, 3], [18, 4], [20, 1], [23, 5], [26, 0], [27, 1], [28, 2], [29, 1], [30, 0], [31, 1], [32, 2], [33, 3], [34, 4],
    ]],
    ['0:1/3', undefined, third],
    ['0:1/3', '0,1/3,1', third],
    ['1/3:2/3', undefined, third],
    ['2/3:1', undefined, third],
    ['0:1/3', '0,1/3,2/3,1', [
      [0, 2], [5, 1], [10, 2], [13, 1], [18, 2], [20, 1], [23, 2], [26, 0], [27, 1], [30, 0], [31, 1], [34, 2],
    ]],
    ['1/3:2/3', '0,1/3,2/3,1', third],
    ['2/3:1', '0,1/3,2/3,1', [[0, 1], [2, 2], [3, 1], [6, 0], [9, 1], [14, 0], [17, 1], [20, 0], [23, 1], [26, 0], [33, 1]]],
  ])('segment %s of %s', (seg, seq, expected) => {
    expect(pairs(rampingVusRawSteps(c, tupleOf(seg, seq), false))).toEqual(expected);
  });
});

describe('ramping-vus raw steps corner cases (k6 TestRampingVUsGetRawExecutionStepsCornerCases)', () => {
  const upDown: [string, number][] = [['2s', 2], ['2s', 0], ['2s', 2], ['2s', 0]];
  it.each<[string, number, [string, number][], string | undefined, string | undefined, [number, number][]]>([
    ['going up then down straight away', 2, [['0s', 5], ['2s', 3]], undefined, undefined, [[0, 2], [0, 5], [1, 4], [2, 3]]],
    ['jump up then go up again', 3, [['2s', 5]], undefined, undefined, [[0, 3], [1, 4], [2, 5]]],
    ['up down up down', 0, upDown, undefined, undefined, [[0, 0], [1, 1], [2, 2], [3, 1], [4, 0], [5, 1], [6, 2], [7, 1], [8, 0]]],
    ['up down up down in half', 0, upDown, '0:1/2', undefined, [[0, 0], [1, 1], [4, 0], [5, 1], [8, 0]]],
    ['up down up down in the other half', 0, upDown, '1/2:1', undefined, [[0, 0], [2, 1], [3, 0], [6, 1], [7, 0]]],
    ['up down up down in with nothing', 0, upDown, '2/3:1', '0,1/3,2/3,1', [[0, 0]]],
    ['up down up down in with funky sequence', 0, upDown, '0:1/3', '0,1/3,1/2,2/3,1', [[0, 0], [1, 1], [4, 0], [5, 1], [8, 0]]],
    ['strange', 0, [['20s', 20], ['30s', 30]], '0:0.3', '0,0.3,0.6,0.9,1', [
      [0, 0], [1, 1], [5, 2], [8, 3], [11, 4], [15, 5], [18, 6], [23, 7], [35, 8], [44, 9],
    ]],
    ['more up and down', 0, [['5s', 5], ['5s', 0]], undefined, undefined, [
      [0, 0], [1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 4], [7, 3], [8, 2], [9, 1], [10, 0],
    ]],
  ])('%s', (_name, start, stages, seg, seq, expected) => {
    expect(pairs(rampingVusRawSteps(rampConfig(start, stages), tupleOf(seg, seq), false))).toEqual(expected);
  });
});

describe('ramping-vus graceful steps for one third (k6 TestRampingVUsConfigExecutionPlanExampleOneThird)', () => {
  const third = ExecutionTuple.of(parseExecutionSegment('0:1/3'));
  it('reserves ramped-down VUs for gracefulRampDown, cut by gracefulStop', () => {
    expect(pairs(rampingVus.steps(config(), third))).toEqual([[0, 1], [1, 2], [42, 1], [50, 0]]);
    expect(pairs(rampingVus.steps(config({ gracefulStop: '80s' }), third))).toEqual([[0, 1], [1, 2], [42, 1], [50, 0]]);
    expect(pairs(rampingVus.steps(config({ gracefulStop: '3s' }), third))).toEqual([[0, 1], [1, 2], [26, 0]]);
    expect(pairs(rampingVus.steps(config({ gracefulStop: 0 }), third))).toEqual([[0, 1], [1, 2], [23, 0]]);
    expect(pairs(rampingVus.steps(config({ gracefulStop: 0, gracefulRampDown: 0 }), third))).toEqual(
      pairs(rampingVusRawSteps(config(), third, true)),
    );
  });
});

describe('ramping-vus segments add up (k6 TestSumRandomSegmentSequenceMatchesNoSegment)', () => {
  it('for 10 pseudo-random configs and sequences, the segments\' VUs sum to the unsegmented VUs at every step', () => {
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let test = 0; test < 10; test++) {
      const stages: [string, number][] = Array.from({ length: 1 + rnd(10) }, () => [`${1 + rnd(599)}s`, rnd(300)]);
      const c = { ...rampConfig(rnd(300), stages), gracefulRampDown: 0, gracefulStop: 0 };
      const n = 2 + rnd(14);
      const nums = Array.from({ length: n }, () => 1 + rnd(300));
      const den = nums.reduce((a, b) => a + b, 0);
      const cuts = nums.reduce<number[]>((acc, x) => [...acc, (acc.at(-1) as number) + x], [0]);
      const seq = cuts.map((x) => (x === 0 ? '0' : x === den ? '1' : `${x}/${den}`)).join(',');
      const whole = rampingVusRawSteps(c, ExecutionTuple.of(), false);
      const parts = cuts.slice(0, -1).map((from, i) => {
        const seg = `${from === 0 ? '0' : `${from}/${den}`}:${cuts[i + 1] === den ? '1' : `${cuts[i + 1]}/${den}`}`;
        return rampingVusRawSteps(c, tupleOf(seg, seq), false);
      });
      const at = (steps: { offsetMs: number; plannedVUs: number }[], t: number): number =>
        steps.filter((s) => s.offsetMs <= t).at(-1)?.plannedVUs ?? 0;
      for (const step of whole) {
        expect(parts.reduce((sum, p) => sum + at(p, step.offsetMs), 0)).toBe(step.plannedVUs);
      }
    }
  });
});
