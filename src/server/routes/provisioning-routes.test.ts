// `k6 cloud run --local-execution` against Stampede, over both stores: the exact sequence of calls k6
// makes (internal/cloudapi/provisioning, internal/cmd/outputs_cloud.go, output/cloud/expv2), with its
// headers and bodies (the metrics push is protobuf in a snappy block, built as k6 builds it), and what
// an API client then sees of the run. Every answer of a spec operation is checked against the spec by
// the harness.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeK6MetricsPush } from '../../results/index.ts';
import { ABANDONED_AFTER_MS, endAbandonedLocalRuns } from '../local-execution.ts';
import type { K6Metric } from '../../results/index.ts';
import { createHarness, multipartBody, postgresAvailable, script } from '../test-support/api-harness.ts';
import type { Harness, StoreKind } from '../test-support/api-harness.ts';

const PG = await postgresAvailable();
const KINDS: { kind: StoreKind; enabled: boolean }[] = [
  { kind: 'sqlite', enabled: true },
  { kind: 'postgres', enabled: PG },
];

/** A slice of the lib.Options JSON k6 sends as `options` (json.Marshal of the consolidated options). */
function k6Options(thresholds: Record<string, string[]>): Record<string, unknown> {
  return {
    paused: null,
    scenarios: { default: { executor: 'constant-vus', startTime: null, gracefulStop: null, env: null, exec: null, tags: null, options: null, vus: 2, duration: '2s' } },
    executionSegment: null,
    executionSegmentSequence: null,
    noSetup: null,
    setupTimeout: null,
    noTeardown: null,
    teardownTimeout: null,
    rps: null,
    dns: { ttl: null, select: null, policy: null },
    maxRedirects: null,
    userAgent: null,
    batch: null,
    batchPerHost: null,
    httpDebug: null,
    insecureSkipTLSVerify: null,
    tlsCipherSuites: null,
    tlsVersion: null,
    tlsAuth: null,
    throw: null,
    thresholds,
    blacklistIPs: null,
    blockHostnames: null,
    hosts: null,
    noConnectionReuse: null,
    noVUConnectionReuse: null,
    minIterationDuration: null,
    ext: null,
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'],
    summaryTimeUnit: null,
    systemTags: ['check', 'error', 'error_code', 'expected_response', 'group', 'method', 'name', 'proto', 'scenario', 'service', 'status', 'subproto', 'tls_version', 'url'],
    tags: null,
    metricSamplesBufferSize: null,
    noCookiesReset: null,
    discardResponseBodies: null,
    cloud: { name: 'local test' },
    console: null,
    localIPs: null,
  };
}

/** Two seconds of a small HTTP test as k6's cloud output aggregates them (1 s periods, as Stampede asks). */
function pushedMetrics(t0: number, slow: boolean): K6Metric[] {
  const url = { name: 'http://127.0.0.1:8080/', method: 'GET', status: '200', scenario: 'default', expected_response: 'true', group: '' };
  const durations = (n: number, base: number) => Array.from({ length: n }, (_, i) => base + (i % 10) * 3 + (slow ? 400 : 0));
  return [
    { name: 'http_reqs', type: 'counter', series: [{ labels: url, samples: [{ time: t0, counter: 20 }, { time: t0 + 1000, counter: 22 }] }] },
    { name: 'http_req_duration', type: 'trend', series: [{ labels: url, samples: [{ time: t0, trend: durations(20, 10) }, { time: t0 + 1000, trend: durations(22, 12) }] }] },
    { name: 'http_req_failed', type: 'rate', series: [{ labels: url, samples: [{ time: t0, rate: Array(20).fill(false) }, { time: t0 + 1000, rate: Array(22).fill(false) }] }] },
    { name: 'checks', type: 'rate', series: [{ labels: { check: 'status is 200', scenario: 'default', group: '' }, samples: [{ time: t0, rate: Array(20).fill(true) }, { time: t0 + 1000, rate: [...Array(21).fill(true), false] }] }] },
    { name: 'vus', type: 'gauge', series: [{ labels: {}, samples: [{ time: t0, gauge: [1, 2] }, { time: t0 + 1000, gauge: [2] }] }] },
    { name: 'iterations', type: 'counter', series: [{ labels: { scenario: 'default' }, samples: [{ time: t0, counter: 20 }, { time: t0 + 1000, counter: 22 }] }] },
  ];
}

/** A k6 archive is a tar: enough of one for the upload's type check. */
function archiveBytes(): Buffer {
  const header = Buffer.alloc(512);
  header.write('metadata.json', 0);
  header.write('ustar\x0000', 257);
  return Buffer.concat([header, Buffer.alloc(512, 0x20), Buffer.alloc(1024)]);
}

/** The path and query of an absolute URL this server handed out. */
function local(url: string): string {
  const u = new URL(url);
  expect(u.hostname).toBe('localhost');
  return `${u.pathname}${u.search}`;
}

describe.each(KINDS)('k6 cloud run --local-execution over $kind', ({ kind, enabled }) => {
  let h: Harness;
  let counter = 0;
  beforeAll(async () => {
    if (enabled) h = await createHarness(kind);
  });
  afterAll(async () => {
    if (enabled) await h?.close();
  });
  const test = it.skipIf(!enabled);

  /** k6's CreateOrFindLoadTest: a multipart create with the name only; on 409 a lookup by name. */
  async function createOrFindLoadTest(name: string): Promise<number> {
    const form = multipartBody({ name });
    const created = await h.call('POST', `/cloud/v6/projects/${h.projectId}/load_tests`, { payload: form.payload, headers: { 'content-type': form.contentType } });
    if (created.status === 201) return created.body.id as number;
    expect(created.status).toBe(409);
    const found = await h.call('GET', `/cloud/v6/projects/${h.projectId}/load_tests?name=${encodeURIComponent(name)}`);
    return found.body.value[0].id as number;
  }

  async function startLocal(loadTestId: number, body: Record<string, unknown>, key = `k${(counter++).toString(16).padStart(15, '0')}`) {
    return h.call('POST', `/provisioning/v1/load_tests/${loadTestId}/start_local_execution`, { body, headers: { 'k6-idempotency-key': key } });
  }

  /** The metrics push exactly as expv2's metricsClient sends it, through provisioning.HTTPClient. */
  async function pushMetrics(url: string, token: string, runId: number, metrics: K6Metric[]) {
    return h.call('POST', local(url), {
      token,
      stackId: null,
      payload: Buffer.from(encodeK6MetricsPush(String(runId), 1, metrics)),
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'k6-metrics-protocol-version': '2.0', 'user-agent': 'k6cloud/v2.0.0' },
    });
  }

  async function notify(runId: number, token: string, error: { code: number; reason: string } | null) {
    return h.call('POST', `/provisioning/v1/test_runs/${runId}/notify`, { token, body: { event_type: 'script_execution_completed', error } });
  }

  test('the whole sequence: provision, upload the archive, wait for initializing, push metrics and logs, notify; the run reads like any other', async () => {
    const loadTestId = await createOrFindLoadTest('local test');
    expect(await createOrFindLoadTest('local test')).toBe(loadTestId);
    const archive = archiveBytes();
    const started = await startLocal(loadTestId, { options: k6Options({ http_req_duration: ['p(95)<500'], checks: ['rate>0.9'] }), max_vus: 2, total_duration: 32, archive_size: archive.length });
    expect(started.status).toBe(200);
    const { test_run_id: runId, runtime_config: rc, archive_upload_url: uploadUrl } = started.body;
    expect(rc.metrics.push_url).toBe(`http://localhost:80/provisioning/v1/test_runs/${runId}/metrics`);
    expect(rc.metrics.aggregation_period).toBe('1s');
    expect(rc.logs.push_url).toBe(`http://localhost:80/provisioning/v1/test_runs/${runId}/logs`);
    expect(rc.secrets.endpoint).toBe(`http://localhost:80/provisioning/v1/test_runs/${runId}/decrypt_secret?name={key}`);
    expect(started.body.test_run_details_page_url).toBe(`http://localhost:80/a/k6-app/runs/${runId}`);
    const token = rc.test_run_token as string;

    // Until the archive arrives k6 keeps polling: the run is created, not yet initializing.
    expect((await h.call('GET', `/cloud/v6/test_runs/${runId}`)).body.status).toBe('created');
    const upload = await h.call('PUT', local(uploadUrl), { token: null, stackId: null, payload: archive, headers: { 'content-type': 'application/x-tar' } });
    expect(upload.status).toBe(204);
    // The upload URL works once.
    expect((await h.call('PUT', local(uploadUrl), { token: null, stackId: null, payload: archive, headers: { 'content-type': 'application/x-tar' } })).status).toBe(401);
    const ready = await h.call('GET', `/cloud/v6/test_runs/${runId}`);
    expect(ready.body.status).toBe('initializing');
    expect(ready.body).toMatchObject({ test_id: loadTestId, max_vus: 2, estimated_duration: 32, options: { thresholds: { http_req_duration: ['p(95)<500'] } } });
    const runScript = await h.call('GET', `/cloud/v6/test_runs/${runId}/script`);
    expect(runScript.status).toBe(200);
    expect(Buffer.from(runScript.raw).equals(archive)).toBe(true);

    const t0 = Math.floor(Date.now() / 1000) * 1000;
    expect((await pushMetrics(rc.metrics.push_url, token, runId, pushedMetrics(t0, false))).status).toBe(204);
    expect((await h.call('GET', `/cloud/v6/test_runs/${runId}`)).body.status).toBe('running');
    const logs = await h.call('POST', local(rc.logs.push_url), { token, stackId: null, body: { streams: [
      { stream: { test_run_id: String(runId), level: 'info', source: 'console', lz: 'local' }, values: [[`${t0}000000`, 'hello from the VU']] },
      { stream: { test_run_id: '999', level: 'error' }, values: [[`${t0 + 1}000000`, 'Request Failed error=refused']] },
    ] } });
    expect(logs.status).toBe(204);
    // The pushed lines are the run's logs (the run's own id in test_run_id, whatever the push said).
    const kept = await h.call('GET', `/cloud/v6/test_runs/${runId}/logs`);
    expect(kept.body.value.map((l: { level: string; message: string; labels: Record<string, string> }) => [l.level, l.message, l.labels])).toEqual([
      ['info', 'hello from the VU', { lz: 'local', source: 'console', test_run_id: String(runId) }],
      ['error', 'Request Failed error=refused', { test_run_id: String(runId) }],
    ]);
    expect(rc.logs.tail_url).toBe('ws://localhost:80/loki/api/v1/tail');

    const done = await notify(runId, token, null);
    expect(done.status).toBe(204);
    const run = (await h.call('GET', `/cloud/v6/test_runs/${runId}`)).body;
    expect(run.status).toBe('completed');
    expect(run.result).toBe('passed');
    expect(run.status_history.map((s: { type: string }) => s.type)).toEqual(['created', 'queued', 'initializing', 'running', 'processing_metrics', 'completed']);
    expect(run.cost).not.toBeNull();
    const listed = await h.call('GET', `/cloud/v6/load_tests/${loadTestId}/test_runs`);
    expect(listed.body.value.map((r: { id: number }) => r.id)).toContain(runId);

    const summary = await h.call('GET', `/cloud/v6/test_runs/${runId}/summary`);
    expect(summary.status).toBe(200);
    expect(summary.body.metrics.http_reqs.values.count).toBe(42);
    expect(summary.body.metrics.checks.values).toMatchObject({ passes: 41, fails: 1 });
    expect(summary.body.metrics.http_req_duration.thresholds).toEqual({ 'p(95)<500': { ok: true } });
    expect(summary.body.metrics.http_req_duration.values.max).toBe(12 + 27);
    const q = encodeURIComponent("query_aggregate_k6(query='increase',metric='http_reqs')");
    const v5 = await h.call('GET', `/cloud/v5/test_runs/${runId}/${q}`);
    expect(v5.status).toBe(200);
    expect(v5.body.data.result[0].values[0][1]).toBe(42);

    // A repeated notification changes nothing; a push after the end is refused.
    expect((await notify(runId, token, { code: 8036, reason: 'late' })).status).toBe(204);
    expect((await h.call('GET', `/cloud/v6/test_runs/${runId}`)).body.status).toBe('completed');
    const late = await pushMetrics(rc.metrics.push_url, token, runId, pushedMetrics(t0 + 2000, false));
    expect(late.status).toBe(409);
  });

  test('failed thresholds make the run failed; k6 errors end it aborted as k6 cloud maps them', async () => {
    const loadTestId = await createOrFindLoadTest('outcomes');
    const options = k6Options({ http_req_duration: ['p(95)<100'] });
    const run = async (slow: boolean, error: { code: number; reason: string } | null) => {
      const started = await startLocal(loadTestId, { options, max_vus: 2, total_duration: 32, archive_size: null });
      expect(started.body.archive_upload_url).toBeNull();
      const { test_run_id: runId, runtime_config: rc } = started.body;
      expect((await h.call('GET', `/cloud/v6/test_runs/${runId}`)).body.status).toBe('initializing');
      expect((await pushMetrics(rc.metrics.push_url, rc.test_run_token, runId, pushedMetrics(Math.floor(Date.now() / 1000) * 1000, slow))).status).toBe(204);
      expect((await notify(runId, rc.test_run_token, error)).status).toBe(204);
      return (await h.call('GET', `/cloud/v6/test_runs/${runId}`)).body;
    };
    const failed = await run(true, null);
    expect(failed).toMatchObject({ status: 'completed', result: 'failed' });
    expect(failed.result_details.message).toMatch(/http_req_duration: p\(95\)<100/);

    const thresholdAbort = await run(true, { code: 8036, reason: 'thresholds on metrics "http_req_duration" were crossed' });
    expect(thresholdAbort).toMatchObject({ status: 'aborted', result: 'failed', status_details: { type: 'aborted', extra: { code: 8 } } });

    const userAbort = await run(false, { code: 8036, reason: 'test run was aborted because k6 received a "interrupt" signal' });
    expect(userAbort).toMatchObject({ status: 'aborted', result: 'error', status_details: { extra: { code: 5, message: 'test run was aborted because k6 received a "interrupt" signal' } } });

    const scriptError = await run(false, { code: 8035, reason: 'Uncaught (in promise) TypeError' });
    expect(scriptError).toMatchObject({ status: 'aborted', result: 'error', status_details: { extra: { code: 7, message: 'Uncaught (in promise) TypeError' } } });
  });

  test('pushes that repeat a second (k6 splits big periods over several pushes) add up', async () => {
    const loadTestId = await createOrFindLoadTest('split pushes');
    const { test_run_id: runId, runtime_config: rc } = (await startLocal(loadTestId, { options: k6Options({ http_reqs: ['count>10'] }), max_vus: 1, total_duration: 10 })).body;
    const t0 = Math.floor(Date.now() / 1000) * 1000;
    const reqs = (n: number, status: string): K6Metric[] => [{ name: 'http_reqs', type: 'counter', series: [{ labels: { name: 'u', status }, samples: [{ time: t0, counter: n }] }] }];
    expect((await pushMetrics(rc.metrics.push_url, rc.test_run_token, runId, reqs(5, '200'))).status).toBe(204);
    expect((await pushMetrics(rc.metrics.push_url, rc.test_run_token, runId, reqs(7, '200'))).status).toBe(204);
    expect((await pushMetrics(rc.metrics.push_url, rc.test_run_token, runId, reqs(1, '500'))).status).toBe(204);
    expect((await notify(runId, rc.test_run_token, null)).status).toBe(204);
    expect((await h.call('GET', `/cloud/v6/test_runs/${runId}`)).body.result).toBe('passed');
    expect((await h.call('GET', `/cloud/v6/test_runs/${runId}/summary`)).body.metrics.http_reqs.values.count).toBe(13);
  });

  test('concurrent log pushes keep the run at STAMPEDE_RUN_LOG_LINES, with one line saying the rest were dropped', async () => {
    const loadTestId = await createOrFindLoadTest('log flood');
    const { test_run_id: runId, runtime_config: rc } = (await startLocal(loadTestId, { options: k6Options({}), max_vus: 1, total_duration: 10 })).body;
    const t0 = Date.now();
    // 22 pushes of 1,000 lines at once against the default cap of 20,000.
    const pushes = Array.from({ length: 22 }, (_, p) => h.call('POST', local(rc.logs.push_url), { token: rc.test_run_token, stackId: null, body: { streams: [
      { stream: { level: 'info', source: 'console' }, values: Array.from({ length: 1000 }, (_, i) => [`${t0 + p}${String(i).padStart(6, '0')}`, `push ${p} line ${i}`]) },
    ] } }));
    expect((await Promise.all(pushes)).map((r) => r.status)).toEqual(Array(22).fill(204));
    expect(await h.store.runLogs.count(runId)).toBe(20_001);
    const latest = await h.call('GET', `/cloud/v6/test_runs/${runId}/logs?direction=backward&limit=5000`);
    const warnings = latest.body.value.filter((l: { level: string }) => l.level === 'warning');
    expect(warnings.map((l: { message: string }) => l.message)).toEqual(['Log lines past 20000 are dropped: a run keeps at most 20000 (STAMPEDE_RUN_LOG_LINES)']);
  });

  test('a script error before any metric ends the run aborted straight from initializing', async () => {
    const loadTestId = await createOrFindLoadTest('early error');
    const started = await startLocal(loadTestId, { options: k6Options({}), max_vus: 1, total_duration: 10 });
    const { test_run_id: runId, runtime_config: rc } = started.body;
    expect((await notify(runId, rc.test_run_token, { code: 8030, reason: 'An error occurred during setup() execution' })).status).toBe(204);
    const run = (await h.call('GET', `/cloud/v6/test_runs/${runId}`)).body;
    expect(run.status_history.map((s: { type: string }) => s.type)).toEqual(['created', 'queued', 'initializing', 'aborted']);
    expect(run).toMatchObject({ result: 'error', execution_duration: 0, status_details: { extra: { code: 7 } } });
    expect((await h.call('GET', `/cloud/v6/test_runs/${runId}/summary`)).status).toBe(404);
  });

  test('the request is checked against the spec, field by field', async () => {
    const loadTestId = await createOrFindLoadTest('validation');
    const missing = await startLocal(loadTestId, { options: {}, total_duration: 10 });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'validation_error', target: 'max_vus' });
    const negative = await startLocal(loadTestId, { options: {}, max_vus: 1, total_duration: -5 });
    expect(negative.status).toBe(400);
    expect(negative.body.error.target).toBe('total_duration');
    const zeroArchive = await startLocal(loadTestId, { options: {}, max_vus: 1, total_duration: 10, archive_size: 0 });
    expect(zeroArchive.status).toBe(400);
    expect(zeroArchive.body.error.target).toBe('archive_size');
    const tooBig = await startLocal(loadTestId, { options: {}, max_vus: 1, total_duration: 10, archive_size: 99_000_000 });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.message).toMatch(/--no-archive-upload/);
    const notJson = await h.call('POST', `/provisioning/v1/load_tests/${loadTestId}/start_local_execution`, { payload: 'x', headers: { 'content-type': 'text/plain' } });
    expect(notJson.status).toBe(400);
    expect((await startLocal(999_999, { options: {}, max_vus: 1, total_duration: 10 })).status).toBe(404);
    expect((await h.call('POST', `/provisioning/v1/load_tests/${loadTestId}/start_local_execution`, { token: 'stp_nope', body: { options: {}, max_vus: 1, total_duration: 10 } })).status).toBe(401);
    const badNotify = await h.call('POST', '/provisioning/v1/test_runs/1/notify', { body: { event_type: 'finished' } });
    expect([400, 404]).toContain(badNotify.status);
    const runs = await h.call('GET', `/cloud/v6/load_tests/${loadTestId}/test_runs`);
    expect(runs.body.value).toEqual([]);
  });

  test('K6-Idempotency-Key: a retry within 10 minutes answers the same run, with a working token', async () => {
    const loadTestId = await createOrFindLoadTest('idempotent');
    const body = { options: k6Options({}), max_vus: 1, total_duration: 10 };
    const first = await startLocal(loadTestId, body, '0123456789abcdef');
    const again = await startLocal(loadTestId, body, '0123456789abcdef');
    expect(again.body.test_run_id).toBe(first.body.test_run_id);
    const runs = await h.call('GET', `/cloud/v6/load_tests/${loadTestId}/test_runs?$count=true`);
    expect(runs.body['@count']).toBe(1);
    expect((await notify(first.body.test_run_id, again.body.runtime_config.test_run_token, null)).status).toBe(204);
    expect((await h.call('GET', `/cloud/v6/test_runs/${first.body.test_run_id}`)).body.status).toBe('completed');
  });

  test('a run breaking a project limit ends aborted (code 9) before k6 starts, as a started run would', async () => {
    const loadTestId = await createOrFindLoadTest('limited');
    expect((await h.call('PATCH', `/cloud/v6/projects/${h.projectId}/limits`, { body: { vu_max_per_test: 5 } })).status).toBe(204);
    try {
      const started = await startLocal(loadTestId, { options: k6Options({}), max_vus: 50, total_duration: 60, archive_size: 1000 });
      expect(started.status).toBe(200);
      // no upload URL: k6 skips the upload and stops on the limit's message, not on an upload's 409
      expect(started.body.archive_upload_url).toBeNull();
      const run = (await h.call('GET', `/cloud/v6/test_runs/${started.body.test_run_id}`)).body;
      expect(run).toMatchObject({ status: 'aborted', result: 'error', status_details: { extra: { code: 9 } } });
      expect(run.status_details.extra.message).toMatch(/vu_max_per_test/);
    } finally {
      await h.call('PATCH', `/cloud/v6/projects/${h.projectId}/limits`, { body: { vu_max_per_test: null } });
    }
  });

  test('tokens act for their own run only; secrets and AI SDK sessions are honestly absent', async () => {
    const loadTestId = await createOrFindLoadTest('scoped');
    const a = (await startLocal(loadTestId, { options: k6Options({}), max_vus: 1, total_duration: 10 })).body;
    const b = (await startLocal(loadTestId, { options: k6Options({}), max_vus: 1, total_duration: 10 })).body;
    expect((await notify(b.test_run_id, a.runtime_config.test_run_token, null)).status).toBe(403);
    expect((await pushMetrics(b.runtime_config.metrics.push_url, a.runtime_config.test_run_token, b.test_run_id, pushedMetrics(Date.now(), false))).status).toBe(403);
    expect((await pushMetrics(b.runtime_config.metrics.push_url, 'stprun_nope', b.test_run_id, pushedMetrics(Date.now(), false))).status).toBe(401);
    // The run id inside the protobuf must be the run's.
    expect((await pushMetrics(a.runtime_config.metrics.push_url, a.runtime_config.test_run_token, b.test_run_id, pushedMetrics(Date.now(), false))).status).toBe(400);
    const garbage = await h.call('POST', local(a.runtime_config.metrics.push_url), { token: a.runtime_config.test_run_token, stackId: null, payload: Buffer.from('not snappy at all'), headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' } });
    expect(garbage.status).toBe(400);

    const secret = await h.call('GET', `/provisioning/v1/test_runs/${a.test_run_id}/decrypt_secret?name=api_key`, { token: a.runtime_config.test_run_token, stackId: null });
    expect(secret.status).toBe(404);
    expect(secret.body.error.message).toMatch(/no secrets store/);
    expect((await h.call('GET', `/provisioning/v1/test_runs/${a.test_run_id}/decrypt_secret`, { token: a.runtime_config.test_run_token, stackId: null })).status).toBe(400);
    const ai = await h.call('GET', `/provisioning/v1/test_runs/${a.test_run_id}/aisdk_session`, { token: a.runtime_config.test_run_token, stackId: null });
    expect(ai.status).toBe(404);
    expect(ai.body.error.message).toMatch(/no AI SDK/);

    // A user token of the stack may notify too (e.g. to close a run whose k6 died); a run Stampede
    // executes itself is no local-execution run.
    expect((await notify(a.test_run_id, h.token, { code: 0, reason: 'k6 crashed' })).status).toBe(204);
    expect((await h.call('GET', `/cloud/v6/test_runs/${a.test_run_id}`)).body).toMatchObject({ status: 'aborted', status_details: { extra: { code: 6, message: 'k6 crashed' } } });
    const form = multipartBody({ name: 'cloud', script: { filename: 'test.js', data: Buffer.from(script('cloud')) } });
    const cloudTest = await h.call('POST', `/cloud/v6/projects/${h.projectId}/load_tests`, { payload: form.payload, headers: { 'content-type': form.contentType } });
    const cloudRun = await h.call('POST', `/cloud/v6/load_tests/${cloudTest.body.id}/start`);
    expect((await notify(cloudRun.body.id, h.token, null)).status).toBe(404);
    // A user abort from the API ends a local run too.
    expect((await h.call('POST', `/cloud/v6/test_runs/${b.test_run_id}/abort`)).status).toBe(204);
    expect((await h.call('GET', `/cloud/v6/test_runs/${b.test_run_id}`)).body.status).toBe('aborted');
  });

  test('without X-Stack-Id, which the spec does not give these operations, the stack is the load test\'s or the run\'s', async () => {
    // A client generated from the spec (Grafana's Go client) sends no X-Stack-Id here, with a personal or stack token.
    const loadTestId = await createOrFindLoadTest('no stack header');
    const started = await h.call('POST', `/provisioning/v1/load_tests/${loadTestId}/start_local_execution`, { stackId: null, body: { options: k6Options({}), max_vus: 1, total_duration: 10 } });
    expect(started.status).toBe(200);
    const runId = started.body.test_run_id as number;
    const secret = await h.call('GET', `/provisioning/v1/test_runs/${runId}/decrypt_secret?name=api_key`, { stackId: null });
    expect(secret.status).toBe(404);
    expect(secret.body.error.message).toMatch(/no secrets store/);
    expect((await h.call('GET', `/provisioning/v1/test_runs/${runId}/aisdk_session`, { stackId: null })).body.error.message).toMatch(/no AI SDK/);
    const done = await h.call('POST', `/provisioning/v1/test_runs/${runId}/notify`, { stackId: null, body: { event_type: 'script_execution_completed', error: null } });
    expect(done.status).toBe(204);
    expect((await h.call('GET', `/cloud/v6/test_runs/${runId}`)).body.status).toBe('completed');

    // Another stack's token learns nothing: its resources are as absent as unknown ids; a bad token is still a 401 first.
    const other = await h.store.stacks.create(`other stack ${kind}`);
    const otherToken = (await h.store.tokens.createForStack(other.id, 'ci')).token;
    const foreign = await h.call('POST', `/provisioning/v1/load_tests/${loadTestId}/start_local_execution`, { token: otherToken, stackId: null, body: { options: k6Options({}), max_vus: 1, total_duration: 10 } });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'not_found']);
    const unknown = await h.call('POST', '/provisioning/v1/load_tests/987654321/start_local_execution', { stackId: null, body: { options: k6Options({}), max_vus: 1, total_duration: 10 } });
    expect([unknown.status, unknown.body.error.message]).toEqual([404, 'Load test not found']);
    expect((await h.call('POST', `/provisioning/v1/test_runs/${runId}/notify`, { token: otherToken, stackId: null, body: { event_type: 'script_execution_completed', error: null } })).status).toBe(404);
    expect((await h.call('POST', `/provisioning/v1/load_tests/${loadTestId}/start_local_execution`, { token: 'stp_unknown', stackId: null, body: { options: k6Options({}), max_vus: 1, total_duration: 10 } })).status).toBe(401);
    // With the header, as k6 sends it, nothing changed: another stack named is a 403.
    const named = await h.call('POST', `/provisioning/v1/load_tests/${loadTestId}/start_local_execution`, { stackId: other.id, body: { options: k6Options({}), max_vus: 1, total_duration: 10 } });
    expect(named.status).toBe(403);
  });

  test('a run whose k6 went away without notifying ends timed out an hour after its planned end', async () => {
    const loadTestId = await createOrFindLoadTest('abandoned');
    const running = (await startLocal(loadTestId, { options: k6Options({}), max_vus: 1, total_duration: 120 })).body;
    expect((await pushMetrics(running.runtime_config.metrics.push_url, running.runtime_config.test_run_token, running.test_run_id, pushedMetrics(Math.floor(Date.now() / 1000) * 1000, false))).status).toBe(204);
    const waiting = (await startLocal(loadTestId, { options: k6Options({}), max_vus: 1, total_duration: 120, archive_size: 2048 })).body;
    const finished = (await startLocal(loadTestId, { options: k6Options({}), max_vus: 1, total_duration: 120 })).body;
    expect((await notify(finished.test_run_id, finished.runtime_config.test_run_token, null)).status).toBe(204);

    const ours = [running.test_run_id, waiting.test_run_id, finished.test_run_id];
    const sweep = async (at: Date) => (await endAbandonedLocalRuns(h.store, at)).filter((id) => ours.includes(id));
    expect(await sweep(new Date(Date.now() + ABANDONED_AFTER_MS - 60_000))).toEqual([]);
    // Past the hour, the run that never started is ended; the running one has its 120 s of plan more.
    const pastWaiting = new Date(Date.now() + ABANDONED_AFTER_MS + 60_000);
    expect(await sweep(pastWaiting)).toEqual([waiting.test_run_id]);
    expect(await sweep(new Date(pastWaiting.getTime() + 120_000))).toEqual([running.test_run_id]);
    const run = (await h.call('GET', `/cloud/v6/test_runs/${running.test_run_id}`)).body;
    expect(run).toMatchObject({ status: 'aborted', result: 'error', status_details: { extra: { code: 4 } } });
    expect(run.status_details.extra.message).toMatch(/did not report the end/);
    expect((await h.call('GET', `/cloud/v6/test_runs/${finished.test_run_id}`)).body.status).toBe('completed');
  });

  test('the orchestrator is not handed local-execution runs after a restart', async () => {
    const loadTestId = await createOrFindLoadTest('restart');
    const started = await startLocal(loadTestId, { options: k6Options({}), max_vus: 1, total_duration: 10 });
    const unfinished = await h.store.testRuns.listUnfinished();
    expect(unfinished.map((r) => r.id)).not.toContain(started.body.test_run_id);
    expect(await h.store.runTokens.isLocalExecution(started.body.test_run_id)).toBe(true);
  });
});
