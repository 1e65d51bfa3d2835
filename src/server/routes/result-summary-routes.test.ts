// The result reads of Grafana Cloud k6 that grafana/run-k6-action makes for its pull request comment,
// exactly as it sends them: OData keys in parentheses, `Authorization: Token …`, no X-Stack-Id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test-support/api-harness.ts';

const T0 = 1_700_000_000_000;
let h: Harness;
let failedRun: number;
let runningRun: number;
let otherToken: string;

/** The action's own request: its headers and query strings, nothing else. */
function actionGet(path: string, token = h.token): ReturnType<Harness['call']> {
  return h.call('GET', path, { token: null, stackId: null, headers: { authorization: `Token ${token}`, 'content-type': 'application/json' } });
}
const summaryPath = (id: number): string => `/cloud/v5/test_runs(${id})/result_summary?$select=metrics_summary,baseline_test_run_details`;
const checksPath = (id: number): string => `/loadtests/v4/test_runs(${id})/checks?$select=name,metric_summary&$filter=group_id eq null`;

beforeAll(async () => {
  h = await createHarness('sqlite');
  const test = await h.store.loadTests.create(h.stackId, { projectId: h.projectId, name: 'ci', script: { bytes: new TextEncoder().encode('export default () => {}'), contentType: 'text/javascript' } });
  failedRun = (await h.store.testRuns.create({ stackId: h.stackId, loadTestId: test.id, startedBy: null, now: new Date(T0 - 1000) })).run.id;
  for (const to of ['queued', 'initializing', 'running'] as const) await h.store.testRuns.transition(failedRun, to, { at: new Date(T0) });
  // Two seconds of a run: 10 then 30 requests, 4 of them failed; a check at the root failing once
  // and one in a group that always passes.
  for (const [s, reqs, failed] of [[0, 10, 0], [1, 30, 4]] as const) {
    await h.store.runMetrics.append(failedRun, {
      time: T0 + s * 1000,
      metrics: [
        { name: 'http_reqs', type: 'counter', contains: 'default' },
        { name: 'http_req_failed', type: 'rate', contains: 'default' },
        { name: 'http_req_duration', type: 'trend', contains: 'time' },
        { name: 'checks', type: 'rate', contains: 'default' },
        { name: 'ws_sessions', type: 'counter', contains: 'default' },
        { name: 'ws_msgs_sent', type: 'counter', contains: 'default' },
        { name: 'ws_msgs_received', type: 'counter', contains: 'default' },
        { name: 'ws_connecting', type: 'trend', contains: 'time' },
        { name: 'grpc_req_duration', type: 'trend', contains: 'time' },
      ],
      series: [
        { metric: 'http_reqs', tags: { name: 'http://x/', status: '200' }, counter: { sum: reqs } },
        { metric: 'http_req_failed', tags: { name: 'http://x/' }, rate: { nonzero: failed, total: reqs } },
        { metric: 'http_req_duration', tags: { name: 'http://x/' }, trend: { count: 2, sum: 40 + s * 200, min: 10 + s * 100, max: 30 + s * 100, values: [10 + s * 100, 30 + s * 100] } as never },
        { metric: 'checks', tags: { group: '', check: 'status is 200' }, rate: { nonzero: reqs - failed, total: reqs } },
        { metric: 'checks', tags: { group: '::login', check: 'has token' }, rate: { nonzero: 2, total: 2 } },
        { metric: 'ws_sessions', tags: { url: 'ws://x/' }, counter: { sum: 1 } },
        { metric: 'ws_msgs_sent', tags: { url: 'ws://x/' }, counter: { sum: 5 } },
        { metric: 'ws_msgs_received', tags: { url: 'ws://x/' }, counter: { sum: 7 } },
        { metric: 'ws_connecting', tags: { url: 'ws://x/' }, trend: { count: 1, sum: 3, min: 3, max: 3, values: [3] } as never },
        { metric: 'grpc_req_duration', tags: { name: 'svc/Hello' }, trend: { count: 3, sum: 6, min: 1, max: 3, values: [1, 2, 3] } as never },
      ],
    });
  }
  const summary = {
    root_group: { name: '', path: '', id: 'x', groups: [], checks: [] },
    options: { summaryTrendStats: ['avg'], summaryTimeUnit: '', noColor: false },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 2000 },
    metrics: {
      http_reqs: { type: 'counter', contains: 'default', values: { count: 40, rate: 19.5 } },
      http_req_failed: { type: 'rate', contains: 'default', values: { rate: 0.1 }, thresholds: { 'rate<0.01': { ok: false } } },
      http_req_duration: { type: 'trend', contains: 'time', values: { avg: 50 }, thresholds: { 'p(95)<500': { ok: true }, 'avg<400': { ok: true } } },
    },
    setup_data: null,
  };
  await h.store.testRuns.transition(failedRun, 'processing_metrics', { at: new Date(T0 + 2000) });
  await h.store.testRuns.transition(failedRun, 'completed', { at: new Date(T0 + 2000), fields: { summary, thresholds: { http_req_failed: { 'rate<0.01': true } } } }); // {metric: {expr: failed}}
  runningRun = (await h.store.testRuns.create({ stackId: h.stackId, loadTestId: test.id, startedBy: null })).run.id;
  const other = await h.store.stacks.create('other');
  otherToken = (await h.store.tokens.createForStack(other.id, 'ci')).token;
});

afterAll(async () => {
  await h?.close();
});

describe('GET /cloud/v5/test_runs({id})/result_summary', () => {
  it("answers the figures grafana/run-k6-action renders: HTTP, checks, thresholds and the run's result", async () => {
    const res = await actionGet(summaryPath(failedRun));
    expect(res.status).toBe(200);
    expect(res.body.result_status).toBe('Failed');
    expect(res.body.baseline_test_run_details).toBeNull();
    const m = res.body.metrics_summary;
    expect(m.http_metric_summary).toMatchObject({ requests_count: 40, failures_count: 4, rps_max: 30 });
    // The mean rate is the summary's, over the test's exact duration (the stored seconds say 20/s).
    expect(m.http_metric_summary.rps_mean).toBe(19.5);
    expect(m.http_metric_summary.duration).toMatchObject({ count: 4, min: 10, max: 130, mean: 70 });
    expect(m.http_metric_summary.duration.p99).toBeGreaterThan(m.http_metric_summary.duration.p95 - 1e-9);
    expect(m.http_metric_summary.duration.stdev).toBeGreaterThan(0);
    // Two checks, one of which failed at least once; 44 evaluations, 40 passed.
    expect(m.checks_metric_summary).toEqual({ total: 2, successes: 1, hits_total: 44, hits_successes: 40 });
    expect(m.thresholds_summary).toEqual({ total: 3, successes: 2 });
    expect(m.ws_metric_summary).toMatchObject({ sessions: 2, msgs_sent: 10, msgs_received: 14, connecting: { count: 2, min: 3, max: 3, mean: 3 } });
    expect(m.grpc_metric_summary).toMatchObject({ requests_count: 6, duration: { count: 6, min: 1, max: 3, mean: 2 }, duration_median: 2 });
    expect(m.browser_metric_summary).toBeNull();
  });

  it('answers a run that has not ended without a result or thresholds yet', async () => {
    const res = await actionGet(summaryPath(runningRun));
    expect(res.status).toBe(200);
    expect(res.body.result_status).toBeNull();
    expect(res.body.metrics_summary.http_metric_summary).toBeNull();
    expect(res.body.metrics_summary.thresholds_summary).toBeNull();
  });

  it("is scoped to the token's stack and refuses requests without credentials", async () => {
    expect((await actionGet(summaryPath(failedRun), otherToken)).status).toBe(404);
    expect((await h.call('GET', summaryPath(failedRun), { token: null, stackId: null })).status).toBe(401);
    expect((await actionGet('/cloud/v5/test_runs(abc)/result_summary')).status).toBe(404);
  });
});

describe('GET /loadtests/v4/test_runs({id})/checks', () => {
  it('answers the checks outside any group with their counts for $filter=group_id eq null', async () => {
    const res = await actionGet(checksPath(failedRun));
    expect(res.status).toBe(200);
    expect(res.body.value).toEqual([{ name: 'status is 200', group_path: '', metric_summary: { success_count: 36, fail_count: 4, success_rate: 0.9 } }]);
  });

  it('answers every check without a filter, and refuses a filter it does not understand', async () => {
    const all = await actionGet(`/loadtests/v4/test_runs(${failedRun})/checks`);
    expect(all.body.value.map((c: { name: string; group_path: string }) => `${c.group_path}|${c.name}`)).toEqual(['|status is 200', '::login|has token']);
    const bad = await actionGet(`/loadtests/v4/test_runs(${failedRun})/checks?$filter=name eq 'x'`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.target).toBe('$filter');
  });
});
