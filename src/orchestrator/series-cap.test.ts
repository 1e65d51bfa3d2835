// The ingest path bounds what a run stores: series grouped by `name`, and past the per-run series cap
// new series folded into `folded="true"` ones (totals exact), with the warning logged once per run.
import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_SERIES_PER_RUN } from '../results/index.ts';
import { createOrchestrator } from './orchestrator.ts';
import type { Orchestrator } from './orchestrator.ts';
import type { OrchestratorLogger } from './orchestrator-deps.ts';
import { MemoryRunStore } from './test-support/memory-run-store.ts';
import type { ManyUrlsScript } from './test-support/many-urls-engine.ts';

const MANY_URLS_ENGINE = fileURLToPath(new URL('./test-support/many-urls-engine.ts', import.meta.url));

let orchestrator: Orchestrator | null = null;
afterEach(async () => {
  await orchestrator?.close();
  orchestrator = null;
});

async function until(what: string, check: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('orchestrator ingest: series cap', () => {
  it('stores a bounded number of series for a run requesting thousands of distinct URLs, totals exact, warning logged once', async () => {
    const warnings: { obj: object; msg: string | undefined }[] = [];
    const log: OrchestratorLogger = { info: () => {}, error: () => {}, warn: (obj, msg) => warnings.push({ obj, msg }) };
    const store = new MemoryRunStore();
    orchestrator = createOrchestrator({ store, log, config: { maxConcurrentRuns: 1, engineModule: MANY_URLS_ENGINE, abortGraceMs: 3000 } });
    await orchestrator.open();
    const script: ManyUrlsScript = { batches: 6, urlsPerBatch: 300, intervalMs: 50 };
    const id = store.addRun({ bytes: new TextEncoder().encode(JSON.stringify(script)), contentType: 'text/javascript' });
    await orchestrator.start(id);
    await until('run ends', () => store.run(id).ended !== null);
    expect(store.run(id).statusHistory.at(-1), JSON.stringify(store.run(id).statusHistory.at(-1))).toMatchObject({ type: 'completed' });

    const batches = store.engineMetrics(id);
    expect(batches).toHaveLength(6);
    // Sent: 6 × 300 URLs named by their URL + 6 × 300 URLs sharing name "item", 2 metrics each = 7,200 series.
    const distinct = new Set<string>();
    for (const b of batches) for (const s of b.series) distinct.add(JSON.stringify([s.metric, Object.entries(s.tags).sort()]));
    expect(distinct.size).toBeGreaterThan(DEFAULT_MAX_SERIES_PER_RUN);
    expect(distinct.size).toBeLessThanOrEqual(DEFAULT_MAX_SERIES_PER_RUN + 2); // + one folded series per metric
    const all = batches.flatMap((b) => b.series);
    // Grouped by name: no stored series keeps a `url` next to its `name`; the "item" URLs are one series per metric.
    expect(all.some((s) => s.tags['url'] !== undefined)).toBe(false);
    expect(new Set(all.filter((s) => s.tags['name'] === 'item').map((s) => s.metric))).toEqual(new Set(['http_reqs', 'http_req_duration']));
    const folded = all.filter((s) => s.tags['folded'] === 'true');
    expect(folded.length).toBeGreaterThan(0);
    expect(folded[0]?.tags).toEqual({ method: 'GET', status: '200', expected_response: 'true', scenario: 'default', folded: 'true' });
    // Totals stay exact: every request is counted once, in its own, its name's or a folded series.
    const requests = all.filter((s) => s.metric === 'http_reqs').reduce((a, s) => a + (s.counter?.sum ?? 0), 0);
    expect(requests).toBe(6 * 300 * 2);
    const durations = all.filter((s) => s.metric === 'http_req_duration').reduce((a, s) => a + (s.trend?.count ?? 0), 0);
    expect(durations).toBe(6 * 300 * 2);

    const capWarnings = warnings.filter((w) => w.msg?.includes('distinct time series'));
    expect(capWarnings).toHaveLength(1);
    expect(capWarnings[0]?.obj).toMatchObject({ runId: id, maxSeries: DEFAULT_MAX_SERIES_PER_RUN });
  }, 10_000);
});
