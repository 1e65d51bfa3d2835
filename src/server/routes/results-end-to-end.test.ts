// A real run through the orchestrator and a runner process, then read back: the summary endpoint and the
// v5 queries must give the numbers the engine computed, from the batches the runner actually sent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrchestrator } from '../../orchestrator/index.ts';
import type { Orchestrator } from '../../orchestrator/index.ts';
import { openStore } from '../../store/index.ts';
import type { Store } from '../../store/index.ts';
import { buildApp } from '../app.ts';
import { serverConfig } from '../config.ts';
import { multipartBody } from '../test-support/api-harness.ts';

const SCRIPT = `
import { check, group, sleep } from 'k6';
import { Counter, Trend } from 'k6/metrics';
const waits = new Trend('my_wait', true);
const points = new Counter('my_points');
export const options = { vus: 2, duration: '2s', thresholds: { my_wait: ['p(95)<1000', 'max<5'], checks: ['rate>0.1'] } };
export default function () {
  waits.add(__ITER * 10 + __VU);
  points.add(2, { who: __VU === 1 ? 'one' : 'two' });
  group('g', () => { check(__ITER, { even: (i) => i % 2 === 0 }); });
  sleep(0.1);
}
`;

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
let dir: string;
let store: Store;
let orchestrator: Orchestrator;
let app: FastifyInstance;
let headers: Record<string, string>;
let runId: number;

async function get(url: string): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
  const res = await app.inject({ method: 'GET', url, headers });
  return { status: res.statusCode, body: res.json() };
}

async function aggregate(query: string, metric: string): Promise<{ metric: Record<string, string>; values: [number, number][] }[]> {
  const res = await get(`/cloud/v5/test_runs/${runId}/${encodeURIComponent(`query_aggregate_k6(query='${query}',metric='${metric}')`)}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data.result;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stampede-results-e2e-'));
  store = await openStore({ dataDir: dir });
  const seeded = await store.seedFirstStart();
  headers = { authorization: `Bearer ${seeded.token}`, 'x-stack-id': String(seeded.stackId) };
  orchestrator = createOrchestrator({ store, config: { maxConcurrentRuns: 1, abortGraceMs: 5_000 }, log: quiet });
  await orchestrator.open();
  app = await buildApp({ store, runs: orchestrator, config: serverConfig(), logger: false });
  const form = multipartBody({ name: 'results', script: { filename: 'test.js', data: Buffer.from(SCRIPT) } });
  const created = await app.inject({ method: 'POST', url: `/cloud/v6/projects/${seeded.projectId}/load_tests`, headers: { ...headers, 'content-type': form.contentType }, payload: form.payload });
  expect(created.statusCode, created.body).toBe(201);
  const start = await app.inject({ method: 'POST', url: `/cloud/v6/load_tests/${(created.json() as { id: number }).id}/start`, headers });
  expect(start.statusCode, start.body).toBe(200);
  runId = (start.json() as { id: number }).id;
  const deadline = Date.now() + 45_000;
  for (;;) {
    const run = await get(`/cloud/v6/test_runs/${runId}`);
    if (run.body.status === 'completed' || run.body.status === 'aborted' || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
}, 60_000);

afterAll(async () => {
  await app?.close();
  await orchestrator?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('results of a real run', () => {
  it('the summary holds the engine\'s values, threshold outcomes and checks', async () => {
    const res = await get(`/cloud/v6/test_runs/${runId}/summary`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { metrics, root_group: root } = res.body;
    expect(metrics.my_wait.thresholds).toEqual({ 'p(95)<1000': { ok: true }, 'max<5': { ok: false } });
    expect(metrics.my_points.values.count).toBe(2 * metrics.iterations.values.count);
    const check = root.groups.find((g: { name: string }) => g.name === 'g').checks[0];
    expect(check.name).toBe('even');
    expect(check.passes + check.fails).toBe(metrics.iterations.values.count);
  });

  it('v5 aggregates over the stored batches equal the summary\'s numbers', async () => {
    const { body: summary } = await get(`/cloud/v6/test_runs/${runId}/summary`);
    const iterations = await aggregate('increase', 'iterations');
    expect(iterations[0]?.values[0]?.[1]).toBe(summary.metrics.iterations.values.count);
    for (const [q, stat] of [['histogram_quantile(0.95)', 'p(95)'], ['histogram_quantile(0.5)', 'med'], ['histogram_avg', 'avg'], ['histogram_max', 'max']] as const) {
      const v = (await aggregate(q, 'my_wait'))[0]?.values[0]?.[1];
      expect(v, q).toBeCloseTo(summary.metrics.my_wait.values[stat], 9);
    }
    const byWho = await aggregate('increase by (who)', 'my_points');
    expect(byWho.map((r) => r.metric['who']).sort()).toEqual(['one', 'two']);
    expect(byWho.reduce((n, r) => n + (r.values[0]?.[1] ?? 0), 0)).toBe(summary.metrics.my_points.values.count);
    const ratio = await aggregate('ratio by (check)', 'checks{group="::g"}');
    expect(ratio).toHaveLength(1);
    expect(ratio[0]?.values[0]?.[1]).toBeCloseTo(summary.metrics.checks.values.rate, 9);
  });
});
