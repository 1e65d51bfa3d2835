import { describe, expect, it } from 'vitest';
import { buildExecutionPlan } from './execution-plan.ts';
import { ExecutionTuple, parseExecutionSegment, parseExecutionSegmentSequence } from './execution-segment.ts';
import { parseScenarios } from './scenario-config.ts';

function plan(scenarios: Record<string, unknown>, tuple?: ExecutionTuple): ReturnType<typeof buildExecutionPlan> {
  const parsed = parseScenarios(scenarios);
  expect(parsed.problems).toEqual([]);
  return buildExecutionPlan(parsed.scenarios, tuple);
}

describe('buildExecutionPlan', () => {
  it("carries the execution segment's share of the test (k6 FloatLength, the banner's percentage)", () => {
    const scenarios = {
      shared_iters1: { executor: 'shared-iterations', vus: 3, iterations: 3 },
      shared_iters2: { executor: 'shared-iterations', vus: 4, iterations: 4 },
      constant_arr_rate: { executor: 'constant-arrival-rate', rate: 3, timeUnit: '1s', duration: '20s', preAllocatedVUs: 4, maxVUs: 4 },
    };
    expect(plan(scenarios).segmentLength).toBe(1);
    const quarter = plan(scenarios, ExecutionTuple.of(parseExecutionSegment('3/4:1'), parseExecutionSegmentSequence('0,1/4,2/4,3/4,1')));
    expect(quarter.segmentLength).toBe(0.25);
    expect(quarter.maxVUs).toBe(2);
  });

  it('counts the VUs of scenarios with options.browser.type as browser VUs, at their peak together', () => {
    const p = plan({
      ui: { executor: 'constant-vus', vus: 2, duration: '30s', options: { browser: { type: 'chromium' } } },
      later_ui: { executor: 'constant-vus', vus: 4, duration: '30s', startTime: '1m', options: { browser: { type: 'chromium' } } },
      api: { executor: 'constant-vus', vus: 10, duration: '2m' },
    });
    expect(p.maxVUs).toBe(14);
    expect(p.maxBrowserVUs).toBe(4);
    expect(plan({ api: { executor: 'constant-vus', vus: 10, duration: '2m' } }).maxBrowserVUs).toBe(0);
  });

  it('default 1×1 per-vu-iterations: 1 VU, 10m30s', () => {
    const p = plan({ default: { executor: 'per-vu-iterations' } });
    expect(p.maxVUs).toBe(1);
    expect(p.totalDurationMs).toBe(630_000);
    expect(p.scenarios[0]?.description).toBe('1 iterations for each of 1 VUs (maxDuration: 10m0s, gracefulStop: 30s)');
  });
  it('10 VUs for 30s: 10 VUs, 1m0s', () => {
    const p = plan({ default: { executor: 'constant-vus', vus: 10, duration: '30s' } });
    expect([p.maxVUs, p.maxPlannedVUs, p.totalDurationMs]).toEqual([10, 10, 60_000]);
  });
  it('back-to-back scenarios overlap during the graceful window', () => {
    const p = plan({
      b: { executor: 'constant-vus', vus: 20, duration: '30s', startTime: '30s' },
      a: { executor: 'constant-vus', vus: 10, duration: '30s' },
    });
    expect(p.maxVUs).toBe(30);
    expect(p.totalDurationMs).toBe(90_000);
    expect(p.scenarios.map((s) => [s.name, s.startTimeMs, s.endOffsetMs])).toEqual([
      ['a', 0, 60_000],
      ['b', 30_000, 90_000],
    ]);
    expect(p.steps).toEqual([
      { offsetMs: 0, plannedVUs: 10, maxUnplannedVUs: 0 },
      { offsetMs: 30_000, plannedVUs: 30, maxUnplannedVUs: 0 },
      { offsetMs: 60_000, plannedVUs: 20, maxUnplannedVUs: 0 },
      { offsetMs: 90_000, plannedVUs: 0, maxUnplannedVUs: 0 },
    ]);
  });
  it('without graceful windows, sequential scenarios do not add up', () => {
    const p = plan({
      a: { executor: 'constant-vus', vus: 10, duration: '30s', gracefulStop: 0 },
      b: { executor: 'constant-vus', vus: 20, duration: '30s', startTime: '30s', gracefulStop: 0 },
    });
    expect(p.maxVUs).toBe(20);
  });
  it('arrival-rate executors count unplanned VUs in maxVUs but not in maxPlannedVUs', () => {
    const p = plan({
      car: { executor: 'constant-arrival-rate', rate: 10, duration: '1m', preAllocatedVUs: 5, maxVUs: 50 },
      rar: { executor: 'ramping-arrival-rate', stages: [{ duration: '2m', target: 10 }], preAllocatedVUs: 2 },
    });
    expect([p.maxVUs, p.maxPlannedVUs, p.totalDurationMs]).toEqual([52, 7, 150_000]);
    expect(p.scenarios[0]?.description).toBe('10.00 iterations/s for 1m0s (maxVUs: 5-50, gracefulStop: 30s)');
  });
  it('unplanned VUs of a later scenario reuse the VUs of an earlier one (k6 GetMaxPossibleVUs: 20, not 30)', () => {
    const p = plan({
      a: { executor: 'constant-vus', vus: 20, duration: '30s', gracefulStop: '0s' },
      b: { executor: 'constant-arrival-rate', rate: 1, duration: '30s', preAllocatedVUs: 10, maxVUs: 20, startTime: '30s' },
    });
    expect([p.maxVUs, p.maxPlannedVUs, p.totalDurationMs]).toEqual([20, 20, 90_000]);
  });
  it('per-worker plans add up to the whole plan', () => {
    const scenarios = {
      a: { executor: 'shared-iterations', vus: 7, iterations: 100 },
      b: { executor: 'constant-arrival-rate', rate: 10, duration: '1m', preAllocatedVUs: 5, maxVUs: 11 },
    };
    const whole = plan(scenarios);
    const parts = [0, 1, 2, 3].map((i) => plan(scenarios, ExecutionTuple.forWorker(i, 4)));
    expect(parts.reduce((s, p) => s + p.maxVUs, 0)).toBe(whole.maxVUs);
    expect(parts.reduce((s, p) => s + p.maxPlannedVUs, 0)).toBe(whole.maxPlannedVUs);
  });
});
