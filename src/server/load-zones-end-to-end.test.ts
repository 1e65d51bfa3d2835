// End to end, as an operator and a user of a real deployment would go: the operator adds a load zone
// through the admin API, a user runs a script split 60/40 over it and the default zone, with the real
// orchestrator, sandboxed runner processes and a local HTTP target. The run completes carried by one
// runner per zone, each with its share of the VUs.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrchestrator } from '../orchestrator/index.ts';
import type { Orchestrator } from '../orchestrator/index.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/index.ts';
import { buildApp } from './app.ts';
import { serverConfig } from './config.ts';
import { multipartBody } from './test-support/api-harness.ts';
import { assertMatchesSpec } from './test-support/spec-responses.ts';

const US = 'amazon:us:ashburn';
const EU = 'amazon:de:frankfurt';

let dir: string;
let store: Store;
let orchestrator: Orchestrator;
let app: FastifyInstance;
let target: Server;
let targetUrl: string;
let token: string;
let headers: Record<string, string>;
let projectId: number;
const logs: { msg: string; obj: Record<string, unknown> }[] = [];
const seen: { vu: number; vuInTest: number }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stampede-zones-e2e-'));
  store = await openStore({ dataDir: dir });
  const seeded = await store.seedFirstStart();
  token = seeded.token ?? '';
  projectId = seeded.projectId;
  headers = { authorization: `Bearer ${token}`, 'x-stack-id': String(seeded.stackId) };
  orchestrator = createOrchestrator({
    store,
    config: { maxConcurrentRuns: 1, abortGraceMs: 5_000 },
    log: { info: (obj, msg) => logs.push({ msg: msg ?? '', obj: obj as Record<string, unknown> }), warn: () => {}, error: () => {} },
  });
  await orchestrator.open();
  app = await buildApp({ store, runs: orchestrator, config: serverConfig(), logger: false });
  target = createServer((req: IncomingMessage, res) => {
    seen.push({ vu: Number(req.headers['x-vu']), vuInTest: Number(req.headers['x-vu-in-test']) });
    res.end('ok');
  }).listen(0, '127.0.0.1');
  await new Promise((r) => target.once('listening', r));
  targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}/`;
});
afterAll(async () => {
  await app?.close();
  await orchestrator?.close();
  await store?.close();
  target?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function api(method: 'GET' | 'POST', url: string, payload?: unknown) {
  const admin = url.startsWith('/admin/');
  const res = await app.inject({ method, url, headers: admin ? { authorization: `Bearer ${token}` } : headers, ...(payload !== undefined && { payload: payload as object }) });
  return { status: res.statusCode, body: res.body === '' ? undefined : (res.json() as Record<string, any>) }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
}

async function startScript(name: string, source: string): Promise<number> {
  const form = multipartBody({ name, script: { filename: 'test.js', data: Buffer.from(source) } });
  const created = await app.inject({ method: 'POST', url: `/cloud/v6/projects/${projectId}/load_tests`, headers: { ...headers, 'content-type': form.contentType }, payload: form.payload });
  expect(created.statusCode, created.body).toBe(201);
  const start = await api('POST', `/cloud/v6/load_tests/${(created.json() as { id: number }).id}/start`);
  expect(start.status).toBe(200);
  return start.body?.['id'] as number;
}

async function runToEnd(runId: number) {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const run = await api('GET', `/cloud/v6/test_runs/${runId}`);
    assertMatchesSpec('GET', '/cloud/v6/test_runs/{id}', run.status, run.body);
    if (run.body?.['ended'] !== null) return run.body ?? {};
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${String(run.body?.['status'])}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const twoZoneScript = () => `
  import http from 'k6/http';
  import exec from 'k6/execution';
  import { sleep } from 'k6';
  export const options = {
    scenarios: { split: { executor: 'shared-iterations', vus: 5, iterations: 10, maxDuration: '20s' } },
    cloud: { distribution: { us: { loadZone: '${US}', percent: 60 }, eu: { loadZone: '${EU}', percent: 40 } } },
  };
  export default function () {
    http.get('${targetUrl}', { headers: { 'X-VU': String(__VU), 'X-VU-In-Test': String(exec.vu.idInTest) } });
    // Two iterations a VU: each runner runs past its first second, when vus/vus_max are sampled (k6's 1 s ticker).
    sleep(0.6);
  }
`;

describe('a load zone added through the admin API carries its share of a run', () => {
  it('refuses the zone before it exists, then runs over both zones once the operator added it', async () => {
    // Before: validate_options says why, and a started run ends aborted with the same reason.
    const options = { vus: 5, duration: '10s', cloud: { distribution: { us: { loadZone: US, percent: 60 }, eu: { loadZone: EU, percent: 40 } } } };
    const refused = await api('POST', '/cloud/v6/validate_options', { options });
    assertMatchesSpec('POST', '/cloud/v6/validate_options', refused.status, refused.body);
    expect(refused.status).toBe(400);
    expect(refused.body?.['error']).toMatchObject({ target: 'options.cloud.distribution', message: `unknown load zone "${EU}"; known: ${US}` });
    const early = await runToEnd(await startScript('too early', twoZoneScript()));
    expect(early['status']).toBe('aborted');
    expect(early['result']).toBe('error');
    expect(early['status_details'].extra).toMatchObject({ code: 7, message: expect.stringContaining(`unknown load zone "${EU}"`) });
    expect(seen).toHaveLength(0);

    const zone = await api('POST', '/admin/v1/load_zones', { name: 'Frankfurt runners', k6_load_zone_id: EU });
    expect(zone.status).toBe(201);
    expect((await api('POST', '/cloud/v6/validate_options', { options })).status).toBe(200);

    const runId = await startScript('two zones', twoZoneScript());
    const run = await runToEnd(runId);
    expect(run['status_history'].map((s: { type: string }) => s.type)).toEqual(['created', 'queued', 'initializing', 'running', 'processing_metrics', 'completed']);
    expect(run['result']).toBe('passed');
    expect(run['max_vus']).toBe(5);
    expect(run['distribution']).toEqual([{ load_zone: US, percent: 60 }, { load_zone: EU, percent: 40 }]);
    const distribution = await api('GET', `/cloud/v6/test_runs/${runId}/distribution`);
    assertMatchesSpec('GET', '/cloud/v6/test_runs/{id}/distribution', distribution.status, distribution.body);
    expect(Object.keys(distribution.body?.['distribution'] ?? {}).sort()).toEqual([EU, US]);

    // One runner per zone, with 3 and 2 of the 5 VUs: the target saw 5 VUs of the test, none above 3 in its runner.
    const shares = Object.fromEntries(logs.filter((l) => l.obj['runId'] === runId && l.msg === "load zone's share planned").map((l) => [l.obj['zone'], l.obj['maxVUs']]));
    expect(shares).toEqual({ [US]: 3, [EU]: 2 });
    expect(seen).toHaveLength(10);
    expect(new Set(seen.map((s) => s.vuInTest))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(Math.max(...seen.map((s) => s.vu))).toBe(3);
    const summary = await api('GET', `/cloud/v6/test_runs/${runId}/summary`);
    expect(summary.body?.['metrics'].vus_max.values.max).toBe(5);
    expect(summary.body?.['metrics'].http_reqs.values.count).toBe(10);

    // Each zone's samples carry its `load_zone` label, as Grafana's v5 metrics docs show (label/load_zone/values).
    const labelled = await api('GET', `/cloud/v5/test_runs/${runId}/label/load_zone/values?${encodeURIComponent('match[]')}=http_reqs`);
    expect([...(labelled.body?.['data'] as string[])].sort()).toEqual([EU, US].sort());
    const perZone = await api('GET', `/cloud/v5/test_runs/${runId}/query_aggregate_k6(query='${encodeURIComponent('increase by (load_zone)')}',metric='http_reqs')`);
    const counts = Object.fromEntries((perZone.body?.['data'].result as { metric: Record<string, string>; values: [number, number][] }[]).map((r) => [r.metric['load_zone'], r.values[0]?.[1]]));
    expect(counts).toEqual({ [US]: 6, [EU]: 4 });

    // The run has ended, so nothing holds the zone any more.
    expect((await api('GET', `/admin/v1/load_zones/${zone.body?.['id']}`)).body?.['default']).toBe(false);
    const removed = await app.inject({ method: 'DELETE', url: `/admin/v1/load_zones/${zone.body?.['id']}`, headers: { authorization: `Bearer ${token}` } });
    expect(removed.statusCode).toBe(204);
  }, 90_000);
});

describe('a load zone the operator made unavailable', () => {
  it('ends a run naming it with the reason validate_options gives: not available, rather than unknown', async () => {
    const JP = 'amazon:jp:tokyo';
    const zone = await api('POST', '/admin/v1/load_zones', { name: 'Tokyo runners', k6_load_zone_id: JP, available: false });
    expect(zone.status).toBe(201);
    const options = { vus: 2, duration: '5s', cloud: { distribution: { us: { loadZone: US, percent: 50 }, jp: { loadZone: JP, percent: 50 } } } };
    const refused = await api('POST', '/cloud/v6/validate_options', { options });
    expect(refused.body?.['error'].message).toContain(`load zone "${JP}" is not available for runs now`);
    const script = `
      export const options = ${JSON.stringify(options)};
      export default function () {}
    `;
    const run = await runToEnd(await startScript('unavailable zone', script));
    expect(run['status']).toBe('aborted');
    expect(run['status_details'].extra).toMatchObject({ code: 7, message: `Invalid options.cloud.distribution: load zone "${JP}" is not available for runs now; available: ${US}` });
    const removed = await app.inject({ method: 'DELETE', url: `/admin/v1/load_zones/${zone.body?.['id']}`, headers: { authorization: `Bearer ${token}` } });
    expect(removed.statusCode).toBe(204);
  }, 60_000);
});


describe("a script error (a VU's init, setup()) ends the run with the script's error as its message", () => {
  // Grafana Cloud k6 shows the script's error for a run its script aborted, not only in the logs.
  const split = `cloud: { distribution: { us: { loadZone: '${US}', percent: 60 }, eu: { loadZone: '${EU}', percent: 40 } } },`;
  for (const { name, distribution, vus, setup } of [
    { name: 'one runner', distribution: '', vus: 3, setup: false },
    { name: 'split over two zones (only one zone has a VU 3)', distribution: split, vus: 5, setup: false },
    // A setup() error's message named the runner's temporary folder in its stack.
    { name: 'a setup() error, split', distribution: split, vus: 5, setup: true },
  ]) {
    it(name, async () => {
      const script = `
        export const options = { vus: ${vus}, duration: '5s', ${distribution} };
        ${setup ? 'export function setup() {' : 'if (__VU === 3) {'} throw new Error('no credentials for VU 3'); }
        export default function () {}
      `;
      const zone = await api('POST', '/admin/v1/load_zones', { name: 'Frankfurt runners', k6_load_zone_id: EU });
      expect(zone.status).toBe(201);
      const run = await runToEnd(await startScript(`init error, ${name}`, script));
      expect((await app.inject({ method: 'DELETE', url: `/admin/v1/load_zones/${zone.body?.['id']}`, headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(204);
      expect(run['status']).toBe('aborted');
      expect(run['result']).toBe('error');
      const message = run['status_details'].extra.message as string;
      expect(run['status_details'].extra.code).toBe(7);
      expect(message.split('\n')[0]).toBe('Error: no credentials for VU 3');
      // Where it was thrown, in the script's own name (not the runner's temporary folder).
      expect(message.split('\n')[1]).toMatch(/^\tat (setup \()?file:\/\/\/script\.js:3:\d+\)?$/);
      expect(message.length).toBeLessThanOrEqual(502);
      expect(run['status_history'].at(-1).extra.message).toBe(message);
    }, 60_000);
  }
});
