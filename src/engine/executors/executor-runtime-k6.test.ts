// k6's executor run tests (lib/executor/*_test.go, run under Go's synctest) ported onto a virtual clock:
// the same configs and iteration behaviours, with k6's numbers asserted exactly.
import { describe, expect, it } from 'vitest';
import { ExecutionTuple, parseExecutionSegment, parseExecutionSegmentSequence } from './execution-segment.ts';
import type { ScenarioConfig } from './executor-config.ts';
import { createExecutorRuntime } from './executor-runtime.ts';
import { parseScenario } from './scenario-config.ts';
import { createVirtualContext, type IterationScript, type VirtualContext } from './virtual-executor-context.ts';
import { buildExecutionPlan } from './execution-plan.ts';

/** k6's tests build configs in Go and skip validation (some use durations under 1s): `problems` may list those. */
function scenario(raw: Record<string, unknown>, problems: string[] = []): ScenarioConfig {
  const parsed = parseScenario('s', raw, 'scenarios.s');
  expect(parsed.problems).toEqual(problems);
  const { config } = parsed;
  return config as ScenarioConfig;
}

function tupleOf(seg?: string, seq?: string): ExecutionTuple {
  return ExecutionTuple.of(seg ? parseExecutionSegment(seg) : undefined, seq ? parseExecutionSegmentSequence(seq) : undefined);
}

/** Runs one scenario to its end on virtual time, with the VUs its plan pre-initialises. */
async function run(
  raw: Record<string, unknown>,
  iteration: IterationScript,
  opts: {
    tuple?: ExecutionTuple;
    unplannedInitMs?: number;
    uninterruptible?: boolean;
    problems?: string[];
  } = {},
): Promise<VirtualContext> {
  const config = scenario(raw, opts.problems);
  const tuple = opts.tuple ?? ExecutionTuple.of();
  const plan = buildExecutionPlan([config], tuple);
  const ctx = createVirtualContext({
    plannedVus: plan.maxPlannedVUs,
    iteration,
    unplannedInitMs: opts.unplannedInitMs,
    uninterruptible: opts.uninterruptible,
  });
  const rt = createExecutorRuntime(config, tuple);
  await ctx.clock.drive(rt.run(ctx));
  expect(ctx.stats.outstanding).toBe(0);
  expect(ctx.stats.active).toBe(0);
  return ctx;
}

const full = (ctx: VirtualContext): number => ctx.iterations.filter((i) => i.outcome === 'full').length;
const perVu = (ctx: VirtualContext, outcome?: string): Map<number, number> => {
  const m = new Map<number, number>();
  for (const i of ctx.iterations) if (outcome === undefined || i.outcome === outcome) m.set(i.vu, (m.get(i.vu) ?? 0) + 1);
  return m;
};
const forever = Infinity;
const under1s = ['the duration must be at least 1s, but is 950ms'];

describe('constant-vus (k6 constant_vus_test.go)', () => {
  it('TestConstantVUsRun: 10 VUs × 1s of 210 ms iterations, gracefulStop 100ms: 5 full iterations each', async () => {
    const ctx = await run({ executor: 'constant-vus', vus: 10, duration: '1s', gracefulStop: '100ms' }, () => 210);
    expect([...perVu(ctx, 'full').values()]).toEqual(Array(10).fill(5));
    expect(ctx.iterations.length).toBe(50);
  });
});

describe('per-vu-iterations (k6 per_vu_iterations_test.go)', () => {
  const config = { executor: 'per-vu-iterations', vus: 10, iterations: 100, maxDuration: '3s', gracefulStop: '1s' };
  it('TestPerVUIterationsRun: every VU runs its 100 iterations', async () => {
    const ctx = await run(config, () => 0);
    expect([...perVu(ctx, 'full').values()]).toEqual(Array(10).fill(100));
    expect(full(ctx)).toBe(1000);
  });
  it('TestPerVUIterationsRunVariableVU: a slow VU (201 ms) does 15, the others do not take over its work', async () => {
    const ctx = await run(config, (_req, vu) => (vu.id === 1 ? 201 : 0));
    const counts = perVu(ctx, 'full');
    expect(counts.get(1)).toBe(15);
    for (let id = 2; id <= 10; id++) expect(counts.get(id)).toBe(100);
    expect(full(ctx)).toBe(915);
  });
  it('TestPerVuIterationsEmitDroppedIterations: 5 VUs blocked until maxDuration drop the other 95 of 100', async () => {
    const ctx = await run({ executor: 'per-vu-iterations', vus: 5, iterations: 20, maxDuration: '1s', gracefulStop: '0s' }, () => forever);
    expect(ctx.iterations.length).toBe(5);
    expect(ctx.droppedTotal()).toBe(95);
    expect(ctx.dropped.map((d) => [d.vuId, d.count]).sort()).toEqual([[1, 19], [2, 19], [3, 19], [4, 19], [5, 19]]);
    expect(ctx.warnings).toEqual([]);
  });
});

describe('shared-iterations (k6 shared_iterations_test.go)', () => {
  const config = { executor: 'shared-iterations', vus: 10, iterations: 100, maxDuration: '5s', gracefulStop: '0s' };
  it('TestSharedIterationsRun: 100 iterations in all', async () => {
    const ctx = await run(config, () => 0);
    expect(full(ctx)).toBe(100);
  });
  it('TestSharedIterationsRunVariableVU: the others pick up the work of a slow VU, which does 2', async () => {
    let slow: number | undefined;
    const ctx = await run(config, (_req, vu) => {
      const wasSlow = slow;
      slow ??= vu.id;
      return wasSlow === vu.id ? 210 : 10;
    });
    expect(perVu(ctx, 'full').get(slow as number)).toBe(2);
    expect(full(ctx)).toBe(100);
  });
  it('TestSharedIterationsEmitDroppedIterations: 5 VUs blocked until maxDuration: 95 of 100 dropped', async () => {
    const ctx = await run({ executor: 'shared-iterations', vus: 5, iterations: 100, maxDuration: '1s', gracefulStop: '0s' }, () => forever);
    expect(ctx.iterations.length).toBe(5);
    expect(ctx.dropped).toEqual([{ count: 95, vuId: undefined }]);
    expect(ctx.warnings).toEqual([]);
  });
  it.each([
    ['0:1/4', [1, 6, 11, 16, 21, 26, 31, 36, 41, 46]],
    ['1/4:3/4', [0, 2, 4, 5, 7, 9, 10, 12, 14, 15, 17, 19, 20, 22, 24, 25, 27, 29, 30, 32, 34, 35, 37, 39, 40, 42, 44, 45, 47, 49]],
    ['3/4:1', [3, 8, 13, 18, 23, 28, 33, 38, 43, 48]],
  ])('TestSharedIterationsGlobalIters: segment %s of 0,1/4,3/4,1 sees these scenario.iterationInTest', async (seg, expected) => {
    const ctx = await run({ executor: 'shared-iterations', vus: 5, iterations: 50, maxDuration: '1s', gracefulStop: '0s' }, () => 0, {
      tuple: tupleOf(seg, '0,1/4,3/4,1'),
    });
    expect(ctx.iterations.map((i) => i.req.iterationInTest).sort((a, b) => a - b)).toEqual(expected);
  });
});

describe('constant-arrival-rate (k6 constant_arrival_rate_test.go)', () => {
  const config = { executor: 'constant-arrival-rate', rate: 50, timeUnit: '1s', duration: '5s', preAllocatedVUs: 10, maxVUs: 20, gracefulStop: '1s' };
  it('TestConstantArrivalRateRunNotEnoughAllocatedVUsWarn: 1 s iterations at 50/s exhaust 20 VUs and warn', async () => {
    const ctx = await run(config, () => 1000);
    expect(ctx.warnings).toEqual(['Insufficient VUs, reached 20 active VUs and cannot initialize more']);
    expect(ctx.vusInitialised()).toBe(20);
  });
  it('TestConstantArrivalRateRunCorrectRate: 50 iterations in each second, 250 in all, no warning', async () => {
    const ctx = await run(config, () => 0);
    const perSecond = [0, 1, 2, 3, 4].map((s) => ctx.iterations.filter((i) => i.startedAt >= s * 1000 && i.startedAt < (s + 1) * 1000).length);
    expect(perSecond).toEqual([50, 50, 50, 50, 50]);
    expect(ctx.warnings).toEqual([]);
    expect(ctx.droppedTotal()).toBe(0);
  });
  it.each([
    ['0:1/3', '', 20, [40, 60, 60, 60, 60, 60, 60]],
    ['1/3:2/3', '', 20, [60, 60, 60, 60, 60, 60, 40]],
    ['2/3:1', '', 20, [40, 60, 60, 60, 60, 60, 60]],
    ['1/6:3/6', '', 20, [40, 80, 40, 80, 40, 80, 40]],
    ['1/6:3/6', '1/6,3/6', 20, [40, 80, 40, 80, 40, 80, 40]],
    ['0:1/3', '0,1/3,2/3,1', 0, [60, 60, 60, 60, 60, 60, 40]],
    ['1/3:2/3', '0,1/3,2/3,1', 20, [60, 60, 60, 60, 60, 60, 40]],
    ['2/3:1', '0,1/3,2/3,1', 40, [60, 60, 60, 60, 60, 100]],
  ])('TestConstantArrivalRateRunCorrectTiming: segment %s of "%s" starts at %d ms, then steps %j', async (seg, seq, start, steps) => {
    const ctx = await run({ ...config, duration: '2s' }, () => 0, { tuple: tupleOf(seg, seq || undefined) });
    const expected: number[] = [start];
    for (let k = 0; expected.length < ctx.iterations.length; k++) expected.push((expected.at(-1) as number) + (steps[k % steps.length] as number));
    expect(ctx.iterations.map((i) => i.startedAt)).toEqual(expected);
    // k6 also checks the count after each second: about rate × the segment's share of maxVUs.
    expect(ctx.iterations.length).toBeGreaterThanOrEqual(30);
    expect(ctx.warnings).toEqual([]);
  });
  it('TestConstantArrivalRateDroppedIterations: 5 blocked VUs at 10/s for 950ms: 5 started, 5 dropped, one warning', async () => {
    const ctx = await run(
      { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '950ms', preAllocatedVUs: 5, maxVUs: 5, gracefulStop: '0s' },
      () => forever,
      { problems: under1s },
    );
    expect(ctx.iterations.length).toBe(5);
    expect(ctx.droppedTotal()).toBe(5);
    expect(ctx.warnings).toEqual(['Insufficient VUs, reached 5 active VUs and cannot initialize more']);
  });
  it.each([
    ['0:1/4', [1, 6, 11, 16, 21]],
    ['1/4:3/4', [0, 2, 4, 5, 7, 9, 10, 12, 14, 15, 17, 19, 20]],
    ['3/4:1', [3, 8, 13, 18]],
  ])('TestConstantArrivalRateGlobalIters: segment %s of 0,1/4,3/4,1 sees %j in this order', async (seg, expected) => {
    const ctx = await run(
      { executor: 'constant-arrival-rate', rate: 20, timeUnit: '950ms', duration: '1s', preAllocatedVUs: 5, maxVUs: 5, gracefulStop: '100ms' },
      () => 0,
      { tuple: tupleOf(seg, '0,1/4,3/4,1') },
    );
    expect(ctx.iterations.map((i) => i.req.iterationInTest)).toEqual(expected);
  });
  it('TestConstantArrivalRateActiveVUs: each started iteration counts one more active VU, 5 to 10 in all', async () => {
    const ctx = await run(
      { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '950ms', preAllocatedVUs: 5, maxVUs: 10, gracefulStop: '0s' },
      () => forever,
      { problems: under1s },
    );
    expect(ctx.iterations.map((i) => i.activeAtStart)).toEqual(ctx.iterations.map((_, k) => k + 1));
    expect(ctx.iterations.length).toBeGreaterThanOrEqual(5);
    expect(ctx.iterations.length).toBeLessThanOrEqual(10);
  });
});

describe('arrival-rate: when the scenario ends (k6 constant_arrival_rate.go / ramping_arrival_rate.go Run)', () => {
  it('constant-arrival-rate runs to the end of its duration when the next tick falls after it, its bar at 100%', async () => {
    const config = scenario({ executor: 'constant-arrival-rate', rate: 1, timeUnit: '2s', duration: '3s', preAllocatedVUs: 1 });
    const ctx = createVirtualContext({ plannedVus: 1, iteration: () => 0 });
    const rt = createExecutorRuntime(config, ExecutionTuple.of());
    await ctx.clock.drive(rt.run(ctx));
    expect(ctx.iterations.map((i) => i.startedAt)).toEqual([0, 2000]);
    expect(ctx.clock.elapsed()).toBe(3000);
    expect(rt.progress().fraction).toBe(1);
  });
  it('ramping-arrival-rate returns once its last iteration started (k6 closes the schedule channel), its bar short of 100%', async () => {
    const config = scenario({ executor: 'ramping-arrival-rate', startRate: 1, timeUnit: '2s', stages: [{ duration: '3s', target: 1 }], preAllocatedVUs: 1 });
    const ctx = createVirtualContext({ plannedVus: 1, iteration: () => 0 });
    const rt = createExecutorRuntime(config, ExecutionTuple.of());
    await ctx.clock.drive(rt.run(ctx));
    expect(ctx.iterations.map((i) => i.startedAt)).toEqual([2000]);
    expect(ctx.clock.elapsed()).toBe(2000);
    expect(rt.progress().fraction).toBeCloseTo(2 / 3);
  });
});

describe('ramping-arrival-rate (k6 ramping_arrival_rate_test.go)', () => {
  const config = {
    executor: 'ramping-arrival-rate',
    timeUnit: '1s',
    startRate: 10,
    stages: [{ duration: '1s', target: 10 }, { duration: '1s', target: 50 }, { duration: '1s', target: 50 }],
    preAllocatedVUs: 10,
    maxVUs: 20,
    gracefulStop: '1s',
  };
  it('TestRampingArrivalRateRunNotEnoughAllocatedVUsWarn: 1 s iterations exhaust 20 VUs and warn', async () => {
    const ctx = await run(config, () => 1000);
    expect(ctx.warnings).toEqual(['Insufficient VUs, reached 20 active VUs and cannot initialize more']);
  });
  it('TestRampingArrivalRateRunCorrectRate: about 10, 30 and 50 iterations in the three seconds', async () => {
    const ctx = await run(config, () => 0);
    const perSecond = [0, 1, 2].map((s) => ctx.iterations.filter((i) => i.startedAt >= s * 1000 && i.startedAt < (s + 1) * 1000).length);
    expect(Math.abs((perSecond[0] as number) - 10)).toBeLessThanOrEqual(1);
    expect(Math.abs((perSecond[1] as number) - 30)).toBeLessThanOrEqual(2);
    expect(Math.abs((perSecond[2] as number) - 50)).toBeLessThanOrEqual(3);
    expect(ctx.warnings).toEqual([]);
  });
  it('TestRampingArrivalRateRunUnplannedVUs: one unplanned VU at a time; started + dropped = the 9 due', async () => {
    const ctx = await run(
      { executor: 'ramping-arrival-rate', timeUnit: '1s', stages: [{ duration: '1999999999ns', target: 10 }], preAllocatedVUs: 1, maxVUs: 3 },
      (req) => (req.iterationInTest === 0 ? 762 : req.iterationInTest === 1 ? 280 : 0),
      { unplannedInitMs: 1000 },
    );
    expect(ctx.iterations.length + ctx.droppedTotal()).toBe(9);
    expect(ctx.vusInitialised()).toBe(2);
    expect(ctx.warnings).toEqual([]);
  });
  it('TestRampingArrivalRateRunCorrectRateWithSlowRate: a slow first iteration costs one drop and one unplanned VU', async () => {
    const ctx = await run(
      { executor: 'ramping-arrival-rate', timeUnit: '1s', stages: [{ duration: '2s', target: 10 }], preAllocatedVUs: 1, maxVUs: 3 },
      (req) => (req.iterationInTest === 0 ? 462 : 0),
      { unplannedInitMs: 400 },
    );
    expect(ctx.vusInitialised()).toBe(2);
    expect(ctx.droppedTotal()).toBe(1);
    // 10 are due in 2 s; the 10th falls on the end of the stage and is not started.
    expect(ctx.iterations.length).toBe(8);
  });
  it('TestRampingArrivalRateRunGracefulStop: 5 s iterations on 10 VUs all finish within gracefulStop', async () => {
    const ctx = await run(
      {
        executor: 'ramping-arrival-rate',
        timeUnit: '1s',
        startRate: 10,
        stages: [{ duration: '2s', target: 10 }],
        preAllocatedVUs: 10,
        maxVUs: 10,
        gracefulStop: '5s',
      },
      () => 5000,
    );
    expect(full(ctx)).toBe(10);
    expect(ctx.vusInitialised()).toBe(10);
  });
  it.each([
    ['0:1/4', [1, 6, 11, 16]],
    ['1/4:3/4', [0, 2, 4, 5, 7, 9, 10, 12, 14, 15, 17, 19, 20]],
    ['3/4:1', [3, 8, 13, 18]],
  ])('TestRampingArrivalRateGlobalIters: segment %s of 0,1/4,3/4,1 sees %j in this order', async (seg, expected) => {
    const ctx = await run(
      {
        executor: 'ramping-arrival-rate',
        timeUnit: '950ms',
        startRate: 0,
        stages: [{ duration: '1s', target: 20 }, { duration: '1s', target: 0 }],
        preAllocatedVUs: 4,
        maxVUs: 5,
        gracefulStop: '100ms',
      },
      () => 0,
      { tuple: tupleOf(seg, '0,1/4,3/4,1') },
    );
    expect(ctx.iterations.map((i) => i.req.iterationInTest)).toEqual(expected);
  });
  it('TestRampingArrivalRateCornerCase: a segment whose share of maxVUs is 0 has no work', async () => {
    const tuple = tupleOf('1/5:2/5', '0,1/5,2/5,1');
    const raw = { executor: 'ramping-arrival-rate', timeUnit: '1s', startRate: 1, stages: [{ duration: '1s', target: 1 }], maxVUs: 2 };
    const problems = ["the number of preAllocatedVUs isn't specified"];
    expect(buildExecutionPlan([scenario(raw, problems)], tuple).maxVUs).toBe(0);
    const ctx = await run(raw, () => 0, { tuple, problems });
    expect(ctx.iterations).toEqual([]);
    expect(ctx.dropped).toEqual([]);
  });
  it('TestRampingArrivalRateActiveVUs: each started iteration counts one more active VU, 5 to 10 in all', async () => {
    const ctx = await run(
      {
        executor: 'ramping-arrival-rate',
        timeUnit: '1s',
        startRate: 10,
        stages: [{ duration: '950ms', target: 20 }],
        preAllocatedVUs: 5,
        maxVUs: 10,
        gracefulStop: '0s',
      },
      () => forever,
    );
    expect(ctx.iterations.map((i) => i.activeAtStart)).toEqual(ctx.iterations.map((_, k) => k + 1));
    expect(ctx.iterations.length).toBeGreaterThanOrEqual(5);
    expect(ctx.iterations.length).toBeLessThanOrEqual(10);
  });
});

describe('ramping-vus (k6 ramping_vus_test.go)', () => {
  it('TestRampingVUsRun: 5 VUs, then 3, then none; 29 iterations of 300 ms started', async () => {
    const ctx = await run(
      {
        executor: 'ramping-vus',
        startVUs: 5,
        stages: [{ duration: '1s', target: 5 }, { duration: '0s', target: 3 }, { duration: '1s', target: 3 }],
        gracefulStop: '0s',
        gracefulRampDown: '0s',
      },
      () => 300,
    );
    expect([ctx.activeAt(500), ctx.activeAt(1500), ctx.activeAt(2400)]).toEqual([5, 3, 0]);
    // k6 counts after a sleep its Go runner cannot cut short, i.e. every started iteration.
    expect(ctx.iterations.length).toBe(29);
  });
  const oneVuOneSecond = { executor: 'ramping-vus', startVUs: 1, stages: [{ duration: '1s', target: 1 }], gracefulStop: '1s' };
  it('TestRampingVUsGracefulStopWaits: an iteration ending within gracefulStop is not interrupted', async () => {
    const ctx = await run(oneVuOneSecond, (req) => (req.iterationInTest === 0 ? 1500 : forever));
    expect(ctx.iterations.map((i) => [i.startedAt, i.endedAt, i.outcome])).toEqual([[0, 1500, 'full']]);
  });
  it('TestRampingVUsGracefulStopStops: an iteration outliving duration + gracefulStop is interrupted at 2 s', async () => {
    const ctx = await run(oneVuOneSecond, () => 2500);
    expect(ctx.iterations.map((i) => [i.startedAt, i.endedAt, i.outcome])).toEqual([[0, 2000, 'interrupted']]);
  });
  it('TestRampingVUsGracefulRampDown: a ramped-down VU finishes its iteration, and the run ends then', async () => {
    const config = {
      executor: 'ramping-vus',
      startVUs: 2,
      stages: [{ duration: '1s', target: 2 }, { duration: '1s', target: 0 }],
      gracefulStop: '5s',
      gracefulRampDown: '5s',
    };
    const ctx = await run(config, () => 2500);
    expect(ctx.iterations.map((i) => [i.vu, i.outcome])).toEqual([[1, 'full'], [2, 'full']]);
    // k6: Run returns within 1 s of the iteration's end (2.5 s); nothing waits for gracefulRampDown or gracefulStop.
    expect(ctx.clock.elapsed()).toBe(2500);
  });
  it('TestRampingVUsHandleRemainingVUs: of two ramped-down VUs one finishes, one is cut at the end of gracefulRampDown', async () => {
    const ctx = await run(
      {
        executor: 'ramping-vus',
        startVUs: 0,
        stages: [{ duration: '10ms', target: 2 }, { duration: '40ms', target: 0 }],
        gracefulStop: '50ms',
        gracefulRampDown: '30ms',
      },
      () => 65,
    );
    expect(ctx.iterations.map((i) => [i.vu, i.startedAt, i.endedAt, i.outcome])).toEqual([
      [1, 5, 70, 'full'],
      [2, 10, 60, 'interrupted'],
    ]);
  });
  it('grafana/k6#2237: the VU a ramp adds at the very end of the last stage is stopped before its first iteration', async () => {
    // A ramp from 1 to 2 VUs over 3 s plans the second VU at 3 s, the same instant as the final stop to 0:
    // k6 starts it and stops it at once, so only VU 1 iterates (at 0, 1 and 2 s).
    const ctx = await run({ executor: 'ramping-vus', startVUs: 1, stages: [{ duration: '3s', target: 2 }] }, () => 1000);
    expect(ctx.iterations.map((i) => [i.vu, i.startedAt])).toEqual([[1, 0], [1, 1000], [1, 2000]]);
  });
  it('TestRampingVUsRampDownNoWobble: during the ramp-down the VU count only goes down, one at a time', async () => {
    const ctx = await run(
      {
        executor: 'ramping-vus',
        startVUs: 0,
        stages: [{ duration: '3s', target: 10 }, { duration: '2s', target: 0 }],
        gracefulStop: '0s',
        gracefulRampDown: '1s',
      },
      () => 500,
      // k6's iterations here are Go sleeps that outlive the hard stop at 5 s: VU 2 ends at 5.1 s, VU 1 at 5.3 s.
      { uninterruptible: true },
    );
    expect(ctx.activeAt(100)).toBe(0);
    expect(ctx.activeAt(3100)).toBe(10);
    const changes: number[] = [];
    for (let t = 3100; t <= 6000; t += 50) if (changes.at(-1) !== ctx.activeAt(t)) changes.push(ctx.activeAt(t));
    expect(changes).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });
});

// k6 TestVUHandleSimple (vu_handle_test.go) drives one VU handle directly; here the same start/stop
// sequences come from ramping-vus stages, with k6's 1 s iterations.
describe('ramping-vus VU handles (k6 TestVUHandleSimple)', () => {
  const counts = (ctx: VirtualContext): number[] => [
    ctx.stats.acquired,
    ctx.stats.released,
    ctx.iterations.filter((i) => i.outcome === 'interrupted').length,
    full(ctx),
  ];
  const ramp = (stages: [string, number][], gracefulRampDown = '30s'): Record<string, unknown> => ({
    executor: 'ramping-vus',
    startVUs: 1,
    stages: stages.map(([duration, target]) => ({ duration, target })),
    gracefulRampDown,
    gracefulStop: '0s',
  });
  it('start before gracefulStop finishes: the VU keeps its iteration and is not handed back', async () => {
    const ctx = await run(ramp([['50ms', 1], ['0s', 0], ['0s', 1], ['1500ms', 1]]), () => 1000);
    // [VUs acquired, VUs released, interrupted iterations, full iterations]
    expect(counts(ctx)).toEqual([1, 1, 1, 1]);
  });
  it('start after gracefulStop finishes: the iteration ends in full, the VU is handed back, then taken again', async () => {
    const ctx = await run(ramp([['50ms', 1], ['0s', 0], ['1500ms', 0], ['0s', 1], ['1500ms', 1]]), () => 1000);
    expect(counts(ctx)).toEqual([2, 2, 1, 2]);
    expect(ctx.iterations.map((i) => [i.startedAt, i.outcome])).toEqual([[0, 'full'], [1550, 'full'], [2550, 'interrupted']]);
  });
  it('start after hardStop: the iteration is interrupted at once, the VU handed back, then taken again', async () => {
    const ctx = await run(ramp([['5ms', 1], ['0s', 0], ['15ms', 0], ['0s', 1], ['1500ms', 1]], '0s'), () => 1000);
    expect(counts(ctx)).toEqual([2, 2, 2, 1]);
    expect(ctx.iterations.map((i) => [i.startedAt, i.endedAt, i.outcome])).toEqual([
      [0, 5, 'interrupted'], [20, 1020, 'full'], [1020, 1520, 'interrupted'],
    ]);
  });
});
