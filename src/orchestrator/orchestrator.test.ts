import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createOrchestrator } from './orchestrator.ts';
import type { Orchestrator } from './orchestrator.ts';
import type { OrchestratorConfig, OrchestratorLogger } from './orchestrator-deps.ts';
import { MemoryRunStore } from './test-support/memory-run-store.ts';

// The runner's test stand-in engine: its "script" is JSON saying how many VUs and how long.
const FAKE_ENGINE = fileURLToPath(new URL('../runner/test-support/fake-engine.ts', import.meta.url));
// Mirrors the stand-in engine's script fields (src/runner/test-support/fake-engine.ts).
interface FakeScript { vus?: number; durationMs?: number; failThreshold?: boolean; ignoreAbort?: boolean; blockMs?: number; options?: Record<string, unknown> }
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
    const waiting = store.addRun(fakeScript({ durationMs: 100 }), 'queued');
    const o = make(store);
    await o.open();
    expect(store.run(stale).statusHistory.at(-1)).toMatchObject({ type: 'aborted', extra: { code: 6, message: 'The server restarted while the test run was in flight' } });
    expect(store.run(stale).result).toBe('error');
    await until('waiting run ends', () => store.run(waiting).ended !== null);
    expect(store.run(waiting).status).toBe('completed');
  });
});
