// Loki's labels, label values, series and instant query on run logs, over both stores, as Grafana's
// Loki data source and logcli call them: Loki's response shapes, its start/end/since window, run
// scoping and auth as query_range's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, postgresAvailable, script } from '../test-support/api-harness.ts';
import type { Harness, StoreKind } from '../test-support/api-harness.ts';
import { INSTANT_LOG_QUERY_MESSAGE } from './loki-metadata-routes.ts';

const PG = await postgresAvailable();
if (!PG) console.warn('PostgreSQL is not answering: the PostgreSQL run of the Loki metadata suite is skipped');
const KINDS: { kind: StoreKind; enabled: boolean }[] = [
  { kind: 'sqlite', enabled: true },
  { kind: 'postgres', enabled: PG },
];

describe.each(KINDS)('Loki labels, series and instant query over $kind', ({ kind, enabled }) => {
  let h: Harness;
  let runA: number;
  let runB: number;
  let other: { stackId: number; token: string };
  // The server's clock; runs are created on the real one, so the lines sit shortly before it.
  const now = Date.now();
  const us = (ms: number) => ms * 1000;
  /** Lines of run A 30 min ago (info and error, two zones), of run B 3 h ago. */
  const aTime = now - 30 * 60_000;
  const bTime = now - 3 * 3_600_000;

  beforeAll(async () => {
    if (!enabled) return;
    h = await createHarness(kind, {}, () => new Date(now));
    const lt = await h.store.loadTests.create(h.stackId, { projectId: h.projectId, name: 'loki labels', script: { bytes: new TextEncoder().encode(script()), contentType: 'text/javascript' } });
    ({ run: { id: runA } } = await h.store.testRuns.create({ stackId: h.stackId, loadTestId: lt.id, startedBy: null }));
    ({ run: { id: runB } } = await h.store.testRuns.create({ stackId: h.stackId, loadTestId: lt.id, startedBy: null }));
    const labels = (run: number, lz: string, source = 'console') => ({ test_run_id: String(run), lz, instance_id: '0', source });
    await h.store.runLogs.append(runA, [
      { time: us(aTime), level: 'info', message: 'a0', labels: labels(runA, 'amazon:us:ashburn') },
      { time: us(aTime + 1), level: 'error', message: 'a1', labels: labels(runA, 'amazon:eu:dublin', 'stacktrace') },
      { time: us(aTime + 2), level: 'info', message: 'a2', labels: labels(runA, 'amazon:us:ashburn') },
    ]);
    await h.store.runLogs.append(runB, [{ time: us(bTime), level: 'warning', message: 'b0', labels: { ...labels(runB, 'amazon:us:ashburn'), pod: 'p1' } }]);
    const stack = await h.store.stacks.create('another stack');
    other = { stackId: stack.id, token: (await h.store.tokens.createForStack(stack.id, 'ci')).token };
  });
  afterAll(async () => {
    if (enabled) await h.close();
  });

  const get = (path: string, params: Record<string, string | string[]>, opts: Parameters<Harness['call']>[2] = { stackId: null }) => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) qs.append(k, one);
    return h.call('GET', `/loki/api/v1/${path}?${qs.toString()}`, opts);
  };
  const run = (id: number, more = '') => `{test_run_id="${id}"${more}}`;

  it.skipIf(!enabled)('lists a run’s label names and a label’s values in Loki’s shape, sorted, narrowed by the selector', async () => {
    const names = await get('labels', { query: run(runA) });
    expect(names.status).toBe(200);
    expect(names.body).toEqual({ status: 'success', data: ['instance_id', 'level', 'lz', 'source', 'test_run_id'] });
    expect((await get('label/lz/values', { query: run(runA) })).body).toEqual({ status: 'success', data: ['amazon:eu:dublin', 'amazon:us:ashburn'] });
    expect((await get('label/level/values', { query: run(runA, ', lz=~"amazon:us:.*"') })).body.data).toEqual(['info']);
    expect((await get('label/source/values', { query: run(runA, ', level!="info"') })).body.data).toEqual(['stacktrace']);
    expect((await get('label/pod/values', { query: run(runA) })).body).toEqual({ status: 'success', data: [] });
  });

  it.skipIf(!enabled)('reads start, end and since as Loki does: the last hour by default, nanoseconds, seconds or RFC 3339', async () => {
    // Run B logged 3 h ago: outside Loki's default hour, inside since=4h or an explicit start.
    expect((await get('labels', { query: run(runB) })).body.data).toEqual([]);
    expect((await get('labels', { query: run(runB), since: '4h' })).body.data).toContain('pod');
    expect((await get('labels', { query: run(runB), start: `${us(bTime)}000` })).body.data).toContain('pod');
    expect((await get('labels', { query: run(runB), start: String(Math.floor(bTime / 1000)) })).body.data).toContain('pod');
    expect((await get('labels', { query: run(runB), start: new Date(bTime - 1000).toISOString(), end: new Date(bTime + 1000).toISOString() })).body.data).toContain('pod');
    // `end` is exclusive, and `since` counts back from it.
    expect((await get('label/level/values', { query: run(runA), end: `${us(aTime + 1)}000`, since: '1m' })).body.data).toEqual(['info']);
    const bad = await get('labels', { query: run(runA), since: 'an hour' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('since must be a duration such as 30m, 1h or 7d');
    expect((await get('labels', { start: 'yesterday' })).body.error.message).toBe('start must be a Unix time in nanoseconds or seconds, or an RFC 3339 date');
  });

  it.skipIf(!enabled)('takes since on query_range too, whose default stays the whole run', async () => {
    const lines = async (params: Record<string, string>) => ((await get('query_range', { query: run(runB), ...params })).body.data.result as { values: [string, string][] }[]).flatMap((s) => s.values.map((v) => v[1]));
    expect(await lines({})).toEqual(['b0']);
    expect(await lines({ since: '1h' })).toEqual([]);
    expect(await lines({ since: '4h' })).toEqual(['b0']);
  });

  it.skipIf(!enabled)('without a query answers for the caller’s stack: its runs that logged in the window, not another stack’s', async () => {
    expect((await get('label/test_run_id/values', { since: '4h' })).body.data).toEqual([String(runA), String(runB)].sort());
    expect((await get('label/test_run_id/values', {})).body.data).toEqual([String(runA)]);
    // What Grafana's label browser asks first.
    expect((await get('labels', {})).body.data).toEqual(['instance_id', 'level', 'lz', 'source', 'test_run_id']);
    const foreign = await get('label/test_run_id/values', { since: '4h' }, { token: other.token, stackId: null });
    expect(foreign.body).toEqual({ status: 'success', data: [] });
  });

  it.skipIf(!enabled)('answers series for each match[] selector with the matching label sets', async () => {
    const res = await get('series', { 'match[]': [run(runA, ', level="error"'), run(runB)], since: '4h' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('success');
    expect(res.body.data).toHaveLength(2);
    expect(res.body.data).toEqual(expect.arrayContaining([
      { test_run_id: String(runA), level: 'error', lz: 'amazon:eu:dublin', instance_id: '0', source: 'stacktrace' },
      { test_run_id: String(runB), level: 'warning', lz: 'amazon:us:ashburn', instance_id: '0', source: 'console', pod: 'p1' },
    ]));
    const missing = await get('series', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.target).toBe('match[]');
    const filtered = await get('series', { 'match[]': `${run(runA)} |= "a1"` });
    expect(filtered.status).toBe(400);
    expect(filtered.body.error.message).toContain('stream selector only');
  });

  it.skipIf(!enabled)('refuses a log query on the instant query endpoint as Loki 3.2+ does, after checking the run and the token', async () => {
    const res = await get('query', { query: run(runA), limit: '10' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(INSTANT_LOG_QUERY_MESSAGE);
    expect((await get('query', { query: run(runA), time: 'later' })).body.error.target).toBe('time');
  });

  it.skipIf(!enabled)('answers Grafana’s log volume query on query_range: count_over_time per level at each step, as Loki’s matrix', async () => {
    // Grafana 11's log volume query, with the range it puts in for $__auto.
    const query = `sum by (level, detected_level) (count_over_time(${run(runA)} | drop __error__[1m]))`;
    const startS = Math.floor(aTime / 1000) - 59;
    const res = await get('query_range', { query, start: String(startS), end: String(startS + 180), step: '60' });
    expect(res.status).toBe(200);
    expect(res.body.data.resultType).toBe('matrix');
    const series = res.body.data.result as { metric: Record<string, string>; values: [number, string][] }[];
    // The lines sit in [startS + 59 s, startS + 60 s): only the step at startS + 60 s has them in its
    // window (t - 1m, t]; the steps without a line have no point.
    expect(series).toEqual(expect.arrayContaining([
      { metric: { level: 'info' }, values: [[startS + 60, '2']] },
      { metric: { level: 'error' }, values: [[startS + 60, '1']] },
    ]));
    expect(series).toHaveLength(2);
    // Per stream without an aggregation, and rate per second over the range.
    const streams = (await get('query_range', { query: `count_over_time(${run(runA, ', lz="amazon:us:ashburn"')}[1m])`, start: String(startS), end: String(startS + 180), step: '60' })).body.data.result;
    expect(streams).toEqual([{ metric: { test_run_id: String(runA), lz: 'amazon:us:ashburn', instance_id: '0', source: 'console', level: 'info' }, values: [[startS + 60, '2']] }]);
    const rate = (await get('query_range', { query: `sum(rate(${run(runA)} |= "a"[1m]))`, start: String(startS + 60), end: String(startS + 60), step: '1' })).body.data.result;
    expect(rate).toEqual([{ metric: {}, values: [[startS + 60, '0.05']] }]);
    // The same as an instant query at one time.
    const instant = await get('query', { query: `sum by (level) (count_over_time(${run(runA)}[5m]))`, time: String(startS + 60) });
    expect(instant.body.data.resultType).toBe('vector');
    expect(instant.body.data.result).toEqual(expect.arrayContaining([{ metric: { level: 'info' }, value: [startS + 60, '2'] }, { metric: { level: 'error' }, value: [startS + 60, '1'] }]));
    // Scoped like a log query; a function it does not answer is a 400 naming the query.
    expect((await get('query_range', { query, since: '1h' }, { token: other.token, stackId: null })).status).toBe(404);
    const unsupported = await get('query_range', { query: `quantile_over_time(0.99, ${run(runA)} | unwrap x [1m])`, since: '1h' });
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.error.message).toContain('quantile_over_time is not supported');
    const tooFine = await get('query_range', { query, start: '0', end: String(startS), step: '1' });
    expect(tooFine.body.error).toMatchObject({ target: 'step', message: expect.stringContaining('exceeded maximum resolution of 11,000 points') });
  });

  it.skipIf(!enabled)('answers Grafana’s "Save & test" probe, vector(1)+vector(1), as a vector of 2 at the query’s time', async () => {
    const probe = await get('query', { query: 'vector(1)+vector(1)', time: '1764234000000000000' });
    expect(probe.status).toBe(200);
    expect(probe.body).toEqual({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1764234000, '2'] }], stats: {} } });
    expect((await get('query', { query: 'vector(6) / vector(4)' })).body.data.result[0].value[1]).toBe('1.5');
    expect((await get('query', { query: 'vector(1)+vector(1)' }, { token: null, stackId: null })).status).toBe(401);
  });

  it.skipIf(!enabled)('scopes and authenticates like query_range: another stack’s run is a 404, no token a 401', async () => {
    for (const [path, params] of [['labels', { query: run(runA) }], ['label/level/values', { query: run(runA) }], ['series', { 'match[]': run(runA) }], ['query', { query: run(runA) }]] as const) {
      expect((await get(path, params, { token: other.token, stackId: null })).status, path).toBe(404);
      expect((await get(path, params, { token: other.token, stackId: other.stackId })).status, path).toBe(404);
      expect((await get(path, params, { token: null, stackId: null })).status, path).toBe(401);
    }
    expect((await get('labels', {}, { token: null, stackId: null })).status).toBe(401);
    expect((await get('labels', { query: run(runA + runB + 1000) })).status).toBe(404);
    expect((await get('labels', { query: '{lz="amazon:us:ashburn"}' })).status).toBe(400);
  });
});
