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
  /** The port of the harness's app, listening from the first call on. */
  const listening = async (): Promise<number> => {
    if (!h.app.server.listening) await h.app.listen({ host: '127.0.0.1', port: 0 });
    return (h.app.server.address() as AddressInfo).port;
  };

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
    // Its own X-Stack-Id does not make another stack's run readable (found by the bad-input sweep).
    expect((await h.call('GET', `/loki/api/v1/query_range?query=${encodeURIComponent(`{test_run_id="${runId}"}`)}`, { token, stackId: other.id })).status).toBe(404);
    // An X-Stack-Id naming the run's stack, which the caller does not belong to, is a 403 whether the
    // run exists or not (as on v6): a 404 for existing runs only told another tenant which ids exist.
    for (const path of ['query_range?query=', 'series?match[]=', 'labels?query=', 'query?query=count_over_time']) {
      const ask = async (id: number) => {
        const selector = encodeURIComponent(`{test_run_id="${id}"}`);
        const res = await h.call('GET', `/loki/api/v1/${path}${path.endsWith('count_over_time') ? `(${selector}[1m])` : selector}`, { token, stackId: h.stackId });
        return [res.status, res.body.error?.code];
      };
      expect([path, ...(await ask(runId))]).toEqual([path, 403, 'permission_denied']);
      expect([path, ...(await ask(runId + 1000))]).toEqual([path, 403, 'permission_denied']);
    }
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

  describe('LogQL label matchers and line filters', () => {
    let filtered: number;
    const t1 = Date.UTC(2026, 10, 27, 10, 0, 0) * 1000;
    const labels = (lz: string, source: string) => ({ test_run_id: String(filtered), lz, instance_id: '0', source });
    const q = (query: string, extra = '&direction=forward&limit=5000') => h.call('GET', `/loki/api/v1/query_range?query=${encodeURIComponent(query)}${extra}`, { stackId: null });
    const messages = (res: { body: { data: { result: { values: [string, string][] }[] } } }) =>
      res.body.data.result.flatMap((s) => s.values).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((v) => v[1]);

    beforeAll(async () => {
      if (!enabled) return;
      const lt = await h.store.loadTests.create(h.stackId, { projectId: h.projectId, name: 'filtered logs', script: { bytes: new TextEncoder().encode(script()), contentType: 'text/javascript' } });
      ({ run: { id: filtered } } = await h.store.testRuns.create({ stackId: h.stackId, loadTestId: lt.id, startedBy: null }));
      // 6,000 quiet lines first, so that a regex matching only later lines has to read past a store page.
      await h.store.runLogs.append(filtered, Array.from({ length: 6_000 }, (_, i) => ({ time: t1 + i, level: 'debug', message: `tick ${i}`, labels: labels('amazon:us:ashburn', 'console') })));
      await h.store.runLogs.append(filtered, [
        { time: t1 + 10_000, level: 'info', message: 'GET /cart status=200', labels: labels('amazon:us:ashburn', 'console') },
        { time: t1 + 10_001, level: 'error', message: 'GET /pay status=503 Retry later', labels: labels('amazon:eu:dublin', 'console') },
        { time: t1 + 10_002, level: 'warning', message: 'POST /pay status=502', labels: labels('amazon:eu:frankfurt', 'stacktrace') },
        { time: t1 + 10_003, level: 'error', message: 'GET /health status=500 "quoted"', labels: labels('amazon:us:ashburn', 'stacktrace') },
      ]);
    });

    it.skipIf(!enabled)('selects lines with =, !=, =~ and !~ label matchers (anchored RE2, a missing label matching "")', async () => {
      const id = `test_run_id="${filtered}"`;
      expect(messages(await q(`{${id}, lz!="amazon:us:ashburn"}`))).toEqual(['GET /pay status=503 Retry later', 'POST /pay status=502']);
      expect(messages(await q(`{${id}, lz=~"amazon:eu:.*"}`))).toEqual(['GET /pay status=503 Retry later', 'POST /pay status=502']);
      expect(messages(await q(`{${id}, lz=~"eu"}`))).toEqual([]);
      expect(messages(await q(`{${id}, level!~"info|debug"}`))).toEqual(['GET /pay status=503 Retry later', 'POST /pay status=502', 'GET /health status=500 "quoted"']);
      expect(messages(await q(`{${id},level="error",source=~"stack.+"}`))).toEqual(['GET /health status=500 "quoted"']);
      expect(messages(await q(`{${id}, no_such_label="", level=~"(?i)WARN.*"}`))).toEqual(['POST /pay status=502']);
    });

    it.skipIf(!enabled)('applies chained |=, !=, |~ and !~ line filters, with "…" and `…` strings', async () => {
      const id = `test_run_id="${filtered}"`;
      expect(messages(await q(`{${id}} |= "GET" != "health"`))).toEqual(['GET /cart status=200', 'GET /pay status=503 Retry later']);
      expect(messages(await q(`{${id}} |~ "status=5\\\\d\\\\d" !~ \`(?i)retry\``))).toEqual(['POST /pay status=502', 'GET /health status=500 "quoted"']);
      expect(messages(await q(`{${id}} |= "\\"quoted\\""`))).toEqual(['GET /health status=500 "quoted"']);
      expect(messages(await q(`{${id}, level=~"error|warning"} |~ "^(GET|POST) /pay"`))).toEqual(['GET /pay status=503 Retry later', 'POST /pay status=502']);
    });

    it.skipIf(!enabled)('keeps limit and direction exact when the matches lie past a page of the store', async () => {
      const id = `test_run_id="${filtered}"`;
      expect(messages(await q(`{${id}} |~ "status=5"`, '&direction=forward&limit=2'))).toEqual(['GET /pay status=503 Retry later', 'POST /pay status=502']);
      expect(messages(await q(`{${id}, source=~"stack.*"}`, '&limit=1'))).toEqual(['GET /health status=500 "quoted"']);
      expect(messages(await q(`{${id}} |~ "tick 59(98|99)$"`, '&direction=forward&limit=1'))).toEqual(['tick 5998']);
      expect(messages(await q(`{${id}} |= "tick 1" |~ \`^tick 1\\d$\``, '&direction=backward&limit=3'))).toEqual(['tick 17', 'tick 18', 'tick 19']);
    });

    it.skipIf(!enabled)('answers parsers, unsupported metric queries and refused regexes with a 400 naming what is supported', async () => {
      const id = `test_run_id="${filtered}"`;
      const cases: [string, string][] = [
        [`{${id}} | json`, 'The pipeline stage "| json" is not supported'],
        [`quantile_over_time(0.5, {${id}} | unwrap ms [1m])`, 'The function quantile_over_time is not supported'],
        [`{${id}} |= "x" | line_format "{{.msg}}"`, '"| line_format"'],
        [`{${id}, lz=~"(a+)+"}`, 'exponential time'],
        [`{${id}} |~ "(?=GET)"`, 'lookahead'],
        [`{${id}} |= "\\q"`, 'Invalid escape'],
        [`{${id}, lz>"a"}`, 'Unsupported matcher operator'],
        [`{lz="x"}`, 'must name a test run'],
      ];
      for (const [query, reason] of cases) {
        const res = await q(query);
        expect(res.status, query).toBe(400);
        expect(res.body.error.code).toBe('validation_error');
        expect(res.body.error.message).toContain(reason);
        expect(res.body.error.message).toContain(/exponential|lookahead/.test(reason) ? 'patterns are RE2' : reason.includes('function') ? 'count_over_time, rate' : '|~ "regex"');
      }
    });

    it.skipIf(!enabled)('tails only matching lines over a WebSocket, and resumes after a line id with ids on the values', async () => {
      const port = await listening();
      const open = (params: string) => {
        const frames: { streams: { stream: Record<string, string>; values: string[][] }[] }[] = [];
        const ws = new WebSocket(`ws://127.0.0.1:${port}/loki/api/v1/tail?${params}`, { headers: { Authorization: `token ${h.token}` } });
        ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as (typeof frames)[number]));
        const values = () => frames.flatMap((f) => f.streams.flatMap((s) => s.values));
        return { ws, values, opened: new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject)) };
      };
      const query = encodeURIComponent(`{test_run_id="${filtered}", level=~"error|warning"} |= "/pay" !~ "(?i)retry"`);
      const a = open(`query=${query}&start=${t1}000`);
      await a.opened;
      await expect.poll(() => a.values().map((v) => v[1]), { timeout: 5_000 }).toEqual(['POST /pay status=502']);
      const now = Date.now() * 1000;
      await h.store.runLogs.append(filtered, [
        { time: now, level: 'error', message: 'PUT /pay status=500', labels: labels('amazon:us:ashburn', 'console') },
        { time: now + 1, level: 'info', message: 'PUT /pay status=200', labels: labels('amazon:us:ashburn', 'console') },
        { time: now + 2, level: 'error', message: 'PUT /pay RETRY', labels: labels('amazon:us:ashburn', 'console') },
        { time: now + 3, level: 'warning', message: 'DELETE /pay status=504', labels: labels('amazon:us:ashburn', 'console') },
      ]);
      await expect.poll(() => a.values().map((v) => v[1]), { timeout: 5_000 }).toEqual(['POST /pay status=502', 'PUT /pay status=500', 'DELETE /pay status=504']);
      expect(a.values().every((v) => v.length === 2)).toBe(true);
      a.ws.close();

      const all = (await h.call('GET', `/cloud/v6/test_runs/${filtered}/logs?direction=backward&limit=4`)).body.value as { id: number; message: string }[];
      const putId = all.find((l) => l.message === 'PUT /pay status=500')?.id as number;
      const b = open(`query=${query}&after=${putId}`);
      await b.opened;
      await expect.poll(() => b.values(), { timeout: 5_000 }).toEqual([[`${now + 3}000`, 'DELETE /pay status=504', { id: String(putId + 3) }]]);
      b.ws.close();

      const refused = new WebSocket(`ws://127.0.0.1:${port}/loki/api/v1/tail?query=${encodeURIComponent(`{test_run_id="${filtered}"} | json`)}`, { headers: { Authorization: `token ${h.token}` } });
      expect(await new Promise<number | undefined>((resolve) => refused.once('unexpected-response', (_req, res) => resolve(res.statusCode)).once('open', () => resolve(101)))).toBe(400);
    });
  });

  it.skipIf(!enabled)('tails a run over a WebSocket as k6 cloud run does: lines from `start` on, then new ones as they come', async () => {
    const port = await listening();
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
