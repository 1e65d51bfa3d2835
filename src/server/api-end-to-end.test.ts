// The whole control plane through the API with the real orchestrator: scripts are inspected and run
// in sandboxed runner processes. One run completes with a result and a cost, another is aborted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrchestrator } from '../orchestrator/index.ts';
import type { Orchestrator } from '../orchestrator/index.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/index.ts';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { serverConfig } from './config.ts';
import { multipartBody } from './test-support/api-harness.ts';
import { assertMatchesSpec } from './test-support/spec-responses.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
let dir: string;
let store: Store;
let orchestrator: Orchestrator;
let app: FastifyInstance;
let headers: Record<string, string>;
let projectId: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stampede-e2e-'));
  store = await openStore({ dataDir: dir });
  const seeded = await store.seedFirstStart();
  projectId = seeded.projectId;
  headers = { authorization: `Bearer ${seeded.token}`, 'x-stack-id': String(seeded.stackId) };
  orchestrator = createOrchestrator({ store, config: { maxConcurrentRuns: 2, abortGraceMs: 5_000 }, log: quiet });
  await orchestrator.open();
  app = await buildApp({ store, runs: orchestrator, config: serverConfig(), logger: false });
});
afterAll(async () => {
  await app?.close();
  await orchestrator?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function upload(name: string, source: string): Promise<number> {
  const form = multipartBody({ name, script: { filename: 'test.js', data: Buffer.from(source) } });
  const res = await app.inject({ method: 'POST', url: `/cloud/v6/projects/${projectId}/load_tests`, headers: { ...headers, 'content-type': form.contentType }, payload: form.payload });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: number }).id;
}

async function getRun(id: number) {
  const res = await app.inject({ method: 'GET', url: `/cloud/v6/test_runs/${id}`, headers });
  assertMatchesSpec('GET', '/cloud/v6/test_runs/{id}', res.statusCode, res.json());
  return res.json() as { status: string; result: string | null; cost: { total_vuh: number } | null; max_vus: number | null; status_history: { type: string; extra: { code: number | null; by_user: string | null } | null }[]; options: Record<string, unknown> | null };
}

async function waitFor(id: number, done: (r: Awaited<ReturnType<typeof getRun>>) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let run = await getRun(id);
  while (!done(run) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    run = await getRun(id);
  }
  return run;
}

describe('end to end with the real orchestrator', () => {
  it('a started run goes through every status to completed, passed, with a cost', async () => {
    const id = await upload('Passes', `import { sleep } from 'k6';\nexport const options = { vus: 2, duration: '2s', thresholds: { iterations: ['count>1'] } };\nexport default function () { sleep(0.2); }\n`);
    const start = await app.inject({ method: 'POST', url: `/cloud/v6/load_tests/${id}/start`, headers });
    expect(start.statusCode).toBe(200);
    const runId = (start.json() as { id: number }).id;
    const run = await waitFor(runId, (r) => r.status === 'completed' || r.status === 'aborted', 45_000);
    expect(run.status_history.map((s) => s.type)).toEqual(['created', 'queued', 'initializing', 'running', 'processing_metrics', 'completed']);
    expect(run.result).toBe('passed');
    expect(run.max_vus).toBe(2);
    expect(run.options).toMatchObject({ vus: 2 });
    expect(run.cost?.total_vuh).toBeGreaterThan(0);
  }, 60_000);

  it('an abort stops a long run, recorded as aborted by the user (code 5)', async () => {
    const id = await upload('Long', `import { sleep } from 'k6';\nexport const options = { vus: 1, duration: '5m' };\nexport default function () { sleep(0.2); }\n`);
    const runId = ((await app.inject({ method: 'POST', url: `/cloud/v6/load_tests/${id}/start`, headers })).json() as { id: number }).id;
    await waitFor(runId, (r) => r.status === 'running', 30_000);
    const abort = await app.inject({ method: 'POST', url: `/cloud/v6/test_runs/${runId}/abort`, headers });
    expect(abort.statusCode).toBe(204);
    const run = await waitFor(runId, (r) => r.status === 'aborted' || r.status === 'completed', 30_000);
    expect(run.status).toBe('aborted');
    expect(run.status_history.at(-1)?.extra).toMatchObject({ code: 5, by_user: 'admin@stampede.local' });
    expect((await app.inject({ method: 'POST', url: `/cloud/v6/test_runs/${runId}/abort`, headers })).statusCode).toBe(409);
  }, 70_000);

  it('validate_options prices the spec example with the plan arithmetic of k6', async () => {
    const options = { stages: [{ duration: '1m', target: 20 }, { duration: '3m', target: 20 }, { duration: '30s', target: 0 }] };
    const res = await app.inject({ method: 'POST', url: '/cloud/v6/validate_options', headers, payload: { options } });
    assertMatchesSpec('POST', '/cloud/v6/validate_options', res.statusCode, res.json());
    // 20 VUs for 4m30s plus the 30s graceful ramp-down = 5 billed minutes → 100 VU-minutes.
    expect((res.json() as { vuh_usage: number }).vuh_usage).toBeCloseTo(100 / 60, 3);
  }, 30_000);

  // k6 Studio estimates a browser test's cost with validate_options before running it in the cloud:
  // a scenario with options.browser.type drives a browser, billed at ten protocol VUs, and the
  // project's vu_browser_max_per_test applies to it.
  it('validate_options prices browser scenarios as browser VUs and checks vu_browser_max_per_test', async () => {
    const options = {
      scenarios: {
        ui: { executor: 'shared-iterations', vus: 2, iterations: 2, maxDuration: '1m', options: { browser: { type: 'chromium' } } },
        api: { executor: 'constant-vus', vus: 3, duration: '1m' },
      },
    };
    const priced = await app.inject({ method: 'POST', url: '/cloud/v6/validate_options', headers, payload: { options } });
    assertMatchesSpec('POST', '/cloud/v6/validate_options', priced.statusCode, priced.json());
    // 5 VUs for 1m30s (graceful stops included) = 2 billed minutes: 3 protocol VUs → 0.1 VUh, 2 browser VUs × 10 → 0.6667 VUh.
    expect(priced.json()).toMatchObject({ vuh_usage: 0.7667, breakdown: { protocol_vuh: 0.1, browser_vuh: 0.6667, base_total_vuh: 0.7667 } });

    const created = await app.inject({ method: 'POST', url: '/cloud/v6/projects', headers, payload: { name: 'Browser limits' } });
    const project = (created.json() as { id: number }).id;
    const patched = await app.inject({ method: 'PATCH', url: `/cloud/v6/projects/${project}/limits`, headers, payload: { vu_browser_max_per_test: 1 } });
    expect(patched.statusCode).toBe(204);
    const limited = await app.inject({ method: 'POST', url: '/cloud/v6/validate_options', headers, payload: { project_id: project, options } });
    assertMatchesSpec('POST', '/cloud/v6/validate_options', limited.statusCode, limited.json());
    expect(limited.statusCode).toBe(400);
    expect(limited.json()).toMatchObject({ error: { code: 'validation_error', target: 'vu_browser_max_per_test', message: expect.stringContaining('needs 2 browser VUs') } });
  }, 30_000);

  it('a script that does not load is refused at upload with the reason', async () => {
    const form = multipartBody({ name: 'Broken', script: { filename: 'b.js', data: Buffer.from('export default function ( {') } });
    const res = await app.inject({ method: 'POST', url: `/cloud/v6/projects/${projectId}/load_tests`, headers: { ...headers, 'content-type': form.contentType }, payload: form.payload });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { error: { target: string } }).error.target).toBe('script');
  }, 30_000);
});
