import { describe, expect, it } from 'vitest';
import { ExecutionTuple, parseExecutionSegment } from './execution-segment.ts';
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
