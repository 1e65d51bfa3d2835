import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createOrchestrator } from './orchestrator.ts';
import type { Orchestrator } from './orchestrator.ts';
import type { OrchestratorConfig, OrchestratorLogger } from './orchestrator-deps.ts';
import { MemoryRunStore } from './test-support/memory-run-store.ts';

// The runner's test stand-in engine: its "script" is JSON saying how many VUs and how long.
const FAKE_ENGINE = fileURLToPath(new URL('../runner/test-support/fake-engine.ts', import.meta.url));
// Mirrors the stand-in engine's script fields (src/runner/test-support/fake-engine.ts).
interface FakeScript { vus?: number; durationMs?: number; failThreshold?: boolean; ignoreAbort?: boolean; blockMs?: number; options?: Record<string, unknown>; hitsPerVu?: number; fillDiskMb?: number; holdMemoryMb?: number }
const quiet: OrchestratorLogger = { info: () => {}, warn: () => {}, error: () => {} };

function fakeScript(s: FakeScript) {
  return { bytes: new TextEncoder().encode(JSON.stringify(s)), contentType: 'text/javascript' as const };
}

async function until(what: string, check: () => boolean, timeoutMs = 12_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let orchestrator: Orchestrator | null = null;
afterEach(async () => {
  await orchestrator?.close();
  orchestrator = null;
});

function make(store: MemoryRunStore, maxConcurrentRuns = 2, extra: Partial<OrchestratorConfig> = {}): Orchestrator {
  orchestrator = createOrchestrator({ store, log: quiet, config: { maxConcurrentRuns, engineModule: FAKE_ENGINE, abortGraceMs: 3000, ...extra } });
  return orchestrator;
}

describe('orchestrator', () => {
  it('takes a run through every status to completed, recording plan, distribution, metrics, summary and cost', async () => {
    const store = new MemoryRunStore();
    const o = make(store);
    await o.open();
    const id = store.addRun(fakeScript({ vus: 4, durationMs: 1200 }));
    await o.start(id);
    await until('run ends', () => store.run(id).ended !== null);
    const run = store.run(id);
    expect(run.statusHistory.map((s) => s.type)).toEqual(['created', 'queued', 'initializing', 'running', 'processing_metrics', 'completed']);
    expect(run.result).toBe('passed');
    expect(run.maxVus).toBe(4);
    expect(run.estimatedDuration).toBe(2);
    expect(run.distribution).toEqual([{ load_zone: 'amazon:us:ashburn', percent: 100 }]);
    expect(run.runnerDistribution).toEqual({ 'amazon:us:ashburn': { percentage: 100, nodes: [{ size: 'local-process', public_ip: '127.0.0.1' }] } });
    expect(run.k6Versions['k6']).toMatch(/^stampede-/);
    expect(run.executionDuration).toBeGreaterThanOrEqual(1);
    // 4 VUs for a run under a minute are billed as one minute: 4/60 VUh.
    expect(run.cost?.total_vuh).toBeCloseTo(4 / 60, 4);
    expect(run.thresholds).toEqual({ http_req_failed: { 'rate<0.01': false } });
    expect((store.metrics.get(id) ?? []).length).toBeGreaterThan(0);
  });

  it('marks a run whose threshold failed as completed and failed', async () => {
    const store = new MemoryRunStore();
    const o = make(store);
    await o.open();
    const id = store.addRun(fakeScript({ durationMs: 200, failThreshold: true }));
    await o.start(id);
    await until('run ends', () => store.run(id).ended !== null);
    expect(store.run(id).status).toBe('completed');
    expect(store.run(id).resultDetails).toMatchObject({ type: 'failed', message: 'Thresholds failed: http_req_failed: rate<0.01' });
  });

  // The stand-in engine never judges the thresholds of its options: whatever happens to them here is the
  // control plane's doing, on the batches it merged.
  it('aborts a run whose merged data crosses an abortOnFail threshold: code 8, failed, the runner stopped', async () => {
    const store = new MemoryRunStore();
    const o = make(store);
    await o.open();
    // 2 VUs count 20 iterations a second: past 10 within the first second.
    const options = { vus: 2, duration: '30s', thresholds: { iterations: [{ threshold: 'count<10', abortOnFail: true }] } };
    const id = store.addRun(fakeScript({ vus: 2, durationMs: 30_000, options }));
    const t0 = Date.now();
    await o.start(id);
    await until('run ends', () => store.run(id).ended !== null, 15_000);
    expect(Date.now() - t0).toBeLessThan(12_000);
    const run = store.run(id);
    expect(run.statusHistory.at(-1)).toMatchObject({ type: 'aborted', extra: { code: 8, by_user: null } });
    expect(run.statusHistory.at(-1)?.extra?.message).toContain("thresholds on metrics 'iterations' were crossed");
    expect(run.result).toBe('failed');
    expect(run.resultDetails?.message).toContain('iterations: count<10');
    expect(run.thresholds).toMatchObject({ iterations: { 'count<10': true } });
  }, 20_000);

  it('keeps a run whose thresholds hold on the merged data completed and passed', async () => {
    const store = new MemoryRunStore();
    const o = make(store);
    await o.open();
    const options = { vus: 2, duration: '1500ms', thresholds: { iterations: [{ threshold: 'count>5', abortOnFail: true }, 'count<100000'] } };
    const id = store.addRun(fakeScript({ vus: 2, durationMs: 1500, options }));
    await o.start(id);
    await until('run ends', () => store.run(id).ended !== null);
    const run = store.run(id);
    expect(run.status).toBe('completed');
    expect(run.result).toBe('passed');
    expect(run.thresholds).toMatchObject({ iterations: { 'count>5': false, 'count<100000': false } });
  });

  it('aborts a running run for its user within a second, and a queued one at once', async () => {
    const store = new MemoryRunStore();
    const o = make(store, 1);
    await o.open();
    const first = store.addRun(fakeScript({ durationMs: 60_000 }));
    const second = store.addRun(fakeScript({ durationMs: 60_000 }));
    await o.start(first);
    await o.start(second);
    await until('first running', () => store.run(first).status === 'running');
    expect(store.run(second).status).toBe('queued');
    await o.abort(second, null);
    expect(store.run(second).statusHistory.at(-1)).toMatchObject({ type: 'aborted', extra: { code: 5, by_user: null } });
    const t0 = Date.now();
    await o.abort(first, 'user@example.com');
    await until('first ends', () => store.run(first).ended !== null);
    expect(Date.now() - t0).toBeLessThan(2000);
    const run = store.run(first);
    expect(run.statusHistory.at(-1)).toMatchObject({ type: 'aborted', extra: { by_user: 'user@example.com', code: 5 } });
    expect(run.result).toBe('error');
    await expect(o.abort(first, null)).rejects.toMatchObject({ code: 'STAMPEDE_ERR_CONFLICT' });
  });

  it('ends the run aborted by the system when its runner is killed', async () => {
    const store = new MemoryRunStore();
    const o = make(store);
    await o.open();
    const id = store.addRun(fakeScript({ durationMs: 60_000 }));
    await o.start(id);
    await until('running', () => store.run(id).status === 'running');
    const pid = o.active().find((a) => a.runId === id)?.pid;
    expect(pid).toBeTypeOf('number');
    process.kill(pid as number, 'SIGKILL');
    await until('run ends', () => store.run(id).ended !== null);
    expect(store.run(id).statusHistory.at(-1)).toMatchObject({ type: 'aborted', extra: { code: 6, by_user: null } });
    expect(store.run(id).statusHistory.at(-1)?.extra?.message).toContain('SIGKILL');
  });

  it('kills a runner that ignores an abort once its grace is over', async () => {
    const store = new MemoryRunStore();
    const o = make(store, 1, { abortGraceMs: 700 });
    await o.open();
    const id = store.addRun(fakeScript({ durationMs: 60_000, ignoreAbort: true }));
    await o.start(id);
    await until('running', () => store.run(id).status === 'running');
    const t0 = Date.now();
    await o.abort(id, 'user@example.com');
    await until('run ends', () => store.run(id).ended !== null);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(650);
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(store.run(id).statusHistory.at(-1)).toMatchObject({ type: 'aborted', extra: { code: 5, by_user: 'user@example.com' } });
  });

  it('kills a runner that stops sending heartbeats and aborts its run by the system', async () => {
    const store = new MemoryRunStore();
    const o = make(store, 1, { heartbeatTimeoutMs: 1500 });
    await o.open();
    const id = store.addRun(fakeScript({ durationMs: 60_000, blockMs: 60_000 }));
    await o.start(id);
    await until('run ends', () => store.run(id).ended !== null);
    expect(store.run(id).statusHistory.at(-1)).toMatchObject({ type: 'aborted', extra: { code: 6 } });
    expect(store.run(id).statusHistory.at(-1)?.extra?.message).toContain('stopped responding');
  });

  it('kills a runner that fills its run folder or the memory past the limits, aborting its run by the system with the reason', async () => {
    // A script reaches its runner's node:fs and can allocate at will (docs/runner.md): without limits
    // it filled the machine's disk or memory; the server and other runs must outlive it.
    const store = new MemoryRunStore();
    const o = make(store, 2, { runnerDiskBytes: 8 * 1024 * 1024, runnerMemoryBytes: 400 * 1024 * 1024 });
    await o.open();
    const disk = store.addRun(fakeScript({ durationMs: 20_000, fillDiskMb: 64 }));
    const memory = store.addRun(fakeScript({ durationMs: 20_000, holdMemoryMb: 1024 }));
    await o.start(disk);
    await o.start(memory);
    await until('both end', () => store.run(disk).ended !== null && store.run(memory).ended !== null, 30_000);
    expect(store.run(disk).statusHistory.at(-1)).toMatchObject({ type: 'aborted', extra: { code: 6 } });
    expect(store.run(disk).statusHistory.at(-1)?.extra?.message).toContain('The runner wrote more than 8 MiB to its run folder');
    expect(store.run(memory).statusHistory.at(-1)).toMatchObject({ type: 'aborted', extra: { code: 6 } });
    expect(store.run(memory).statusHistory.at(-1)?.extra?.message).toContain('The runner used more than 400 MiB of memory');
    const next = store.addRun(fakeScript({ durationMs: 300 }));
    await o.start(next);
    await until('the next run ends', () => store.run(next).ended !== null);
    expect(store.run(next).status).toBe('completed');
  }, 60_000);

  it("gives a freed slot to the stack with the fewest runs executing, so one tenant's queue does not hold another's back", async () => {
    const store = new MemoryRunStore();
    const o = make(store, 1);
    await o.open();
    const b = [1, 2, 3].map(() => store.addRun(fakeScript({ durationMs: 300 }), 'created', 3));
    for (const id of b) await o.start(id);
    await until('b1 running', () => store.run(b[0] as number).status === 'running');
    const a = store.addRun(fakeScript({ durationMs: 300 }), 'created', 2);
    await o.start(a);
    await until('all end', () => [...b, a].every((id) => store.run(id).ended !== null), 40_000);
    const startedAt = (id: number) => store.run(id).statusHistory.find((s) => s.type === 'initializing')?.entered ?? '';
    // A's run, queued last, starts right after B's first: before B's second and third.
    expect([...b, a].sort((x, y) => startedAt(x).localeCompare(startedAt(y)))).toEqual([b[0], a, b[1], b[2]]);
  }, 60_000);

  it('keeps runs beyond the concurrency cap queued until a slot frees', async () => {
    const store = new MemoryRunStore();
    const o = make(store, 1);
    await o.open();
    const a = store.addRun(fakeScript({ durationMs: 800 }));
    const b = store.addRun(fakeScript({ durationMs: 200 }));
    await o.start(a);
    await o.start(b);
    await until('a running', () => store.run(a).status === 'running');
    expect(store.run(b).status).toBe('queued');
    expect(o.active().map((r) => r.runId)).toEqual([a]);
    await until('both end', () => store.run(a).ended !== null && store.run(b).ended !== null, 15_000);
    expect(store.run(b).status).toBe('completed');
    // b only left the queue after a had ended.
    const bInit = Date.parse(store.run(b).statusHistory.find((s) => s.type === 'initializing')?.entered ?? '');
    expect(bInit).toBeGreaterThanOrEqual(store.run(a).ended?.getTime() ?? Infinity);
  }, 20_000);

  it('stops a queued run aborted just as a slot frees for it, rather than marking it aborted while its runner goes on', async () => {
    const store = new MemoryRunStore();
    const o = make(store, 1);
    await o.open();
    const a = store.addRun(fakeScript({ durationMs: 300 }));
    const b = store.addRun(fakeScript({ durationMs: 60_000 }));
    await o.start(a);
    await o.start(b);
    // The abort reads b while it is queued; a ends and b is dispatched before that read comes back.
    const read = store.testRuns.getById;
    let stall = true;
    store.testRuns.getById = async (id) => {
      const record = await read(id);
      if (id === b && stall) {
        stall = false;
        await until('b dispatched', () => o.active().some((r) => r.runId === b), 15_000);
      }
      return record;
    };
    await o.abort(b, 'qa@example.com');
    await until('b ends', () => store.run(b).ended !== null, 15_000);
    expect(store.run(b).statusHistory.at(-1)).toMatchObject({ type: 'aborted', extra: { code: 5, by_user: 'qa@example.com' } });
    // Its runner was told to stop: the slot frees long before the script's 60 s.
    await until('no runner left', () => o.active().length === 0, 15_000);
  }, 40_000);

  it('aborts a run over a project limit with code 9 naming the limit', async () => {
    const store = new MemoryRunStore();
    store.limits = { ...store.limits, vu_max_per_test: 2 };
    const o = make(store);
    await o.open();
    const id = store.addRun(fakeScript({ vus: 5, durationMs: 60_000 }));
    await o.start(id);
    await until('run ends', () => store.run(id).ended !== null);
    const run = store.run(id);
    expect(run.statusHistory.map((s) => s.type)).toEqual(['created', 'queued', 'initializing', 'aborted']);
    expect(run.statusHistory.at(-1)?.extra).toMatchObject({ code: 9, by_user: null });
    expect(run.statusHistory.at(-1)?.extra?.message).toContain('vu_max_per_test');
    expect(run.maxVus).toBe(5);
    expect(run.result).toBe('error');
  });

  it('enforces the per-test duration and the monthly VUh limits, counting earlier runs of the month', async () => {
    const store = new MemoryRunStore();
    store.limits = { ...store.limits, duration_max_per_test: 60, vuh_max_per_month: 1 };
    const earlier = store.addRun(fakeScript({}));
    store.run(earlier).cost = { total_vuh: 0.9, breakdown: { protocol_vuh: 0.9, browser_vuh: 0, base_total_vuh: 0.9, reduction_rate: 0, reduction_rate_breakdown: null } };
    store.run(earlier).status = 'completed';
    const o = make(store);
    await o.open();
    // 120 s is over the 60 s limit; 10 VUs for a minute (1/6 VUh) on top of 0.9 VUh is over 1 VUh.
    const long = store.addRun(fakeScript({ vus: 1, durationMs: 120_000 }));
    const heavy = store.addRun(fakeScript({ vus: 10, durationMs: 30_000 }));
    await o.start(long);
    await o.start(heavy);
    await until('both end', () => store.run(long).ended !== null && store.run(heavy).ended !== null);
    expect(store.run(long).statusHistory.at(-1)?.extra).toMatchObject({ code: 9 });
    expect(store.run(long).statusHistory.at(-1)?.extra?.message).toContain('duration_max_per_test');
    expect(store.run(heavy).statusHistory.at(-1)?.extra).toMatchObject({ code: 9 });
    expect(store.run(heavy).statusHistory.at(-1)?.extra?.message).toContain('vuh_max_per_month');
  });

  it('reconciles runs left in flight by a crash and resumes the queued ones', async () => {
    const store = new MemoryRunStore();
    const stale = store.addRun(fakeScript({}), 'running');
    store.run(stale).statusHistory[3]!.entered = new Date(Date.now() - 3_600_000).toISOString();
    store.run(stale).executionDuration = 7;
    const waiting = store.addRun(fakeScript({ durationMs: 100 }), 'queued');
    const o = make(store);
    await o.open();
    expect(store.run(stale).statusHistory.at(-1)).toMatchObject({ type: 'aborted', extra: { code: 6, message: 'The server restarted while the test run was in flight' } });
    expect(store.run(stale).result).toBe('error');
    // Its runners went with the old process at a moment nobody saw: the last stored duration stays.
    expect(store.run(stale).executionDuration).toBe(7);
    await until('waiting run ends', () => store.run(waiting).ended !== null);
    expect(store.run(waiting).status).toBe('completed');
  });

  describe('a run split over several load zones', () => {
    const ZONES = ['amazon:us:ashburn', 'amazon:de:frankfurt'];
    const distribution = { us: { loadZone: ZONES[0], percent: 75 }, eu: { loadZone: ZONES[1], percent: 25 } };

    function splitStore(): { store: MemoryRunStore; logs: { msg: string; obj: Record<string, unknown> }[] } {
      const store = new MemoryRunStore();
      store.zones = [...ZONES];
      const logs: { msg: string; obj: Record<string, unknown> }[] = [];
      orchestrator = createOrchestrator({
        store,
        log: { info: (obj, msg) => logs.push({ msg: msg ?? '', obj: obj as Record<string, unknown> }), warn: () => {}, error: () => {} },
        config: { maxConcurrentRuns: 2, engineModule: FAKE_ENGINE, abortGraceMs: 3000 },
      });
      return { store, logs };
    }

    it('runs one runner per zone with its share of the VUs, and keeps the summary of every runner merged', async () => {
      const { store, logs } = splitStore();
      const o = orchestrator as Orchestrator;
      await o.open();
      const options = { vus: 4, duration: '1500ms', cloud: { distribution }, thresholds: { hits: ['count==4'] } };
      const id = store.addRun(fakeScript({ vus: 4, durationMs: 1500, options, hitsPerVu: 1 }));
      await o.start(id);
      await until('run ends', () => store.run(id).ended !== null);
      const run = store.run(id);
      expect(run.statusHistory.map((st) => st.type)).toEqual(['created', 'queued', 'initializing', 'running', 'processing_metrics', 'completed']);
      expect(run.maxVus).toBe(4);
      expect(run.distribution).toEqual([{ load_zone: ZONES[0], percent: 75 }, { load_zone: ZONES[1], percent: 25 }]);
      // The planning runner, then one per zone (the zones' runners start together, in any order).
      const started = logs.filter((l) => l.msg === 'runner started').map((l) => l.obj['zone']);
      expect(started[0]).toBeUndefined();
      expect(started.slice(1).sort()).toEqual([...ZONES].sort());
      const shares = logs.filter((l) => l.msg === "load zone's share planned").map((l) => [l.obj['zone'], l.obj['maxVUs']]);
      expect(Object.fromEntries(shares)).toEqual({ [ZONES[0] as string]: 3, [ZONES[1] as string]: 1 });
      // 3 + 1 VUs each added 1: only the merged data holds 4, and the threshold judged it so.
      const summary = run.summary as { metrics: Record<string, { values: Record<string, number>; thresholds?: unknown }> };
      expect(summary.metrics['hits']?.values['count']).toBe(4);
      expect(summary.metrics['hits']?.thresholds).toEqual({ 'count==4': { ok: true } });
      expect(run.thresholds).toEqual({ hits: { 'count==4': false } });
      expect(run.result).toBe('passed');
    });

    it('aborts with code 8 when the zones together cross an abortOnFail threshold that neither crossed alone', async () => {
      const { store } = splitStore();
      const o = orchestrator as Orchestrator;
      await o.open();
      // 3 VUs add 9 and 1 VU adds 3: each zone below 10, together 12.
      const options = { vus: 4, duration: '30s', cloud: { distribution }, thresholds: { hits: [{ threshold: 'count<10', abortOnFail: true }] } };
      const id = store.addRun(fakeScript({ vus: 4, durationMs: 30_000, options, hitsPerVu: 3 }));
      const t0 = Date.now();
      await o.start(id);
      await until('run ends', () => store.run(id).ended !== null, 15_000);
      expect(Date.now() - t0).toBeLessThan(12_000);
      const run = store.run(id);
      expect(run.statusHistory.at(-1)).toMatchObject({ type: 'aborted', extra: { code: 8 } });
      expect(run.result).toBe('failed');
      expect(run.thresholds).toEqual({ hits: { 'count<10': true } });
      expect((run.summary as { metrics: Record<string, { values: Record<string, number> }> }).metrics['hits']?.values['count']).toBe(12);
    }, 20_000);

    it('stops every zone on a user abort, and aborts the run by the system when one zone\'s runner dies', async () => {
      const { store } = splitStore();
      const o = orchestrator as Orchestrator;
      await o.open();
      const options = { vus: 4, duration: '60s', cloud: { distribution } };
      const [byUser, crashed] = [store.addRun(fakeScript({ vus: 4, durationMs: 60_000, options })), store.addRun(fakeScript({ vus: 4, durationMs: 60_000, options }))];
      await o.start(byUser);
      await o.start(crashed);
      await until('both running', () => store.run(byUser).status === 'running' && store.run(crashed).status === 'running');
      await o.abort(byUser, 'user@example.com');
      process.kill(o.active().find((a) => a.runId === crashed)?.pid as number, 'SIGKILL');
      await until('both end', () => store.run(byUser).ended !== null && store.run(crashed).ended !== null, 5000);
      expect(store.run(byUser).statusHistory.at(-1)).toMatchObject({ type: 'aborted', extra: { code: 5, by_user: 'user@example.com' } });
      expect(store.run(crashed).statusHistory.at(-1)).toMatchObject({ type: 'aborted', extra: { code: 6 } });
      // The run's pid is its first runner's, and the zones' runners may start in either order.
      expect(store.run(crashed).statusHistory.at(-1)?.extra?.message).toMatch(/load zone amazon:(us:ashburn|de:frankfurt) was killed \(SIGKILL\)/);
    }, 20_000);
  });
});
