import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test-support/api-harness.ts';

// What a runner reports at the end (the engine's handleSummary data), as the orchestrator stores it.
const SUMMARY = {
  root_group: {
    name: '',
    path: '',
    id: 'd41d8cd98f00b204e9800998ecf8427e',
    groups: [{ name: 'login', path: '::login', id: '2d9f2e5c', groups: [], checks: [{ name: 'token', path: '::login::token', id: 'aa', passes: 6, fails: 4 }] }],
    checks: [{ name: 'status is 200', path: '::status is 200', id: 'bb', passes: 10, fails: 0 }],
  },
  options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'], summaryTimeUnit: '', noColor: false },
  state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 10123 },
  metrics: {
    http_req_duration: { type: 'trend', contains: 'time', values: { avg: 160, min: 100, med: 160, max: 220, 'p(90)': 208, 'p(95)': 214 }, thresholds: { 'p(95)<200': { ok: false } } },
    http_req_waiting: { type: 'trend', contains: 'time', values: { avg: 150, min: 95, med: 150, max: 210, 'p(90)': 198, 'p(95)': 204 } },
    checks: { type: 'rate', contains: 'default', values: { rate: 0.8, passes: 16, fails: 4 }, thresholds: { 'rate>0.5': { ok: true } } },
  },
  setup_data: { token: 'abc' },
};

/** The text of one `█ TITLE` section of a text summary, up to the next one. */
function section(text: string, title: string): string {
  const start = text.indexOf(`█ ${title} \n`);
  expect(start, title).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('█', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

let h: Harness;
const runs: Record<'done' | 'running' | 'noSummary' | 'lost' | 'ungrouped', number> = { done: 0, running: 0, noSummary: 0, lost: 0, ungrouped: 0 };
let otherToken: string;
let otherStackId: number;

beforeAll(async () => {
  h = await createHarness('sqlite');
  const test = await h.store.loadTests.create(h.stackId, { projectId: h.projectId, name: 'summary', script: { bytes: new TextEncoder().encode('export default () => {}'), contentType: 'text/javascript' } });
  const create = async () => (await h.store.testRuns.create({ stackId: h.stackId, loadTestId: test.id, startedBy: null })).run.id;
  runs.done = await create();
  for (const to of ['queued', 'initializing', 'running', 'processing_metrics'] as const) await h.store.testRuns.transition(runs.done, to);
  // Its per-second metrics, tagged by scenario and group as the engine tags samples.
  await h.store.runMetrics.append(runs.done, {
    time: 1_700_000_000_000,
    metrics: [
      { name: 'http_reqs', type: 'counter', contains: 'default' },
      { name: 'http_req_duration', type: 'trend', contains: 'time' },
      { name: 'checks', type: 'rate', contains: 'default' },
    ],
    series: [
      { metric: 'http_reqs', tags: { scenario: 'default', group: '::login' }, counter: { sum: 10 } },
      { metric: 'http_req_duration', tags: { scenario: 'default', group: '::login' }, trend: { count: 2, sum: 300, min: 100, max: 200, values: [100, 200] } as never },
      { metric: 'checks', tags: { scenario: 'default', group: '::login', check: 'token' }, rate: { nonzero: 6, total: 10 } },
      { metric: 'checks', tags: { scenario: 'browse', group: '::cart', check: 'in stock' }, rate: { nonzero: 3, total: 4 } },
      { metric: 'http_reqs', tags: { scenario: 'browse' }, counter: { sum: 4 } },
    ],
  });
  await h.store.testRuns.transition(runs.done, 'completed', { fields: { summary: SUMMARY, thresholds: { http_req_duration: { 'p(95)<200': true }, checks: { 'rate>0.5': false } } } });
  runs.running = await create();
  for (const to of ['queued', 'initializing', 'running'] as const) await h.store.testRuns.transition(runs.running, to);
  runs.noSummary = await create();
  await h.store.testRuns.transition(runs.noSummary, 'aborted');
  // A run whose runner died: metrics were stored each second, no summary was reported.
  runs.lost = await create();
  for (const to of ['queued', 'initializing', 'running'] as const) await h.store.testRuns.transition(runs.lost, to);
  await h.store.testRuns.updateFields(runs.lost, { options: { thresholds: { http_reqs: ['count>5'], checks: ['rate==1'] } } });
  for (let s = 0; s < 2; s++) {
    await h.store.runMetrics.append(runs.lost, {
      time: 1_700_000_000_000 + s * 1000,
      metrics: [
        { name: 'http_reqs', type: 'counter', contains: 'default' },
        { name: 'checks', type: 'rate', contains: 'default' },
      ],
      series: [
        { metric: 'http_reqs', tags: { status: '200' }, counter: { sum: 4 } },
        { metric: 'checks', tags: { check: 'ok', group: '' }, rate: { nonzero: 3, total: 4 } },
      ],
    });
  }
  await h.store.testRuns.transition(runs.lost, 'aborted');
  // systemTags without group: the checks are in no group of root_group, but the text lists them.
  runs.ungrouped = await create();
  for (const to of ['queued', 'initializing', 'running', 'processing_metrics'] as const) await h.store.testRuns.transition(runs.ungrouped, to);
  await h.store.runMetrics.append(runs.ungrouped, {
    time: 1_700_000_000_000,
    metrics: [{ name: 'checks', type: 'rate', contains: 'default' }],
    series: [
      { metric: 'checks', tags: { check: 'in a group' }, rate: { nonzero: 2, total: 2 } },
      { metric: 'checks', tags: { check: 'at the root' }, rate: { nonzero: 1, total: 2 } },
    ],
  });
  const ungrouped = {
    ...SUMMARY,
    root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: [], checks: [] },
    metrics: { checks: { type: 'rate', contains: 'default', values: { rate: 0.75, passes: 3, fails: 1 } } },
  };
  await h.store.testRuns.transition(runs.ungrouped, 'completed', { fields: { summary: ungrouped } });
  const other = await h.store.stacks.create('other');
  otherStackId = other.id;
  otherToken = (await h.store.tokens.createForStack(other.id, 'ci')).token;
});

afterAll(async () => {
  await h?.close();
});

describe('GET /cloud/v6/test_runs/{id}/summary', () => {
  it('answers the handleSummary data the run produced, with threshold outcomes and checks per group', async () => {
    const res = await h.call('GET', `/cloud/v6/test_runs/${runs.done}/summary`);
    expect(res.status).toBe(200);
    const { text, ...data } = res.body;
    expect(data).toEqual(SUMMARY);
    expect(data.metrics.http_req_duration.thresholds).toEqual({ 'p(95)<200': { ok: false } });
    expect(data.root_group.groups[0].checks[0]).toMatchObject({ name: 'token', passes: 6, fails: 4 });
    // k6's text layout: the failed threshold with a cross, the checks block, the HTTP section.
    expect(text).toContain('█ THRESHOLDS');
    expect(text).toMatch(/✗ 'p\(95\)<200'/);
    expect(text).toContain('█ TOTAL RESULTS');
    expect(text).toContain('http_req_duration');
  });

  it('summary_mode=full adds the detailed HTTP timings and a section per group and per scenario, like k6 --summary-mode=full', async () => {
    const compact = await h.call('GET', `/cloud/v6/test_runs/${runs.done}/summary`);
    expect((await h.call('GET', `/cloud/v6/test_runs/${runs.done}/summary?summary_mode=compact`)).body).toEqual(compact.body);
    expect(compact.body.text).not.toContain('GROUP:');
    expect(compact.body.text).not.toContain('http_req_waiting');

    const full = await h.call('GET', `/cloud/v6/test_runs/${runs.done}/summary?summary_mode=full`);
    expect(full.status).toBe(200);
    const { text, ...data } = full.body;
    expect(data).toEqual(SUMMARY);
    expect(text).toContain('█ THRESHOLDS');
    expect(text).toContain('    http_req_waiting....: avg=150ms');
    // The login group: its own checks and requests (10 in the run's 10.123 s).
    const login = section(text, 'GROUP: login');
    expect(login).toContain('\n    checks_total.......: 10     0.987849/s\n    checks_succeeded...: 60.00% 6 out of 10\n');
    expect(login).toContain('\n    ✗ token\n      ↳  60% — ✓ 6 / ✗ 4\n');
    expect(login).toContain('\n    http_req_duration...: avg=150ms min=100ms med=150ms max=200ms p(90)=190ms p(95)=195ms\n');
    expect(login).not.toContain('status is 200');
    // A named scenario gets its own section, its groups nested under it.
    const browse = section(text, 'SCENARIO: browse');
    expect(browse).toContain('\n    checks_total.......: 4      0.39514/s\n');
    expect(browse).toContain('\n    http_reqs...: 4 0.39514/s\n');
    expect(browse).toMatch(/\n {4}↳ GROUP: cart \n\n {6}checks_total\.+: 4 /);
    expect(text.indexOf('█ GROUP: login')).toBeLessThan(text.indexOf('█ SCENARIO: browse'));
  });

  it('lists checks whose samples had no group tag (systemTags without group) from the stored metrics', async () => {
    for (const mode of ['compact', 'full']) {
      const res = await h.call('GET', `/cloud/v6/test_runs/${runs.ungrouped}/summary?summary_mode=${mode}`);
      expect(res.status).toBe(200);
      expect(res.body.root_group.checks).toEqual([]);
      expect(section(res.body.text, 'TOTAL RESULTS')).toContain('✓ in a group\n    ✗ at the root\n      ↳  50% — ✓ 1 / ✗ 1\n');
      expect(res.body.text).not.toContain('█ GROUP');
    }
  });

  it('an unknown summary_mode is a 400 naming the modes', async () => {
    for (const query of ['summary_mode=legacy', 'summary_mode=FULL', 'summary_mode=full&summary_mode=compact']) {
      const res = await h.call('GET', `/cloud/v6/test_runs/${runs.done}/summary?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_error', target: 'summary_mode', message: 'summary_mode must be one of compact, full' });
    }
  });

  it('rebuilds the summary from the stored metrics when the runner reported none, thresholds judged on them', async () => {
    const res = await h.call('GET', `/cloud/v6/test_runs/${runs.lost}/summary`);
    expect(res.status).toBe(200);
    expect(res.body.metrics.http_reqs).toEqual({ type: 'counter', contains: 'default', values: { count: 8, rate: 4 }, thresholds: { 'count>5': { ok: true } } });
    expect(res.body.metrics.checks.thresholds).toEqual({ 'rate==1': { ok: false } });
    expect(res.body.root_group.checks).toMatchObject([{ name: 'ok', passes: 6, fails: 2 }]);
    const full = await h.call('GET', `/cloud/v6/test_runs/${runs.lost}/summary?summary_mode=full`);
    expect(full.status).toBe(200);
    expect(full.body.metrics).toEqual(res.body.metrics);
    expect(full.body.text).toContain('█ TOTAL RESULTS');
  });

  it('is a 409 while the run has not ended and a 404 when it ended without a summary', async () => {
    const running = await h.call('GET', `/cloud/v6/test_runs/${runs.running}/summary`);
    expect(running.status).toBe(409);
    expect(running.body.error.message).toMatch(/once the test run has ended; it is running/);
    const none = await h.call('GET', `/cloud/v6/test_runs/${runs.noSummary}/summary`);
    expect(none.status).toBe(404);
    expect(none.body.error.message).toMatch(/without an end-of-test summary/);
  });

  it('is a 404 once the retention sweeper deleted the results', async () => {
    const far = new Date(Date.now() + 400 * 24 * 3600 * 1000);
    expect(await h.store.testRuns.sweepRetention(far)).toBeGreaterThan(0);
    const res = await h.call('GET', `/cloud/v6/test_runs/${runs.done}/summary`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/retention/);
  });

  it('scopes to the caller\'s stack like the other v6 operations (401, 403, 404)', async () => {
    expect((await h.call('GET', `/cloud/v6/test_runs/${runs.running}/summary`, { token: null })).status).toBe(401);
    expect((await h.call('GET', `/cloud/v6/test_runs/${runs.running}/summary`, { stackId: otherStackId })).status).toBe(403);
    const other = await h.call('GET', `/cloud/v6/test_runs/${runs.running}/summary`, { token: otherToken, stackId: otherStackId });
    expect(other.status).toBe(404);
    expect(other.body.error.message).toBe('Test run not found');
  });
});
