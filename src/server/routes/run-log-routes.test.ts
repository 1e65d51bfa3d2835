// A run's logs through the API, over both stores: the v6 extension GET /test_runs/{id}/logs, Loki's
// query_range, and the Loki tail WebSocket that `k6 cloud run` follows (with k6's `token` scheme and
// its query), on a listening server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AddressInfo } from 'node:net';
import { createHarness, postgresAvailable, script } from '../test-support/api-harness.ts';
import type { Harness, StoreKind } from '../test-support/api-harness.ts';

const PG = await postgresAvailable();
if (!PG) console.warn('PostgreSQL is not answering: the PostgreSQL run of the run-log suite is skipped');
const KINDS: { kind: StoreKind; enabled: boolean }[] = [
  { kind: 'sqlite', enabled: true },
  { kind: 'postgres', enabled: PG },
];

describe.each(KINDS)('run logs over $kind', ({ kind, enabled }) => {
  let h: Harness;
  let runId: number;
  const t0 = Date.UTC(2026, 10, 27, 9, 0, 0) * 1000;

  beforeAll(async () => {
    if (!enabled) return;
    h = await createHarness(kind);
    const lt = await h.store.loadTests.create(h.stackId, { projectId: h.projectId, name: 'logs', script: { bytes: new TextEncoder().encode(script()), contentType: 'text/javascript' } });
    ({ run: { id: runId } } = await h.store.testRuns.create({ stackId: h.stackId, loadTestId: lt.id, startedBy: null }));
    await h.store.runLogs.append(runId, Array.from({ length: 5 }, (_, i) => ({
      time: t0 + i * 1_000_123, level: i === 3 ? 'error' : 'info', message: `line ${i}`, labels: { test_run_id: String(runId), lz: 'amazon:us:ashburn', instance_id: '0', source: 'console' },
    })));
  });
  afterAll(async () => {
    if (enabled) await h.close();
  });

  it.skipIf(!enabled)('lists a run’s lines in order, pages on with @nextLink, reads the latest backward', async () => {
    const first = await h.call('GET', `/cloud/v6/test_runs/${runId}/logs?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.value).toEqual([
      { id: expect.any(Number), time: '2026-11-27T09:00:00.000000Z', level: 'info', message: 'line 0', labels: { instance_id: '0', lz: 'amazon:us:ashburn', source: 'console', test_run_id: String(runId) } },
      { id: expect.any(Number), time: '2026-11-27T09:00:01.000123Z', level: 'info', message: 'line 1', labels: expect.any(Object) },
    ]);
    const next = new URL(first.body['@nextLink'] as string);
    expect(next.searchParams.get('limit')).toBe('2');
    const second = await h.call('GET', `${next.pathname}${next.search}`);
    expect(second.body.value.map((l: { message: string }) => l.message)).toEqual(['line 2', 'line 3']);
    const rest = await h.call('GET', `/cloud/v6/test_runs/${runId}/logs?after=${second.body.value[1].id as number}`);
    expect(rest.body.value.map((l: { message: string }) => l.message)).toEqual(['line 4']);
    expect(rest.body['@nextLink']).toBeUndefined();
    const latest = await h.call('GET', `/cloud/v6/test_runs/${runId}/logs?direction=backward&limit=2`);
    expect(latest.body.value.map((l: { message: string }) => l.message)).toEqual(['line 4', 'line 3']);
  });

  it.skipIf(!enabled)('answers bad parameters, unknown runs, other stacks and missing tokens with the ErrorResponse shape', async () => {
    const bad = await h.call('GET', `/cloud/v6/test_runs/${runId}/logs?limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('limit must be an integer from 1 to 5000');
    expect((await h.call('GET', `/cloud/v6/test_runs/${runId}/logs?direction=sideways`)).status).toBe(400);
    expect((await h.call('GET', `/cloud/v6/test_runs/${runId + 1000}/logs`)).status).toBe(404);
    expect((await h.call('GET', `/cloud/v6/test_runs/${runId}/logs`, { token: null })).status).toBe(401);
    const other = await h.store.stacks.create('other stack');
    const token = (await h.store.tokens.createForStack(other.id, 'ci')).token;
    expect((await h.call('GET', `/cloud/v6/test_runs/${runId}/logs`, { token, stackId: other.id })).status).toBe(404);
    const loki = await h.call('GET', `/loki/api/v1/query_range?query=${encodeURIComponent(`{test_run_id="${runId}"}`)}`, { token, stackId: null });
    expect(loki.status).toBe(404);
    const regex = await h.call('GET', `/loki/api/v1/query_range?query=${encodeURIComponent(`{test_run_id=~"${runId}"}`)}`, { stackId: null });
    expect(regex.status).toBe(400);
    expect(regex.body.error.message).toContain('{test_run_id="123"}');
  });

  it.skipIf(!enabled)('answers Loki query_range for a test run selector: streams by label set, backward by default, with a time window and matchers', async () => {
    const q = (query: string, extra = '') => h.call('GET', `/loki/api/v1/query_range?query=${encodeURIComponent(query)}${extra}`, { stackId: null });
    const all = await q(`{test_run_id="${runId}"}`, '&limit=3');
    expect(all.status).toBe(200);
    expect(all.body.status).toBe('success');
    expect(all.body.data.resultType).toBe('streams');
    const values = (all.body.data.result as { stream: Record<string, string>; values: [string, string][] }[]).flatMap((s) => s.values.map((v) => [s.stream.level, ...v]));
    expect(values).toEqual([
      ['info', `${t0 + 4 * 1_000_123}000`, 'line 4'],
      ['error', `${t0 + 3 * 1_000_123}000`, 'line 3'],
      ['info', `${t0 + 2 * 1_000_123}000`, 'line 2'],
    ].sort((a, b) => (a[0] === b[0] ? 0 : a[0] === 'info' ? -1 : 1)));
    const errors = await q(`{test_run_id="${runId}", level="error"}`);
    expect(errors.body.data.result).toEqual([{ stream: { instance_id: '0', lz: 'amazon:us:ashburn', source: 'console', test_run_id: String(runId), level: 'error' }, values: [[`${t0 + 3 * 1_000_123}000`, 'line 3']] }]);
    const window = await q(`{test_run_id="${runId}"}`, `&direction=forward&start=${t0 + 1_000_000}000&end=${t0 + 3_000_000}000`);
    expect(window.body.data.result.flatMap((s: { values: [string, string][] }) => s.values.map((v) => v[1]))).toEqual(['line 1', 'line 2']);
  });

  it.skipIf(!enabled)('tails a run over a WebSocket as k6 cloud run does: lines from `start` on, then new ones as they come', async () => {
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = h.app.server.address() as AddressInfo;
    const url = `ws://127.0.0.1:${port}/loki/api/v1/tail?query=${encodeURIComponent(`{test_run_id="${runId}"}`)}&start=${t0 + 3_000_000}000`;
    const frames: { streams: { stream: Record<string, string>; values: [string, string][] }[] }[] = [];
    const ws = new WebSocket(url, { headers: { Authorization: `token ${h.token}`, 'X-K6testrun-Id': String(runId) } });
    ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as (typeof frames)[number]));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const seen = () => frames.flatMap((f) => f.streams.flatMap((s) => s.values.map((v) => v[1])));
    await expect.poll(seen, { timeout: 5_000 }).toEqual(['line 3', 'line 4']);
    await h.store.runLogs.append(runId, [{ time: Date.now() * 1000, level: 'warning', message: 'late line', labels: { test_run_id: String(runId) } }]);
    await expect.poll(seen, { timeout: 5_000 }).toEqual(['line 3', 'line 4', 'late line']);
    ws.close();

    const refused = new WebSocket(url.replace(`test_run_id%3D%22${runId}`, `test_run_id%3D%22${runId + 1000}`), { headers: { Authorization: `token ${h.token}` } });
    const status = await new Promise<number | undefined>((resolve) => refused.once('unexpected-response', (_req, res) => resolve(res.statusCode)).once('open', () => resolve(101)));
    expect(status).toBe(404);
    const anonymous = new WebSocket(url);
    expect(await new Promise<number | undefined>((resolve) => anonymous.once('unexpected-response', (_req, res) => resolve(res.statusCode)).once('open', () => resolve(101)))).toBe(401);
  });
});
