import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test-support/api-harness.ts';

const T0 = 1_700_000_000_000;
let h: Harness;
let runId: number;
let loadTestId: number;
let laterRunId: number;
let foreignRunId: number;
let otherToken: string;
let otherStackId: number;

beforeAll(async () => {
  h = await createHarness('sqlite');
  const test = await h.store.loadTests.create(h.stackId, { projectId: h.projectId, name: 'v5', script: { bytes: new TextEncoder().encode('export default () => {}'), contentType: 'text/javascript' } });
  const { run } = await h.store.testRuns.create({ stackId: h.stackId, loadTestId: test.id, startedBy: null, now: new Date(T0 - 5000) });
  runId = run.id;
  for (const to of ['queued', 'initializing', 'running'] as const) await h.store.testRuns.transition(runId, to, { at: new Date(T0) });
  // Two runners' batches for the same seconds, as the orchestrator appends them.
  for (const runner of [0, 1]) {
    for (let s = 0; s < 3; s++) {
      await h.store.runMetrics.append(runId, {
        time: T0 + s * 1000,
        metrics: [
          { name: 'http_reqs', type: 'counter', contains: 'default' },
          { name: 'http_req_duration', type: 'trend', contains: 'time' },
        ],
        series: [
          { metric: 'http_reqs', tags: { name: 'http://x/a', status: '200' }, counter: { sum: 5 + runner } },
          { metric: 'http_reqs', tags: { name: 'http://x/b', status: '404' }, counter: { sum: 1 } },
          { metric: 'http_req_duration', tags: { name: 'http://x/a', status: '200' }, trend: { count: 2, sum: 30 + runner * 100, min: 10 + runner * 100, max: 20 + runner * 100, values: [10 + runner * 100, 20 + runner * 100] } as never },
        ],
      });
    }
  }
  for (const to of ['processing_metrics', 'completed'] as const) await h.store.testRuns.transition(runId, to, { at: new Date(T0 + 3000) });
  loadTestId = test.id;
  // A later run of the same test, and a run of another test.
  laterRunId = (await h.store.testRuns.create({ stackId: h.stackId, loadTestId: test.id, startedBy: null, now: new Date(T0 + 60_000) })).run.id;
  await h.store.runMetrics.append(laterRunId, {
    time: T0 + 60_000,
    metrics: [{ name: 'http_reqs', type: 'counter', contains: 'default' }, { name: 'my_gauge', type: 'gauge', contains: 'default' }],
    series: [
      { metric: 'http_reqs', tags: { name: 'http://x/a', status: '200', scenario: 'later' }, counter: { sum: 4 } },
      { metric: 'my_gauge', tags: {}, gauge: { last: 1, min: 1, max: 1 } },
    ],
  });
  const otherTest = await h.store.loadTests.create(h.stackId, { projectId: h.projectId, name: 'other', script: { bytes: new TextEncoder().encode('export default () => {}'), contentType: 'text/javascript' } });
  foreignRunId = (await h.store.testRuns.create({ stackId: h.stackId, loadTestId: otherTest.id, startedBy: null })).run.id;
  const other = await h.store.stacks.create('other stack');
  otherStackId = other.id;
  otherToken = (await h.store.tokens.createForStack(other.id, 'ci')).token;
});

afterAll(async () => {
  await h?.close();
});

describe('v5 metrics API over HTTP', () => {
  it('lists the run metrics', async () => {
    const res = await h.call('GET', `/cloud/v5/test_runs/${runId}/metrics`);
    expect(res.status).toBe(200);
    expect(res.body.value.map((m: { name: string; type: string; origin: string }) => `${m.name}:${m.type}:${m.origin}`)).toEqual(['http_req_duration:trend:builtin', 'http_reqs:counter:builtin']);
  });

  it('answers a percent-encoded query_range_k6 call merging both runners', async () => {
    const call = `query_range_k6(query='increase by (name,status)',metric='http_reqs{status!="0"}',step=1)`;
    const res = await h.call('GET', `/cloud/v5/test_runs/${runId}/${encodeURIComponent(call)}`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('success');
    expect(res.body.data.resultType).toBe('matrix');
    const a = res.body.data.result.find((r: { metric: Record<string, string> }) => r.metric['name'] === 'http://x/a');
    expect(a.metric).toEqual({ __name__: 'http_reqs', name: 'http://x/a', status: '200', test_run_id: String(runId) });
    expect(a.values).toEqual([[T0 / 1000 + 1, 11], [T0 / 1000 + 2, 11], [T0 / 1000 + 3, 11]]);
  });

  it('answers query_aggregate_k6 with a regex matcher holding a "?" and URL-unsafe characters', async () => {
    const call = `query_aggregate_k6(query='histogram_quantile(0.5) by (name)',metric='http_req_duration{name=~"https?://x/.*"}')`;
    const res = await h.call('GET', `/cloud/v5/test_runs/${runId}/${encodeURIComponent(call)}`);
    expect(res.status).toBe(200);
    expect(res.body.data.resultType).toBe('vector');
    // six samples 10,20 (runner 0) and 110,120 (runner 1) per second: median of 10,10,10,20,20,20,110,…
    expect(res.body.data.result).toEqual([{ metric: { __name__: 'http_req_duration', name: 'http://x/a', test_run_id: String(runId) }, values: [[T0 / 1000 + 3, 65]] }]);
    // As a client that only escapes spaces sends it: the raw "?" belongs to the regex, not a query string.
    const raw = await h.call('GET', `/cloud/v5/test_runs/${runId}/${call.replace(/ /g, '%20')}`);
    expect(raw.status).toBe(200);
    expect(raw.body.data.result).toEqual(res.body.data.result);
  });

  it('series, labels and label values', async () => {
    const series = await h.call('GET', `/cloud/v5/test_runs/${runId}/series?match[]=${encodeURIComponent('http_reqs{status="404"}')}`);
    expect(series.body).toEqual({ status: 'success', data: [{ __name__: 'http_reqs', name: 'http://x/b', status: '404', test_run_id: String(runId) }] });
    const labels = await h.call('GET', `/cloud/v5/test_runs/${runId}/labels`);
    expect(labels.body.data).toEqual(['__name__', 'name', 'status', 'test_run_id']);
    const values = await h.call('GET', `/cloud/v5/test_runs/${runId}/label/status/values?match[]=http_reqs&match[]=http_req_duration`);
    expect(values.body.data).toEqual(['200', '404']);
  });

  it('a bad query is a 400 with the reason', async () => {
    const res = await h.call('GET', `/cloud/v5/test_runs/${runId}/${encodeURIComponent("query_range_k6(query='histogram_quantile(0.95)',metric='http_reqs')")}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/does not apply to the counter metric "http_reqs"/);
  });

  it('an unknown function segment is a 404', async () => {
    const res = await h.call('GET', `/cloud/v5/test_runs/${runId}/${encodeURIComponent("query_instant(query='x')")}`);
    expect(res.status).toBe(404);
  });

  it('accepts v5 clients that send no X-Stack-Id (the token\'s stack) and k6\'s "Token" scheme', async () => {
    const res = await h.call('GET', `/cloud/v5/test_runs/${runId}/metrics`, { token: null, stackId: null, headers: { authorization: `Token ${h.token}` } });
    expect(res.status).toBe(200);
    const other = await h.call('GET', `/cloud/v5/test_runs/${runId}/metrics`, { token: otherToken, stackId: null });
    expect(other.status).toBe(404);
  });

  it('lists metrics across the runs of a load test: type and the union of labels', async () => {
    const res = await h.call('GET', `/cloud/v5/load_tests/${loadTestId}/metrics`);
    expect(res.status).toBe(200);
    expect(res.body.value).toEqual([
      { name: 'http_req_duration', type: 'trend', labels: ['__name__', 'name', 'status', 'test_run_id'] },
      { name: 'http_reqs', type: 'counter', labels: ['__name__', 'name', 'scenario', 'status', 'test_run_id'] },
      { name: 'my_gauge', type: 'gauge', labels: ['__name__', 'test_run_id'] },
    ]);
    const newest = await h.call('GET', `/cloud/v5/load_tests/${loadTestId}/metrics(test_run_count=1)`);
    expect(newest.body.value.map((m: { name: string }) => m.name)).toEqual(['http_reqs', 'my_gauge']);
  });

  it('aggregates each selected run, told apart by test_run_id', async () => {
    const call = (params: string) => h.call('GET', `/cloud/v5/load_tests/${loadTestId}/${encodeURIComponent(`query_aggregate_k6(query='increase',metric='http_reqs{name="http://x/a"}',${params})`)}`);
    const both = await call(`test_run_ids=[${runId},${laterRunId}]`);
    expect(both.status).toBe(200);
    expect(Object.fromEntries(both.body.data.result.map((r: { metric: Record<string, string>; values: [number, number][] }) => [r.metric['test_run_id'], r.values[0]?.[1]]))).toEqual({ [String(runId)]: 33, [String(laterRunId)]: 4 });
    const newest = await call('test_run_count=1');
    expect(newest.body.data.result.map((r: { metric: Record<string, string> }) => r.metric['test_run_id'])).toEqual([String(laterRunId)]);
    expect((await call(`test_run_ids=[${runId},${foreignRunId}]`)).status).toBe(404);
    const none = await h.call('GET', `/cloud/v5/load_tests/${loadTestId}/${encodeURIComponent("query_aggregate_k6(query='increase',metric='http_reqs')")}`);
    expect(none.status).toBe(400);
    expect(none.body.error.message).toMatch(/test_run_count or test_run_ids/);
    expect((await h.call('GET', `/cloud/v5/load_tests/${loadTestId}/metrics`, { token: otherToken, stackId: otherStackId })).status).toBe(404);
  });

  it('needs a token (401), a member stack (403), and hides other stacks\' runs (404)', async () => {
    expect((await h.call('GET', `/cloud/v5/test_runs/${runId}/metrics`, { token: null })).status).toBe(401);
    expect((await h.call('GET', `/cloud/v5/test_runs/${runId}/metrics`, { stackId: otherStackId })).status).toBe(403);
    const other = await h.call('GET', `/cloud/v5/test_runs/${runId}/${encodeURIComponent("query_aggregate_k6(query='increase',metric='http_reqs')")}`, { token: otherToken, stackId: otherStackId });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
    expect((await h.call('GET', `/cloud/v5/test_runs/999999/labels`)).status).toBe(404);
  });
});
