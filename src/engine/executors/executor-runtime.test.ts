import { describe, expect, it } from 'vitest';
import { ExecutionTuple } from './execution-segment.ts';
import type { ScenarioConfig } from './executor-config.ts';
import { ArrivalRateHandOff, createHandOffBuffer, handOffShares } from './arrival-rate-hand-off.ts';
import { createExecutorRuntime } from './executor-runtime.ts';
import { createFakeContext } from './fake-executor-context.ts';
import { parseScenario } from './scenario-config.ts';
import { SharedIterationCounter } from './shared-iteration-counter.ts';

function scenario(raw: Record<string, unknown>, name = 's'): ScenarioConfig {
  const { config, problems } = parseScenario(name, raw, `scenarios.${name}`);
  expect(problems).toEqual([]);
  return config as ScenarioConfig;
}

const full = ExecutionTuple.of();
const count = (its: { outcome?: string }[], outcome: string): number => its.filter((i) => i.outcome === outcome).length;

describe('shared-iterations runtime', () => {
  it('runs exactly the shared iterations, each global number once', async () => {
    const ctx = createFakeContext({ plannedVus: 3, iterationMs: () => 5 });
    const rt = createExecutorRuntime(scenario({ executor: 'shared-iterations', vus: 3, iterations: 10 }), full);
    await rt.run(ctx);
    expect(count(ctx.iterations, 'full')).toBe(10);
    expect(ctx.iterations.map((i) => i.req.iterationInTest).sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    expect(new Set(ctx.iterations.map((i) => i.vu)).size).toBe(3);
    expect(ctx.dropped).toEqual([]);
    expect(ctx.stats.outstanding).toBe(0);
    expect(rt.progress()).toMatchObject({ fraction: 1, iterations: 10, vus: 0 });
    expect(rt.progress().right?.[0]).toBe('3 VUs');
    expect(rt.progress().right?.[1]).toMatch(/^00m00\.\ds\/10m0s$/);
    expect(rt.progress().right?.[2]).toBe('10/10 shared iters');
  });
  it('drops what was not attempted by maxDuration, interrupting what exceeds gracefulStop', async () => {
    const ctx = createFakeContext({ plannedVus: 2, iterationMs: () => 400 });
    const rt = createExecutorRuntime(
      scenario({ executor: 'shared-iterations', vus: 2, iterations: 20, maxDuration: '1s', gracefulStop: '0s' }),
      full,
    );
    await rt.run(ctx);
    // Unloaded: 4 full, 2 interrupted at 1s (started at 800 ms), 14 dropped. Under load fewer may start.
    const attempted = ctx.iterations.length;
    expect(count(ctx.iterations, 'full')).toBeLessThanOrEqual(4);
    expect(attempted).toBeGreaterThanOrEqual(2);
    expect(attempted).toBeLessThanOrEqual(6);
    expect(ctx.dropped).toEqual([{ count: 20 - attempted, tags: { scenario: 's' }, vuId: undefined }]);
    expect(rt.progress().dropped).toBe(20 - attempted);
  });
  it('splits iterations between segments so they add up, with disjoint global numbers', async () => {
    const cfg = scenario({ executor: 'shared-iterations', vus: 5, iterations: 23 });
    const seen: number[] = [];
    let total = 0;
    for (let i = 0; i < 3; i++) {
      const ctx = createFakeContext({ plannedVus: 5, iterationMs: () => 1 });
      await createExecutorRuntime(cfg, ExecutionTuple.forWorker(i, 3)).run(ctx);
      total += count(ctx.iterations, 'full');
      seen.push(...ctx.iterations.map((it) => it.req.iterationInTest));
    }
    expect(total).toBe(23);
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(23).keys()]);
  });
});

describe('per-vu-iterations runtime', () => {
  it('gives every VU its quota', async () => {
    const ctx = createFakeContext({ plannedVus: 2, iterationMs: () => 2 });
    await createExecutorRuntime(scenario({ executor: 'per-vu-iterations', vus: 2, iterations: 3 }), full).run(ctx);
    expect(ctx.iterations.filter((i) => i.vu === 1).length).toBe(3);
    expect(ctx.iterations.filter((i) => i.vu === 2).length).toBe(3);
  });
  it('drops each VU’s remaining quota at maxDuration, tagged with the VU', async () => {
    const ctx = createFakeContext({ plannedVus: 2, iterationMs: () => 400 });
    await createExecutorRuntime(
      scenario({ executor: 'per-vu-iterations', vus: 2, iterations: 5, maxDuration: '1s', gracefulStop: '1s' }),
      full,
    ).run(ctx);
    expect(count(ctx.iterations, 'full')).toBe(6);
    expect(ctx.dropped.sort((a, b) => (a.vuId ?? 0) - (b.vuId ?? 0))).toEqual([
      { count: 2, tags: { scenario: 's' }, vuId: 1 },
      { count: 2, tags: { scenario: 's' }, vuId: 2 },
    ]);
  });
});

describe('constant-vus runtime', () => {
  it('loops back to back for the duration and lets the last iterations finish within gracefulStop', async () => {
    const ctx = createFakeContext({ plannedVus: 2, iterationMs: () => 100 });
    await createExecutorRuntime(scenario({ executor: 'constant-vus', vus: 2, duration: '1s', gracefulStop: '1s' }), full).run(ctx);
    const n = count(ctx.iterations, 'full');
    expect(n).toBeGreaterThanOrEqual(6);
    expect(n).toBeLessThanOrEqual(20);
    expect(count(ctx.iterations, 'interrupted')).toBe(0);
    expect(Math.max(...ctx.iterations.map((i) => i.startedAt))).toBeLessThan(1000);
    expect(ctx.stats.peakActive).toBe(2);
    expect(ctx.stats.active).toBe(0);
  });
  it('interrupts iterations that outlive duration + gracefulStop', async () => {
    const ctx = createFakeContext({ plannedVus: 2, iterationMs: () => 60_000 });
    const t0 = performance.now();
    await createExecutorRuntime(scenario({ executor: 'constant-vus', vus: 2, duration: '1s', gracefulStop: '200ms' }), full).run(ctx);
    const elapsed = performance.now() - t0;
    expect(count(ctx.iterations, 'interrupted')).toBe(2);
    expect(count(ctx.iterations, 'full')).toBe(0);
    expect(elapsed).toBeGreaterThanOrEqual(1190);
    expect(elapsed).toBeLessThan(5000);
  });
  it('waits for startTime and stops at once when the test is aborted', async () => {
    const ctx = createFakeContext({ plannedVus: 1, iterationMs: () => 50 });
    const rt = createExecutorRuntime(scenario({ executor: 'constant-vus', vus: 1, duration: '30s', startTime: '300ms' }), full);
    setTimeout(() => ctx.abort(), 600);
    const t0 = performance.now();
    await rt.run(ctx);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(ctx.iterations[0]?.startedAt).toBeGreaterThanOrEqual(295);
    expect(ctx.iterations.at(-1)?.outcome).toBe('interrupted');
    expect(ctx.stats.outstanding).toBe(0);
  });
});

describe.concurrent('ramping-vus runtime', () => {
  it('follows the stages and hands back every VU', async () => {
    const ctx = createFakeContext({ plannedVus: 4, iterationMs: () => 20 });
    await createExecutorRuntime(
      scenario({ executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '500ms', target: 4 }, { duration: '500ms', target: 0 }], gracefulRampDown: '0s' }),
      full,
    ).run(ctx);
    // VU k (1..4) joins at k·125 ms; timers never fire early, so these are lower bounds.
    const joins = ctx.timeline.filter(([, active], i) => active > (ctx.timeline[i - 1]?.[1] ?? 0));
    const firstTimeAt = (n: number): number | undefined => joins.find(([, active]) => active === n)?.[0];
    expect(firstTimeAt(1)).toBeGreaterThanOrEqual(124);
    expect(firstTimeAt(4)).toBeGreaterThanOrEqual(499);
    expect(ctx.stats.peakActive).toBe(4);
    expect(ctx.stats.active).toBe(0);
    expect(ctx.stats.outstanding).toBe(0);
    expect(count(ctx.iterations, 'full')).toBeGreaterThan(10);
  });
  it('lets a ramped-down VU finish its iteration within gracefulRampDown', async () => {
    const ctx = createFakeContext({ plannedVus: 2, iterationMs: (_req, vu) => (vu.id === 2 ? 600 : 50) });
    await createExecutorRuntime(
      scenario({
        executor: 'ramping-vus',
        startVUs: 2,
        stages: [{ duration: '200ms', target: 2 }, { duration: '0s', target: 1 }, { duration: '800ms', target: 1 }],
        gracefulRampDown: '1s',
        gracefulStop: '0s',
      }),
      full,
    ).run(ctx);
    const vu2 = ctx.iterations.filter((i) => i.vu === 2);
    expect(vu2.length).toBe(1);
    expect(vu2[0]?.outcome).toBe('full');
  });
});

describe.concurrent('arrival-rate runtimes', () => {
  it('constant-arrival-rate starts rate×duration iterations on schedule', async () => {
    const ctx = createFakeContext({ plannedVus: 2, iterationMs: () => 5 });
    const rt = createExecutorRuntime(scenario({ executor: 'constant-arrival-rate', rate: 50, duration: '1s', preAllocatedVUs: 2 }), full);
    await rt.run(ctx);
    expect(rt.progress().right?.[0]).toBe('0/2 VUs');
    expect(rt.progress().right?.[2]).toBe('50.00 iters/s');
    const n = count(ctx.iterations, 'full');
    // Unloaded this is 50 started and none dropped; a busy machine may lose a few at the very end.
    const dropped = ctx.dropped.reduce((s, d) => s + d.count, 0);
    expect(n + dropped).toBeGreaterThanOrEqual(45);
    expect(n + dropped).toBeLessThanOrEqual(50);
    // A stalled event loop (other processes on the cores) can leave both VUs busy at a slot: a few drops.
    expect(n).toBeGreaterThanOrEqual(30);
    // Absolute schedule: no iteration starts before its slot k·20 ms.
    const early = ctx.iterations.filter((it, k) => it.startedAt < k * 20 - 1);
    expect(early).toEqual([]);
  });
  it('drops iterations when no VU is free and grows up to maxVUs', async () => {
    const ctx = createFakeContext({ plannedVus: 1, iterationMs: () => 450, unplannedInitMs: 10 });
    await createExecutorRuntime(
      scenario({ executor: 'constant-arrival-rate', rate: 20, duration: '1s', preAllocatedVUs: 1, maxVUs: 3, gracefulStop: '1s' }),
      full,
    ).run(ctx);
    const started = ctx.iterations.length;
    const dropped = ctx.dropped.reduce((s, d) => s + d.count, 0);
    expect(started + dropped).toBeGreaterThanOrEqual(17);
    expect(started + dropped).toBeLessThanOrEqual(20);
    expect(ctx.stats.unplanned).toBe(2);
    expect(ctx.warnings).toEqual(['Insufficient VUs, reached 3 active VUs and cannot initialize more']);
    expect(started).toBeGreaterThanOrEqual(3);
    expect(started).toBeLessThanOrEqual(7);
    expect(dropped).toBeGreaterThan(8);
    expect(ctx.stats.outstanding).toBe(0);
  });
  it('ramping-arrival-rate starts the area under the rate curve', async () => {
    const ctx = createFakeContext({ plannedVus: 3, iterationMs: () => 2 });
    await createExecutorRuntime(
      scenario({ executor: 'ramping-arrival-rate', startRate: 0, stages: [{ duration: '1s', target: 40 }], preAllocatedVUs: 3 }),
      full,
    ).run(ctx);
    expect(count(ctx.iterations, 'full')).toBeGreaterThanOrEqual(17);
    expect(count(ctx.iterations, 'full')).toBeLessThanOrEqual(20);
    // The rate grows: more iterations in the second half than in the first.
    const firstHalf = ctx.iterations.filter((i) => i.startedAt < 500).length;
    expect(firstHalf).toBeLessThanOrEqual(6);
  });
  it('segments split the arrival schedule without overlap', async () => {
    const cfg = scenario({ executor: 'constant-arrival-rate', rate: 30, duration: '1s', preAllocatedVUs: 4 });
    const runs = [0, 1].map(async (i) => {
      const ctx = createFakeContext({ plannedVus: 4, iterationMs: () => 2 });
      await createExecutorRuntime(cfg, ExecutionTuple.forWorker(i, 2)).run(ctx);
      return ctx.iterations.map((it) => it.req.iterationInTest);
    });
    const [a, b] = await Promise.all(runs);
    const all = [...(a ?? []), ...(b ?? [])];
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(26);
    expect(all.length).toBeLessThanOrEqual(30);
  });
});

describe.concurrent('arrival-rate runtimes over two workers', () => {
  /** Runs `cfg` as two workers sharing one hand-off; worker i's iterations take `ms[i]`. */
  async function twoWorkers(cfg: ScenarioConfig, ms: [number, number], planned: [number, number]) {
    if (cfg.executor !== 'constant-arrival-rate' && cfg.executor !== 'ramping-arrival-rate') throw new Error('arrival-rate only');
    const tuples = [0, 1].map((i) => ExecutionTuple.forWorker(i, 2));
    const buffer = createHandOffBuffer(handOffShares(cfg, tuples));
    if (buffer === undefined) throw new Error('no hand-off');
    const testStart = performance.timeOrigin + performance.now();
    const ctxs = [0, 1].map((i) => createFakeContext({ plannedVus: planned[i] ?? 0, iterationMs: () => ms[i] ?? 0, testStart }));
    const runtimes = tuples.map((t, i) => createExecutorRuntime(cfg, t, { handOff: new ArrivalRateHandOff(buffer, i) }));
    await Promise.all(runtimes.map((rt, i) => rt.run(ctxs[i] as (typeof ctxs)[number])));
    const iterations = ctxs.flatMap((c) => c.iterations);
    return {
      ctxs,
      iterations,
      numbers: iterations.map((it) => it.req.iterationInTest).sort((a, b) => a - b),
      dropped: ctxs.reduce((n, c) => n + c.dropped.reduce((s, d) => s + d.count, 0), 0),
      endedMs: performance.timeOrigin + performance.now() - testStart,
    };
  }

  it('a worker whose VUs are all busy hands its ticks to the other worker\'s idle VUs instead of dropping them', async () => {
    const cfg = scenario({ executor: 'constant-arrival-rate', rate: 20, duration: '1s', preAllocatedVUs: 8, maxVUs: 8 });
    // Worker 0's four VUs take 900 ms: alone it would start 4 of its 10 ticks and drop 6.
    const r = await twoWorkers(cfg, [900, 20], [4, 4]);
    // A stalled event loop (other processes on the cores) may cost a tick at the very end.
    expect(r.iterations.length + r.dropped).toBeGreaterThanOrEqual(19);
    expect(r.dropped).toBeLessThanOrEqual(1);
    expect(r.ctxs[1]?.iterations.length).toBeGreaterThanOrEqual(15);
    // Every started iteration has its own number, and they are the instance's first ones.
    expect(r.numbers).toEqual([...Array(r.iterations.length).keys()]);
    expect(r.ctxs.map((c) => c.stats.outstanding)).toEqual([0, 0]);
  });

  it('drops a tick only when no VU of either worker is idle, once', async () => {
    const cfg = scenario({ executor: 'constant-arrival-rate', rate: 20, duration: '1s', preAllocatedVUs: 2, maxVUs: 2 });
    const r = await twoWorkers(cfg, [1000, 1000], [1, 1]);
    expect(r.iterations.length).toBe(2);
    expect(r.dropped).toBe(18);
    expect(r.numbers).toEqual([0, 1]);
    // The iterations end by themselves after the duration, within gracefulStop: no waiting beyond them.
    expect(r.endedMs).toBeLessThan(1600);
  });

  it('ramping-arrival-rate: a worker whose stripe ends first keeps serving the other\'s last ticks', async () => {
    // Ramping down from 20/s to 0 in 1 s: 10 ticks ever further apart, the stripes' last ones ~130 ms apart.
    const cfg = scenario({ executor: 'ramping-arrival-rate', startRate: 20, stages: [{ duration: '1s', target: 0 }], preAllocatedVUs: 8, maxVUs: 8 });
    // Either worker's VUs slow: whichever owns the last tick (its 5th) needs the other's VUs after that one's last tick.
    for (const r of await Promise.all([twoWorkers(cfg, [900, 20], [4, 4]), twoWorkers(cfg, [20, 900], [4, 4])])) {
      expect(r.dropped).toBe(0);
      expect(r.numbers).toEqual([...Array(r.iterations.length).keys()]);
      expect(r.iterations.length).toBeGreaterThanOrEqual(9);
      expect(r.endedMs).toBeLessThan(2500);
    }
  });
});

describe('VU-based runtimes over two workers', () => {
  it('number the iterations of the instance in start order, whichever worker holds the VUs (k6 BaseExecutor.nextIterationCounters)', async () => {
    // One VU over two worker threads: the first worker's segment holds none of it. Without the
    // instance's counter the second worker numbered its iterations 0, 2, 4 (its stripe of the test).
    for (const raw of [
      { executor: 'constant-vus', vus: 1, duration: '1s' },
      { executor: 'per-vu-iterations', vus: 1, iterations: 4 },
      { executor: 'ramping-vus', startVUs: 1, stages: [{ duration: '1s', target: 1 }] },
    ]) {
      const cfg = scenario(raw);
      const counter = new SharedIterationCounter();
      const numbers: number[] = [];
      for (const i of [0, 1]) {
        const ctx = createFakeContext({ plannedVus: 1, iterationMs: () => 240 });
        await createExecutorRuntime(cfg, ExecutionTuple.forWorker(i, 2), { iterations: { counter, instance: full } }).run(ctx);
        numbers.push(...ctx.iterations.map((it) => it.req.iterationInTest));
      }
      expect(numbers.length, raw.executor).toBeGreaterThanOrEqual(4);
      expect(numbers, raw.executor).toEqual([...Array(numbers.length).keys()]);
    }
  });
});
