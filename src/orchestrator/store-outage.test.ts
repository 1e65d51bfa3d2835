// A run whose store goes away while it runs (a PostgreSQL restart or network cut, SQLite's disk full,
// read-only or locked): its metrics, logs and statuses are held and written once the store is back, it
// ends as its runner ended it, and the time the store was down is not counted as time running. Found
// by the dependency-failure QA pass (test/dependency-failure-qa.md): the writes were dropped, the end of
// the run was never recorded (it stayed `running` until a restart), and a transition written late
// moved the run's duration and cost.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createOrchestrator } from './orchestrator.ts';
import type { Orchestrator } from './orchestrator.ts';
import type { OrchestratorLogger } from './orchestrator-deps.ts';
import { MemoryRunStore } from './test-support/memory-run-store.ts';

const FAKE_ENGINE = fileURLToPath(new URL('../runner/test-support/fake-engine.ts', import.meta.url));
const quiet: OrchestratorLogger = { info: () => {}, warn: () => {}, error: () => {} };

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The store's writes and reads fail as pg's do while the database is unreachable, as long as `down` is set. */
function withOutage(store: MemoryRunStore, error: () => Error): { down: boolean; failed: number } {
  const state = { down: false, failed: 0 };
  const wrap = <T extends object>(repo: T): void => {
    for (const key of Object.keys(repo) as (keyof T)[]) {
      const fn = repo[key];
      if (typeof fn !== 'function') continue;
      repo[key] = (async (...args: unknown[]) => {
        if (state.down) {
          state.failed++;
          throw error();
        }
        return (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      }) as T[keyof T];
    }
  };
  wrap(store.testRuns);
  wrap(store.runMetrics);
  wrap(store.runLogs);
  return state;
}

let orchestrator: Orchestrator | null = null;
afterEach(async () => {
  await orchestrator?.close();
  orchestrator = null;
});

describe('a run while its store is unavailable', () => {
  it.each([
    ['PostgreSQL connection lost', () => new Error('Connection terminated unexpectedly')],
    ['PostgreSQL refusing connections', () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['SQLite disk full', () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })],
  ])('holds its writes until the store is back and ends as its runner ended it (%s)', async (_name, error) => {
    const store = new MemoryRunStore();
    const outage = withOutage(store, error);
    orchestrator = createOrchestrator({ store, log: quiet, config: { maxConcurrentRuns: 1, engineModule: FAKE_ENGINE, abortGraceMs: 3000, metricsHoldMs: 0 } });
    await orchestrator.open();
    const id = store.addRun({ bytes: new TextEncoder().encode(JSON.stringify({ vus: 2, durationMs: 2500 })), contentType: 'text/javascript' });
    await orchestrator.start(id);
    await until('running', () => store.run(id).status === 'running');
    const before = (store.metrics.get(id) ?? []).length;
    outage.down = true;
    // Down from inside the run until well after its runner ended (the script runs 2.5 s).
    await new Promise((r) => setTimeout(r, 4000));
    expect(outage.failed).toBeGreaterThan(0);
    expect(store.run(id).status).toBe('running');
    outage.down = false;
    await until('run ends', () => store.run(id).ended !== null);
    const run = store.run(id);
    expect(run.statusHistory.map((s) => s.type)).toEqual(['created', 'queued', 'initializing', 'running', 'processing_metrics', 'completed']);
    expect(run.result).toBe('passed');
    // The metrics sent while the store was down were stored once it came back.
    expect((store.metrics.get(id) ?? []).length).toBeGreaterThan(before);
    // The run's time running is the script's 2.5 s, not stretched by the ≥ 4 s the store was down.
    const running = run.statusHistory.find((s) => s.type === 'running');
    const processing = run.statusHistory.find((s) => s.type === 'processing_metrics');
    expect(Date.parse(processing?.entered ?? '') - Date.parse(running?.entered ?? '')).toBeLessThan(3_800);
    expect(run.executionDuration).toBeLessThanOrEqual(4);
  }, 40_000);

  it('drops what it holds once the store has been down longer than storeRetryMs, and says so', async () => {
    const store = new MemoryRunStore();
    const outage = withOutage(store, () => new Error('Connection terminated unexpectedly'));
    const errors: string[] = [];
    const log: OrchestratorLogger = { info: () => {}, warn: () => {}, error: (_o: unknown, msg?: string) => void errors.push(String(msg)) };
    orchestrator = createOrchestrator({ store, log, config: { maxConcurrentRuns: 1, engineModule: FAKE_ENGINE, abortGraceMs: 3000, storeRetryMs: 1500 } });
    await orchestrator.open();
    const id = store.addRun({ bytes: new TextEncoder().encode(JSON.stringify({ vus: 1, durationMs: 1000 })), contentType: 'text/javascript' });
    await orchestrator.start(id);
    await until('running', () => store.run(id).status === 'running');
    outage.down = true;
    await until('the run gives up', () => orchestrator?.active().length === 0, 20_000);
    expect(errors).toContain('could not record the end of a run');
    outage.down = false;
  }, 30_000);
});
