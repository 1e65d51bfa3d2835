// k6 compatibility: realistic scripts in the style of k6's documentation (test/scripts/compat/) run
// through the engine's public entry; each expectation is what `k6 run` gives for that script.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedChecks, metricValues, runScript, SCRIPTS_DIR, type ScriptRun } from './scripts/engine-harness.ts';
import { startCompatTarget, type CompatTarget } from './scripts/compat-target.ts';
import type { RunFlags } from '../src/engine/index.ts';

let target: CompatTarget;
beforeAll(async () => {
  target = await startCompatTarget();
});
afterAll(async () => {
  await target.close();
});

function run(name: string, flags: RunFlags = {}): Promise<ScriptRun> {
  return runScript(`compat/${name}`, { ...flags, env: { BASE: target.url, ...flags.env } });
}

/** A real-world script run on `workers` threads, with each scenario's progress fraction at the end. */
async function runWithProgress(name: string, workers: number): Promise<{ r: ScriptRun; scenarios: readonly { name: string; fraction: number }[] }> {
  let running: { progress(): { scenarios: readonly { name: string; fraction: number }[] } } | undefined;
  const r = await runScript(`compat/real-world/${name}`, { workers, env: { BASE: target.url } }, {
    onStart: (t) => void (running = t),
  });
  return { r, scenarios: running?.progress().scenarios ?? [] };
}

/** Threshold verdicts by "metric expression". */
function verdicts(r: ScriptRun): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const t of r.result?.thresholds ?? []) out[`${t.key} ${t.source}`] = t.ok;
  return out;
}

/** The messages of the run's log lines (logfmt off a terminal, as k6 writes them: msg is Go-quoted). */
function logMessages(stderr: string): string[] {
  return stderr.split('\n').flatMap((l) => {
    const m = / msg=("(?:[^"\\]|\\.)*"|\S*)/.exec(l);
    if (m === null) return [];
    const v = m[1] ?? '';
    return [v.startsWith('"') ? (JSON.parse(v) as string) : v];
  });
}

function checks(r: ScriptRun): Record<string, number> | undefined {
  return metricValues(r, 'checks');
}

/** Each group's checks as "name ✓passes ✗fails". */
function groupChecks(r: ScriptRun): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const g of r.result?.summaryData.root_group.groups ?? []) out[g.name] = g.checks.map((c) => `${c.name} ✓${c.passes} ✗${c.fails}`);
  return out;
}

describe('k6 compatibility: scenarios, executors and iterations', () => {
  it('scenarios with several executors run their exec functions, tags and env', async () => {
    const r = await run('scenarios-mixed.js');
    expect(r.stderr).toBe('');
    expect(verdicts(r)).toEqual({
      'iterations{scenario:browse} count==6': true,
      'iterations{scenario:api} count==6': true,
      'http_reqs{flow:browse} count==6': true,
      'checks{scenario:api} rate==1': true,
    });
    expect(r.exitCode).toBe(0);
    expect(checks(r)).toMatchObject({ passes: 6 + 12, fails: 0 });
  });

  it("globalThis.__VU, __ITER, __ENV, open and the timers are the running VU's, as in k6's runtime per VU", async () => {
    const r = await run('global-object.js', { workers: 1 });
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 3 * 2 * 7, fails: 0 });
    expect(r.exitCode).toBe(0);
  });

  it('the stages shortcut is a ramping-vus scenario named default', async () => {
    const r = await run('ramping-stages.js');
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(metricValues(r, 'iterations')?.count).toBeGreaterThan(3);
    expect(metricValues(r, 'vus_max')?.max).toBe(3);
  });

  it('arrival-rate scenarios start exactly the scheduled iterations', async () => {
    const r = await run('arrival-rate-exec.js');
    expect(verdicts(r)).toEqual({
      'iterations{scenario:orders} count==10': true,
      'iterations{scenario:spike} count>=14': true,
      'iterations{scenario:spike} count<=15': true,
      'dropped_iterations count==0': true,
    });
    expect(r.exitCode).toBe(0);
  });

  it('k6/execution: iterationInTest is unique, vu.metrics.tags tag samples, test.options is readable', async () => {
    const before = target.recorded.length;
    const r = await run('exec-info.js', { workers: 2 });
    expect(r.exitCode).toBe(0);
    expect(checks(r)).toMatchObject({ passes: 63, fails: 0 });
    const ns = (target.recorded.slice(before) as Array<{ n: number }>).map((x) => x.n).sort((a, b) => a - b);
    expect(ns).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(verdicts(r)).toEqual({ 'http_reqs{step:even} count==5': true, 'http_reqs{step:odd} count==4': true });
  });

  it('k6/execution test.options is lib.Options as k6 marshals it: every field, unset ones null, Go durations', async () => {
    const before = target.recorded.length;
    const r = await run('exec-test-options.js');
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const got = target.recorded.slice(before) as Array<{ options: unknown; frozen: boolean; plain: boolean }>;
    expect(got).toHaveLength(1);
    const base = { startTime: null, gracefulStop: null, env: null, exec: null, tags: null };
    const expected = {
      paused: null,
      scenarios: {
        once: { executor: 'per-vu-iterations', ...base, vus: null, iterations: null, maxDuration: null },
        ramp: {
          executor: 'ramping-vus', ...base, startTime: '100ms', exec: 'ramp', tags: { a: '1', b: '2' },
          startVUs: null, stages: [{ duration: '1.5s', target: 1 }], gracefulRampDown: '90ms',
        },
        rate: {
          executor: 'constant-arrival-rate', ...base, env: { X: 'y' }, exec: 'ramp',
          rate: 2, timeUnit: null, duration: '1s', preAllocatedVUs: 1, maxVUs: null,
        },
      },
      executionSegment: null, executionSegmentSequence: null,
      noSetup: null, setupTimeout: '1m30s', noTeardown: null, teardownTimeout: '1.2345678s', handleSummaryTimeout: '1h0m0s',
      rps: null, dns: { ttl: null, select: null, policy: null }, maxRedirects: null, userAgent: null,
      batch: null, batchPerHost: null, httpDebug: null, insecureSkipTLSVerify: null,
      tlsCipherSuites: null, tlsVersion: null, tlsAuth: null, throw: null,
      thresholds: { checks: [{ threshold: 'rate==1', abortOnFail: true, delayAbortEval: null }], http_reqs: ['count>0'] },
      blacklistIPs: ['10.0.0.0/8', '2001:db8::/64', '192.168.1.0/24'], blockHostnames: null,
      hosts: { 'example.com': '10.0.0.1', 'mapped.test': '10.0.0.2', 'v6.test': '[2001:db8::1]:8080', 'zero.test': '10.0.0.3' },
      noConnectionReuse: null, noVUConnectionReuse: null,
      minIterationDuration: '500µs', ext: null, summaryTrendStats: ['avg', 'p(99)'], summaryTimeUnit: null,
      systemTags: [
        'check', 'error', 'error_code', 'expected_response', 'group', 'method', 'name', 'proto', 'scenario',
        'service', 'status', 'subproto', 'tls_version', 'url',
      ],
      tags: { suite: 'compat' }, metricSamplesBufferSize: null, noCookiesReset: null, discardResponseBodies: null,
      features: null, consoleOutput: null, localIPs: null,
    };
    // Stringified, so the key order (Go's struct field order) is compared too.
    expect(JSON.stringify(got[0]?.options)).toBe(JSON.stringify(expected));
    expect(got[0]?.frozen).toBe(true);
    expect(got[0]?.plain).toBe(true); // objects of the script's realm, as k6 JSON.parses them in the VU
  });

  it('k6/execution counters: own iterations per VU, the scenario\'s per instance and test; no scenario in setup', async () => {
    const before = target.recorded.length;
    const r = await run('exec-counters.js', { workers: 2 });
    expect(r.exitCode).toBe(0);
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 18, fails: 0 });
    const rows = target.recorded.slice(before) as Array<{ vu: number; own: number; inInstance: number; inTest: number }>;
    for (const vu of [1, 2]) expect(rows.filter((x) => x.vu === vu).map((x) => x.own)).toEqual([0, 1, 2]);
    // One instance: the instance's count is the test's, unique across the VUs of every worker thread.
    expect(rows.map((x) => x.inInstance).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows.every((x) => x.inInstance === x.inTest)).toBe(true);
  });

  it('iteration-based scenarios cut by maxDuration report the rest as dropped_iterations', async () => {
    const r = await run('max-duration.js');
    expect(r.exitCode).toBe(0);
    const count = (key: string): number => r.result?.summaryData.metrics[key]?.values.count ?? -1;
    // 0.3 s iterations in 1 s: 3 complete, the 4th is interrupted by gracefulStop 0s (a busy machine may
    // start it only after the end); neither an interrupted nor a dropped iteration is complete.
    const shared = count('iterations{scenario:shared}');
    expect(shared).toBeGreaterThanOrEqual(2);
    expect(shared).toBeLessThanOrEqual(3);
    expect(shared + count('dropped_iterations{scenario:shared}')).toBeGreaterThanOrEqual(99);
    expect(shared + count('dropped_iterations{scenario:shared}')).toBeLessThanOrEqual(100);
    const perVu = count('iterations{scenario:perVu}');
    expect(perVu).toBeGreaterThanOrEqual(4);
    expect(perVu).toBeLessThanOrEqual(6);
    expect(perVu + count('dropped_iterations{scenario:perVu}')).toBeGreaterThanOrEqual(98);
    expect(perVu + count('dropped_iterations{scenario:perVu}')).toBeLessThanOrEqual(100);
  });

  it('iterations that throw or fail() are counted and logged; their later checks do not run; exit 0', async () => {
    const r = await run('throwing-iterations.js');
    expect(r.exitCode).toBe(0);
    expect(metricValues(r, 'iterations')?.count).toBe(6);
    expect(checks(r)).toMatchObject({ passes: 2, fails: 0 });
    expect(r.stderr).toMatch(/Error: boom in iteration 1/);
    expect(r.stderr).toMatch(/failed iteration 2/);
    // The stack as k6 logs it: sobek's frame layout, the anonymous default export named `default`.
    expect(r.stderr).toMatch(/msg="Error: boom in iteration 1\\n\\tat default \(file:\/\/\/[^"]*\/throwing-iterations\.js:9:\d+\)" /);
  });
  it('an exception thrown after blocking calls is logged with the frames of all its callers, outermost last, an imported default export as default', async () => {
    const r = await run('stack-after-blocking.js');
    const file = 'file://' + path.join(SCRIPTS_DIR, 'compat', 'stack-after-blocking.js');
    const lib = 'file://' + path.join(SCRIPTS_DIR, 'compat', 'lib', 'failing-step.js');
    expect(logMessages(r.stderr)).toContainEqual([
      'Error: failed after a request',
      `\tat fetchAndFail (${lib}:8:9)`,
      `\tat default (${lib}:13:10)`,
      `\tat ${file}:11:42`,
      `\tat ${file}:11:5`,
      `\tat default (${file}:10:3)`,
    ].join('\n'));
  });
  it('exec.test.fail() runs to the end, logs k6\'s reason and exits 110, over the thresholds\' 99', async () => {
    const r = await run('mark-failed.js');
    expect(metricValues(r, 'iterations')?.count).toBe(3);
    expect(r.stderr).toMatch(/level=error msg="test marked as failed"|ERRO\[\d+\] test marked as failed\n/);
    expect(r.stderr).not.toContain('test marked as failed: ');
    expect(r.exitCode).toBe(110);
  });
});

describe('k6 compatibility: thresholds', () => {
  it('thresholds on submetrics select by expected_response, status, group, method and check tags', async () => {
    const r = await run('submetric-thresholds.js');
    expect(verdicts(r)).toEqual({
      'http_req_duration{expected_response:true} p(95)<2000': true,
      'http_req_duration{expected_response:true} max<5000': true,
      'http_reqs{expected_response:false} count==4': true,
      'http_reqs{status:404} count==4': true,
      'http_req_duration{group:::api} avg<2000': true,
      'http_reqs{group:::api::users} count==8': true,
      'http_reqs{method:POST} count==4': true,
      'checks{myTag:hello} rate==1': true,
      'checks{myTag:broken} rate==0': true,
      'group_duration{group:::api::users} max<5000': true,
    });
    expect(r.exitCode).toBe(0);
  });

  it('several expressions per metric: the failing one fails the run with 99 and is marked in the summary', async () => {
    const r = await run('thresholds-mixed.js');
    expect(r.exitCode).toBe(99);
    expect(verdicts(r)).toEqual({
      'http_req_duration p(90)<4000': true,
      'http_req_duration p(99.9)<5000': true,
      'http_req_duration avg<0': false,
      'errors rate<0.1': false,
      'checks rate>0.4': true,
      'http_reqs count>=4': true,
      'http_reqs rate>0': true,
      'iteration_duration med<10000': true,
    });
    expect(r.stdout).toMatch(/✗ 'avg<0' avg=/);
    expect(r.stdout).toMatch(/✗ 'rate<0\.1' rate=50\.00%/);
    expect(r.stdout).toMatch(/✓ 'count>=4' count=4/);
    expect(r.stderr).toMatch(/thresholds on metrics 'errors, http_req_duration' have been crossed/);
  });

  it('abortOnFail on a submetric stops a 30s test early with 99; teardown still runs', async () => {
    const before = target.recorded.length;
    const started = Date.now();
    const r = await run('abort-on-fail-submetric.js');
    expect(r.exitCode).toBe(99);
    expect(r.result?.abortReason).toBe('threshold');
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(target.recorded.slice(before)).toEqual([{ teardown: 'after submetric abort' }]);
    expect(verdicts(r)['http_req_failed{endpoint:flaky} rate<0.1']).toBe(false);
  });

  it('threshold syntax variants, and metrics without samples judged at the end with empty values', async () => {
    const r = await run('thresholds-edge.js');
    expect(verdicts(r)).toEqual({
      'http_req_duration p(95) < 5000': true,
      'http_req_duration max <= 5000': true,
      'http_req_duration min >= 0': true,
      'http_reqs count === 2': true,
      'http_reqs count != 3': true,
      'named_things{label:"a b"} count==2': true,
      "named_things{label:'c:d'} count==2": true,
      'named_things{label : e} count==2': true,
      // An empty Trend gives 0 for every stat; an empty Rate has no rate and passes.
      'never_trend p(95)<1': true,
      'never_trend avg==0': true,
      'never_rate rate>0.5': true,
      'never_count count==0': true,
      'never_count count>0': false,
    });
    expect(r.exitCode).toBe(99);
    expect(r.stderr).toContain("thresholds on metrics 'never_count' have been crossed");
  });

  it('the same threshold expression twice on a metric: two summary lines, one entry in the data and the export', async () => {
    const r = await run('thresholds-duplicate.js', { summaryExport: 'out/compat-dup-thresholds.json' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(
      ['    iterations', "    ✓ 'count>1' count=2", "    ✓ 'count<100' count=2", "    ✓ 'count>1' count=2", ''].join('\n'),
    );
    expect(r.result?.summaryData.metrics.iterations?.thresholds).toEqual({ 'count>1': { ok: true }, 'count<100': { ok: true } });
    const exported = JSON.parse(r.written.get('out/compat-dup-thresholds.json') ?? '{}') as { metrics: Record<string, { thresholds?: unknown }> };
    expect(exported.metrics.iterations?.thresholds).toEqual({ 'count>1': false, 'count<100': false });
  });

  it('options.tags are on every sample and selectable by thresholds', async () => {
    const r = await run('tags-option.js');
    expect(verdicts(r)).toEqual({
      'http_reqs{team:payments} count==2': true,
      'iterations{env:staging} count==2': true,
      'my_events{team:payments,kind:x} count==2': true,
    });
    expect(r.exitCode).toBe(0);
  });
});

describe('k6 compatibility: metrics and checks', () => {
  it('custom Counter, Gauge, Rate and Trend (isTime) with tags', async () => {
    const r = await run('custom-metrics.js', { summaryExport: 'out/compat-custom.json' });
    expect(verdicts(r)).toEqual({
      'orders_placed count==12': true,
      'orders_placed{kind:gift} count==6': true,
      'cart_size value>0': true,
      'order_success rate>0.6': true,
      'order_success rate<0.7': true,
      'order_wait p(99)<1000': true,
      'order_wait avg==150': true,
      'order_items{kind:gift} max==3': true,
    });
    expect(r.exitCode).toBe(0);
    const m = r.result?.summaryData.metrics;
    expect(m?.orders_placed).toMatchObject({ type: 'counter', contains: 'default', values: { count: 12 } });
    expect(m?.cart_size).toMatchObject({ type: 'gauge', contains: 'default' });
    expect(m?.order_success).toMatchObject({ type: 'rate', values: { passes: 4, fails: 2 } });
    expect(m?.order_wait).toMatchObject({ type: 'trend', contains: 'time', values: { avg: 150, min: 100, max: 200, med: 150 } });
    expect(m?.order_items).toMatchObject({ type: 'trend', contains: 'default', values: { min: 3, max: 7, avg: 5 } });
    const exported = JSON.parse(r.written.get('out/compat-custom.json') ?? '{}') as { metrics: Record<string, Record<string, unknown>> };
    expect(exported.metrics.order_success).toEqual({ passes: 4, fails: 2, value: 4 / 6, thresholds: { 'rate>0.6': false, 'rate<0.7': false } });
    expect(exported.metrics['orders_placed{kind:gift}']).toMatchObject({ count: 6 });
    expect(r.stdout).toMatch(/order_wait\.+: avg=150ms/);
    expect(r.stdout).toMatch(/order_items\.+: avg=5 /);
  });

  it('summaryTrendStats (count, p(99.9)) and summaryTimeUnit shape the summary; discardResponseBodies nulls bodies', async () => {
    const r = await run('summary-options.js');
    expect(r.exitCode).toBe(0);
    expect(checks(r)).toMatchObject({ passes: 6, fails: 0 });
    expect(Object.keys(metricValues(r, 'http_req_duration') ?? {})).toEqual(['avg', 'p(99.9)', 'count', 'max']);
    expect(metricValues(r, 'http_req_duration')?.count).toBe(6);
    expect(r.result?.summaryData.options.summaryTrendStats).toEqual(['avg', 'p(99.9)', 'count', 'max']);
    expect(r.stdout).toMatch(/http_req_duration\.+: avg=[\d.]+ms +p\(99\.9\)=[\d.]+ms +count=6 +max=[\d.]+ms/);
    expect(r.stdout).toMatch(/iteration_duration\.+: avg=[\d.]+ms +p\(99\.9\)=[\d.]+ms +count=3 /);
  });

  it('--summary-mode full adds detailed HTTP timings and a section per scenario and group; disabled prints nothing', async () => {
    const full = await run('summary-full.js', { summaryMode: 'full' });
    expect(full.exitCode).toBe(0);
    expect(full.stdout).toContain('http_req_waiting');
    expect(full.stdout).toMatch(/█ SCENARIO: shoppers \n/);
    expect(full.stdout).toMatch(/↳ GROUP: catalog \n/);
    const compact = await run('summary-full.js');
    expect(compact.stdout).not.toContain('http_req_waiting');
    expect(compact.stdout).not.toContain('SCENARIO: shoppers');
    const disabled = await run('summary-full.js', { summaryMode: 'disabled' });
    expect(disabled.stdout).toBe('');
    expect(metricValues(disabled, 'iterations')?.count).toBe(2);
    const invalid = await run('summary-full.js', { summaryMode: 'legacy' });
    expect(invalid.exitCode).toBe(255); // a runtime option: k6 attaches no exit code
    expect(invalid.stderr).toBe('invalid summary mode');
  });

  it('check() with failing conditions, non-function values and tags', async () => {
    const r = await run('check-tags.js', { summaryExport: 'out/compat-checks.json' });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(checks(r)).toMatchObject({ passes: 12, fails: 3 });
    const root = r.result?.summaryData.root_group;
    expect(root?.checks.map((c) => [c.name, c.passes, c.fails])).toEqual([
      ['status is 200', 3, 0], ['name is bob', 3, 0], ['is slow (never)', 0, 3], ['plain true value', 3, 0], ['body mentions bob', 3, 0],
    ]);
    const exported = JSON.parse(r.written.get('out/compat-checks.json') ?? '{}') as { root_group: { checks: Record<string, unknown> }; metrics: Record<string, unknown> };
    expect(exported.root_group.checks['is slow (never)']).toMatchObject({ name: 'is slow (never)', path: '::is slow (never)', passes: 0, fails: 3 });
    expect(exported.metrics.checks).toMatchObject({ passes: 12, fails: 3, value: 0.8 });
    expect(r.stdout).toMatch(/✗ is slow \(never\)\n\s+↳  0% — ✓ 0 \/ ✗ 3/);
  });

  it('nested groups: checks by group, group_duration per group, values returned', async () => {
    const r = await run('nested-groups.js', { summaryExport: 'out/compat-groups.json' });
    expect(r.exitCode).toBe(0);
    expect(checks(r)).toMatchObject({ passes: 6, fails: 0 });
    const shop = r.result?.summaryData.root_group.groups.find((g) => g.name === 'shop');
    expect(shop?.path).toBe('::shop');
    expect(shop?.groups.map((g) => [g.path, g.checks.map((c) => c.name)])).toEqual([
      ['::shop::browse', ['listed users']], ['::shop::checkout', ['order echoed']],
    ]);
    expect(r.result?.summaryData.root_group.checks.map((c) => c.name)).toEqual(['group returns its value']);
    const exported = JSON.parse(r.written.get('out/compat-groups.json') ?? '{}') as { root_group: { groups: Record<string, { groups: Record<string, { id: string }> }> } };
    expect(Object.keys(exported.root_group.groups.shop?.groups ?? {})).toEqual(['browse', 'checkout']);
    // The compact summary lists every check once, in the order the script first ran them (also when an
    // iteration straddles a second boundary: metrics-aggregator.test.ts, summary-data.test.ts).
    expect(r.stdout).toMatch(/✓ listed users\n\s+✓ order echoed\n\s+✓ group returns its value\n/);
    expect(r.stdout).not.toContain('GROUP: shop');
    expect(metricValues(r, 'group_duration')).toHaveProperty('p(95)');
  });
});

describe('k6 compatibility: k6/http', () => {
  it('http.batch with strings, arrays, objects and a named map', async () => {
    const r = await run('http-batch.js');
    expect(r.stderr).toBe('');
    expect(checks(r)).toMatchObject({ passes: 4, fails: 0 });
    expect(verdicts(r)).toEqual({ 'http_reqs{batch:yes} count==3': true });
    expect(metricValues(r, 'http_reqs')?.count).toBe(6);
    expect(r.exitCode).toBe(0);
  });

  it('POST/PUT/DELETE with JSON and form bodies, headers and params.tags', async () => {
    const r = await run('post-bodies.js');
    expect(r.stderr).toBe('');
    expect(checks(r)).toMatchObject({ passes: 14, fails: 0 });
    expect(r.exitCode).toBe(0);
  });

  it('a file read with open(path, "b") uploads as the raw body and as a multipart http.file()', async () => {
    const r = await run('binary-upload.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 4, fails: 0 });
  });

  it('http.url templates name dynamic URLs; an explicit name tag wins', async () => {
    const r = await run('url-template.js', { jsonOut: 'out/compat-url.json' });
    expect(checks(r)).toMatchObject({ passes: 6, fails: 0 });
    expect(Object.values(verdicts(r))).toEqual([true, true]);
    expect(r.exitCode).toBe(0);
    const names = new Set((r.written.get('out/compat-url.json') ?? '').trim().split('\n')
      .map((l) => JSON.parse(l) as { metric: string; type: string; data: { tags?: Record<string, string> } })
      .filter((l) => l.type === 'Point' && l.metric === 'http_reqs').map((l) => l.data.tags?.name));
    expect(names).toEqual(new Set(['${}/api/users/${}', 'UserById']));
  });

  it('res.json() selectors follow GJSON paths', async () => {
    const r = await run('json-selectors.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 6, fails: 0 });
  });

  it('cookies: server cookies, jar.set, params.cookies, own jars, reset between iterations', async () => {
    const r = await run('cookies.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 14, fails: 0 });
  });

  it('setResponseCallback(expectedStatuses) drives http_req_failed and expected_response', async () => {
    const r = await run('expected-statuses.js');
    expect(verdicts(r)).toEqual({
      'http_req_failed rate==0.25': true,
      'http_reqs{expected_response:true} count==3': true,
      'http_req_failed{status:500} rate==0.5': true,
    });
    expect(r.exitCode).toBe(0);
  });

  it('a name tag replaces the url tag too; 4xx responses carry error_code 1000+status', async () => {
    const r = await run('system-tags.js', { jsonOut: 'out/compat-tags.json' });
    expect(verdicts(r)).toEqual({ 'http_reqs{error_code:1404} count==1': true, 'http_reqs{url:named} count==1': true });
    expect(r.exitCode).toBe(0);
    const tags = (r.written.get('out/compat-tags.json') ?? '').trim().split('\n')
      .map((l) => JSON.parse(l) as { metric: string; type: string; data: { tags?: Record<string, string> } })
      .filter((l) => l.type === 'Point' && l.metric === 'http_reqs').map((l) => l.data.tags);
    expect(tags).toEqual([
      expect.objectContaining({ status: '404', error_code: '1404', expected_response: 'false', method: 'GET', name: `${target.url}/status/404`, url: `${target.url}/status/404` }),
      expect.objectContaining({ status: '200', expected_response: 'true', name: 'named', url: 'named' }),
    ]);
    expect(tags[1]).not.toHaveProperty('error_code');
  });

  it('connection refused and timeouts give status 0 with k6 error codes', async () => {
    const r = await run('http-errors.js');
    expect(checks(r)).toMatchObject({ passes: 2, fails: 0 });
    expect(verdicts(r)).toEqual({
      'http_req_failed rate==1': true, 'http_reqs{error_code:1212} count==1': true, 'http_reqs{error_code:1050} count==1': true,
    });
    expect(r.stderr).toMatch(/level=warning|WARN/);
    expect(r.exitCode).toBe(0);
  });

  it('async functions await http.asyncRequest and timers', async () => {
    const r = await run('async-requests.js');
    expect(r.stderr).toBe('');
    expect(checks(r)).toMatchObject({ passes: 12, fails: 0 });
    expect(verdicts(r)).toEqual({ 'http_reqs count==16': true });
  });

  it('async helpers called without await make their requests before they return, as in k6', async () => {
    const r = await run('async-helpers.js');
    expect(r.stderr).toBe('');
    expect(checks(r)).toMatchObject({ passes: 8, fails: 0 });
    expect(verdicts(r)).toEqual({ 'checks rate==1': true, 'http_reqs{step:profile} count==6': true });
    expect(r.exitCode).toBe(0);
  });

  it("a VU's async prefix that blocks holds only that VU, not another VU of the same worker", async () => {
    const r = await run('async-prefix-vus.js', { workers: 1 });
    expect(r.stderr).toBe('');
    expect(verdicts(r)).toEqual({ 'held_by_other_vu count==0': true });
    expect(r.exitCode).toBe(0);
  });

  it("an interrupt in an async function's prefix stops its caller too: exec.test.abort, gracefulStop", async () => {
    for (const [name, exitCode] of [['abort', 108], ['abort-at-once', 108], ['stop', 0]] as const) {
      const r = await run('async-prefix-interrupts.js', { env: { CASE: name } });
      expect(logMessages(r.stderr), name).not.toContain('the caller went on');
      expect(r.exitCode, name).toBe(exitCode);
    }
  });

  it("async timer callbacks make their requests before the next timer's callback starts, as in k6", async () => {
    const r = await run('async-timer-callbacks.js');
    expect(r.stderr).toBe('');
    expect(checks(r)).toMatchObject({ passes: 2, fails: 0 });
    expect(r.exitCode).toBe(0);
  });

  it('a login flow: form post, server cookie, token from JSON, group checks', async () => {
    const r = await run('login-flow.js');
    expect(r.exitCode).toBe(0);
    expect(checks(r)).toMatchObject({ passes: 6, fails: 0 });
  });

  it('classes whose constructors log in: http and sleep block in base and derived constructors', async () => {
    const r = await run('class-clients.js');
    expect(r.stderr).toBe('');
    expect(checks(r)).toMatchObject({ passes: 16, fails: 0 });
    expect(verdicts(r)).toEqual({ 'checks rate==1': true, 'http_reqs{step:login} count==8': true });
    expect(r.exitCode).toBe(0);
  });
});

describe('k6 compatibility: lifecycle, data and modules', () => {
  it('a suite split into modules: classes, a CommonJS helper, requests in map/reduce, Promise.all, throw', async () => {
    const r = await run('modular-suite.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 12, fails: 0 });
    expect(r.exitCode).toBe(0);
  });

  it('setup() logs in once (group ::setup), every VU gets its data, teardown too', async () => {
    const before = target.recorded.length;
    const r = await run('setup-login.js');
    expect(r.exitCode).toBe(0);
    expect(checks(r)).toMatchObject({ passes: 4, fails: 0 });
    expect(verdicts(r)).toEqual({ 'http_reqs{group:::setup} count==1': true });
    expect(target.recorded.slice(before)).toEqual([{ teardownToken: 'tok-ann' }]);
  });

  it('SharedArray from JSON.parse(open()) is shared, frozen, iterable and an array with array methods', async () => {
    const r = await run('shared-array.js', { workers: 2 });
    expect(r.exitCode).toBe(0);
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 24, fails: 0 });
  });

  it('import.meta.resolve gives file:// URLs relative to each module, which open() reads', async () => {
    const r = await run('import-meta.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 8, fails: 0 });
  });

  it('k6/encoding and k6/crypto give the documented outputs', async () => {
    const r = await run('encoding-crypto.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 13, fails: 0 });
  });

  it('Web Crypto: crypto.subtle takes and returns ArrayBuffers of the script; TextEncoder gives its Uint8Arrays', async () => {
    const r = await run('webcrypto.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 8, fails: 0 });
  });

  it('k6/crypto/x509: parse, getAltNames, getIssuer, getSubject give k6\'s objects; bad PEM is a GoError', async () => {
    const r = await run('crypto-x509.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 14, fails: 0 });
  });

  it('k6/secrets: --secret-source file and mock sources, k6\'s errors, values redacted from every log line', async () => {
    const r = await run('secrets.js', {
      workers: 2,
      secretSources: ['file=name=files,default,filename=fixtures/compat.secret', 'mock=name=cli,cool=cli-secret'],
    });
    expect(r.exitCode).toBe(0);
    expect(checks(r)).toMatchObject({ passes: 16, fails: 0 });
    const lines = logMessages(r.stderr);
    expect(lines).toContain('setup got ***SECRET_REDACTED***');
    // Revealed in setup (main thread) or another worker: still redacted.
    expect(lines.filter((l) => l === 'default: ***SECRET_REDACTED***, cli: ***SECRET_REDACTED***, from setup: ***SECRET_REDACTED***')).toHaveLength(4);
    expect(r.stderr).not.toMatch(/tok-12345|some-file-secret|cli-secret/);
  });

  it('k6/secrets without --secret-source: get() rejects with "no secret sources are configured"; a bad source fails the start', async () => {
    const none = await run('secrets.js');
    expect(logMessages(none.stderr).some((l) => l.includes('no secret sources are configured'))).toBe(true);
    const bad = await run('secrets.js', { secretSources: ['file=fixtures/missing.secret'] });
    expect(bad.exitCode).toBe(255);
    expect(bad.stderr).toContain('open fixtures/missing.secret: no such file or directory');
  });

  it('k6/experimental/streams: a ReadableStream fed by timers and a WritableStream with backpressure, as k6\'s examples', async () => {
    const r = await run('streams.js');
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(checks(r)).toMatchObject({ passes: 12, fails: 0 });
    expect(metricValues(r, 'iterations')?.count).toBe(4);
  });

  it('removed modules fail the init with k6\'s message and exit code 107', async () => {
    const r = await run('removed-module.js');
    expect(r.exitCode).toBe(107);
    expect(r.stderr).toContain("GoError: k6/experimental/redis has been removed. Please migrate to the new version by changing your import to 'k6/x/redis'.");
  });

  it('timers: setInterval/clearInterval and setTimeout complete inside the iteration', async () => {
    const r = await run('timers.js');
    expect(verdicts(r)).toEqual({ 'ticks count==6': true, 'late_timeouts count==2': true });
    expect(r.exitCode).toBe(0);
  });

  it('__ENV defaults apply, and -e values override them', async () => {
    const plain = await run('env-defaults.js');
    expect(plain.exitCode).toBe(0);
    expect(metricValues(plain, 'iterations')?.count).toBe(3);
    expect(checks(plain)).toMatchObject({ passes: 3, fails: 0 });
    const given = await run('env-defaults.js', { env: { ITERATIONS: '2', VUS: '2', WHO: 'ci', EXPECT_WHO: 'ci' } });
    expect(metricValues(given, 'iterations')?.count).toBe(2);
    expect(checks(given)).toMatchObject({ passes: 2, fails: 0 });
  });

  it('cloud and ext options are accepted without warnings', async () => {
    const r = await run('options-ext-cloud.js');
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(checks(r)).toMatchObject({ passes: 1, fails: 0 });
  });

  it('handleSummary with the jslib textSummary prints it and writes the data as JSON', async () => {
    const r = await run('handle-summary-jslib.js');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('✓ home ok');
    // The jslib's own layout (pre-v1 k6): metrics marked ✓/✗ by their thresholds, no THRESHOLDS section.
    expect(r.stdout).toMatch(/\n {3}✓ http_req_duration\.+: avg=/);
    expect(r.stdout).toMatch(/\n {3}✓ checks\.+: 100\.00% ✓ 2 +✗ 0/);
    expect(r.stdout).not.toContain('█ THRESHOLDS');
    expect(r.stdout).not.toContain('\x1b[');
    const data = JSON.parse(r.written.get('results/summary.json') ?? '{}') as {
      metrics: Record<string, { type: string; contains: string; values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
      state: { isStdOutTTY: boolean; testRunDurationMs: number };
      options: { summaryTrendStats: string[] };
      root_group: { name: string; path: string; checks: Array<{ name: string; passes: number }> };
    };
    expect(data.metrics.http_reqs).toMatchObject({ type: 'counter', contains: 'default', values: { count: 2 } });
    expect(data.metrics.http_req_duration?.thresholds).toEqual({ 'p(95)<5000': { ok: true } });
    expect(data.metrics.checks?.values).toMatchObject({ passes: 2, fails: 0, rate: 1 });
    expect(data.state.testRunDurationMs).toBeGreaterThan(0);
    expect(data.options.summaryTrendStats).toEqual(['avg', 'min', 'med', 'max', 'p(90)', 'p(95)']);
    expect(data.root_group).toMatchObject({ name: '', path: '', checks: [{ name: 'home ok', passes: 2 }] });
  });

  it('k6chaijs: describe() is a group, each assertion a check named from chai\'s message; failures end the block', async () => {
    const before = target.recorded.length;
    const r = await run('k6chaijs.js');
    expect(r.exitCode).toBe(0);
    expect(metricValues(r, 'iterations')?.count).toBe(2);
    // describe() returns false after a failed assertion or an exception; the iteration goes on.
    expect(target.recorded.slice(before)).toEqual([
      { results: [true, false, false, true], reached: true },
      { results: [true, false, false, true], reached: true },
    ]);
    // Aggregated names (the default): the expect() label or ${this}, ${actual}, the expected value; "but " dropped.
    expect(groupChecks(r)).toEqual({
      users: [
        'expected response status to equal 200 ✓2 ✗0',
        'has valid json body ✓2 ✗0',
        "expected users to have property 'length' ✓2 ✗0",
        'expected users to have a length of 2 got ${actual} ✓2 ✗0',
        "expected ${this} to have deep property 'page' ✓2 ✗0",
        "expected ${this} to have deep property 'page' of 1, got ${actual} ✓2 ✗0",
      ],
      failing: ['expected ${this} to equal 44 ✓0 ✗2'], // `expect(true).to.be.ok` after it never ran
      exception: ['Exception raised "Error: boom" ✓0 ✗2'],
      negated: ["expected <anonymized> to not equal 'x' ✓2 ✗0"],
    });
    expect(verdicts(r)).toEqual({ 'checks{group:::users} rate==1': true, 'checks rate<1': true });
    expect(r.stdout).toContain('✗ expected ${this} to equal 44');
    expect(logMessages(r.stderr).join('\n')).toContain('Exception raised in test "exception". Failing the test and continuing. \nError: boom');
    expect(r.stderr).not.toContain('expected 42 to equal 44'); // logFailures is off by default
  });

  it('k6chaijs: chai.config.aggregateChecks=false puts the values in check names, logFailures logs failures', async () => {
    const r = await run('k6chaijs.js', { env: { DEAGGREGATE: '1' } });
    expect(r.exitCode).toBe(0);
    const names = groupChecks(r);
    expect(names.users).toContain('response status: expected 200 to equal 200 ✓2 ✗0');
    // res.json() data displays as plain objects, as in k6's single JS realm.
    expect(names.users).toContain("expected { page: 1 } to have deep property 'page' of 1, got 1 ✓2 ✗0");
    expect(names.failing).toEqual(['expected 42 to equal 44 ✓0 ✗2']);
    expect(r.stderr.match(/level=warning msg="expected 42 to equal 44"|WARN\[\d+\] expected 42 to equal 44 /g)).toHaveLength(2);
  });

  it('k6-testing: passing assertions are silent, a soft failure is logged and marks the test failed (exit 110), the script goes on', async () => {
    const before = target.recorded.length;
    const r = await run('k6-testing.js');
    expect(r.exitCode).toBe(110);
    expect(metricValues(r, 'iterations')?.count).toBe(2);
    // softMode 'throw': the soft failure is an AssertionFailedError the script catches.
    expect(target.recorded.slice(before)).toEqual([{ thrown: 'AssertionFailedError', reached: true }, { thrown: 'AssertionFailedError', reached: true }]);
    const script = path.join(SCRIPTS_DIR, 'compat', 'k6-testing.js');
    // The inline display, the call site mapped to the script's own file and line.
    expect(logMessages(r.stderr)).toEqual([
      `test marked as failed: error=expect(received).toBeLessThan(expected) at=${script}:27:33 expected="< 2" received=2 filename=k6-testing.js line=27`,
      `test marked as failed: error=expect(received).toBeLessThan(expected) at=${script}:27:33 expected="< 2" received=2 filename=k6-testing.js line=27`,
      'test run was marked as failed',
    ]);
  });

  it('k6-testing: a failed hard assertion aborts the test (exit 108) with the pretty message, its custom message first', async () => {
    const r = await run('k6-testing.js', { env: { HARD: '1' } });
    expect(r.exitCode).toBe(108);
    expect(metricValues(r, 'iterations')?.count ?? 0).toBe(0); // the first iteration was interrupted
    const script = path.join(SCRIPTS_DIR, 'compat', 'k6-testing.js');
    expect(logMessages(r.stderr).at(-1)).toBe([
      'test aborted: ',
      '',
      '   Error: the API should answer 201',
      `      At: ${script}:35:84`,
      '',
      'Expected: 201',
      'Received: 200',
      '',
      'Filename: k6-testing.js',
      '    Line: 35',
      '',
      '',
    ].join('\n'));
  });
});

describe('k6 compatibility: jslib httpx, formdata and totp', () => {
  it('httpx: a session\'s requests block like http.get and carry its base URL, headers, tags and params', async () => {
    const r = await run('jslib-httpx.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 17, fails: 0 });
    expect(Object.entries(verdicts(r)).filter(([, ok]) => !ok)).toEqual([]);
    expect(metricValues(r, 'http_reqs')?.count).toBe(16);
    // errorMetric: one of the 12 requests through request() failed errorMetricCondition.
    expect(metricValues(r, 'httpx_failures')).toMatchObject({ passes: 1, fails: 11 });
    expect(r.exitCode).toBe(0);
  });

  it('formdata: FormData.body() with its boundary is a multipart request a real parser reads back', async () => {
    const r = await run('jslib-formdata.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 7, fails: 0 });
    expect(r.exitCode).toBe(0);
  });

  it('totp: TOTP codes match RFC 6238\'s test vectors; verify accepts the current code only', async () => {
    const r = await run('jslib-totp.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 11, fails: 0 });
    expect(r.exitCode).toBe(0);
  });
});

describe('k6 compatibility: jslib ajv, k6-reporter, expect, jsonpath and form-urlencoded', () => {
  it('ajv: schemas compiled in init validate response data; errors carry Ajv 6\'s dataPath and messages as script Arrays', async () => {
    const before = target.recorded.length;
    const r = await run('jslib-ajv.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 13, fails: 0 });
    expect(target.recorded.slice(before)).toEqual([{
      text: [
        'body.count should be integer', 'body.users[0].id should be >= 1', 'body.users[0].name should NOT be shorter than 2 characters',
        'body.users[0].roles[1] should match format "role"', "body.users[1] should have required property 'id'", 'body.users[1].name should be string',
      ].join('\n'),
    }]);
    expect(r.exitCode).toBe(0);
  });
  it('k6-reporter: htmlReport(data, { title }) from the GitHub bundle URL gives Stampede\'s own self-contained HTML report', async () => {
    const r = await run('jslib-k6-reporter.js');
    expect(r.stderr).not.toContain('GoError');
    expect(r.exitCode).toBe(99); // the counter threshold failed
    const html = r.written.get('report.html') ?? '';
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<title>Checkout &lt;nightly&gt;</title>');
    expect(html).not.toMatch(/<(script|link)\b/); // self-contained, nothing to fetch
    // The cards: 4 requests, 2 failed, 1 breached threshold, 2 failed checks.
    expect([...html.matchAll(/<div class="card[^"]*"><b>(\d+)<\/b>([^<]+)<\/div>/g)].map((m) => `${m[2]}=${m[1]}`))
      .toEqual(['Total requests=4', 'Failed requests=2', 'Breached thresholds=1', 'Failed checks=2']);
    expect(html).toContain('<h4>█ shop &amp; &quot;basket&quot;</h4>');
    expect(html).toContain('✗</span> missing &lt;b&gt;page&lt;/b&gt; found</td><td>0</td><td>2</td><td>0.00%</td>');
    expect(html).toMatch(/<tr><td><span class="">http_req_duration<\/span><\/td>(<td>[\d.]+(ms|µs|s)<\/td>){6}<\/tr>/);
    expect(html).toContain('<th>avg</th><th>min</th><th>med</th><th>max</th><th>p(90)</th><th>p(95)</th>');
    expect(html).toContain('<td><span class="bad">orders_placed</span></td><td>2</td>');
    expect(html).toContain('<td>orders_placed</td><td><code>count&gt;5</code></td><td><span class="bad">✗ failed</span></td>');
    expect(html).toContain('<td>http_req_duration</td><td><code>p(95)&lt;5000</code></td><td><span class="good">✓ passed</span></td>');
    expect(r.written.get('pinned.html')).toMatch(/<title>Stampede test report \d{4}-\d\d-\d\d \d\d:\d\d<\/title>/);
    expect(r.stdout).toContain('http_reqs');
  });
  it('expect and functional: describe() groups chained matchers, one check each; a failed matcher ends the block', async () => {
    const before = target.recorded.length;
    const r = await run('jslib-expect.js');
    expect(r.exitCode).toBe(0);
    expect(target.recorded.slice(before)).toEqual([{ results: [true, false, false, false, true, false, true], caught: 'FunkBrokenChainException' }]);
    expect(groupChecks(r)).toEqual({
      'list users': [
        'status is 200. ✓1 ✗0', `${target.url}/api/users has valid json response ✓1 ✗0`, 'user count is greater than 1 ✓1 ✗0',
        'user count is less or equal to 2 ✓1 ✗0', 'user count is between 1 - 5 ✓1 ✗0', 'users body schema validation ✓1 ✗0',
        '1 is 1 ✓1 ✗0', '1 is truthy. ✓1 ✗0', '1 is greater or equal to 1 ✓1 ✗0', '1 is less than 9 ✓1 ✗0',
      ],
      'missing user': ["missing status is 404. Expected '200' ✓0 ✗1"],
      'bad user': ['user schema validation ✓0 ✗1', 'user .id should be integer ✓0 ✗1'],
      exception: ['a is a ✓1 ✗0', 'Exception raised "Error: boom" ✓0 ✗1'],
      'caught chain': ['three is less than 2 ✓0 ✗1'],
      'not a response': [], // logged, no check
      // functional 0.0.x: a schema failure logs the errors and the chain goes on.
      'functional schema': ['partial schema validation ✓0 ✗1', "partial  should have required property 'name' ✓0 ✗1", '2 is 2 ✓1 ✗0'],
    });
    const logs = logMessages(r.stderr);
    expect(logs).toContain('Exception raised in test "exception". Failing the test and continuing. \nError: boom');
    expect(logs.filter((l) => l === 'This check has been aborted because the previous check in the chain has failed')).toHaveLength(1);
    expect(logs).toContain("The object passed to expect/and for toHaveValidJson isn't a k6 HttpResponse. Aborting the check.");
    expect(logs.find((l) => l.startsWith('[{'))).toContain('"dataPath":""');
  });
  it('jsonpath: queries, filter expressions, value/paths/nodes on a response feed the next request', async () => {
    const r = await run('jslib-jsonpath.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 5, fails: 0 });
    expect(r.exitCode).toBe(0);
  });

  it('form-urlencoded: a nested object posted as a form body reads back field by field', async () => {
    const r = await run('jslib-form-urlencoded.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 5, fails: 0 });
    expect(r.exitCode).toBe(0);
  });
});

describe('k6 compatibility: http gaps', () => {
  it("res.json() follows GJSON queries (#(…), #(…)#, %, nested) and modifiers; its values are the script's Objects and Arrays", async () => {
    const r = await run('json-queries.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 10, fails: 0 });
  });

  it("responseType 'binary' bodies are ArrayBuffers of the script (instanceof ArrayBuffer holds)", async () => {
    const r = await run('binary-response.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 3, fails: 0 });
  });

  it('what k6 modules return passes the script\'s instanceof tests (responses, batch arrays, k6 errors), as in one runtime', async () => {
    const r = await run('module-objects-instanceof.js');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 11, fails: 0 });
  });

  it('systemTags decides the scenario and group tags of samples and the check tag of checks', async () => {
    type Line = { metric: string; type: string; data: { tags?: Record<string, string> } };
    const points = (r: ScriptRun, file: string): Line[] => (r.written.get(file) ?? '').trim().split('\n')
      .map((l) => JSON.parse(l) as Line).filter((l) => l.type === 'Point');
    const some = await run('system-tags-scenario-group.js', { jsonOut: 'out/tags-some.json' });
    expect(some.exitCode).toBe(0);
    const lines = points(some, 'out/tags-some.json');
    expect(lines.find((l) => l.metric === 'http_reqs')?.data.tags).toEqual({ scenario: 'browse', status: '200' });
    expect(lines.find((l) => l.metric === 'checks')?.data.tags).toEqual({ scenario: 'browse' });
    expect(lines.find((l) => l.metric === 'iterations')?.data.tags).toEqual({ scenario: 'browse' });
    expect(lines.filter((l) => l.data.tags?.group !== undefined || l.data.tags?.check !== undefined)).toEqual([]);
    // Without the option every default system tag is there.
    const all = await run('check-tags.js', { jsonOut: 'out/tags-all.json' });
    const check = points(all, 'out/tags-all.json').find((l) => l.metric === 'checks')?.data.tags;
    expect(check).toHaveProperty('check');
    expect(check).toHaveProperty('group');
    expect(check).toHaveProperty('scenario');
  });

  it('systemTags without group: the summary still lists every check, root_group and the export have none', async () => {
    for (const summaryMode of ['compact', 'full']) {
      const r = await run('system-tags-no-group.js', { summaryMode, summaryExport: 'out/no-group.json' });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('checks_succeeded...: 100.00% 4 out of 4\n    checks_failed......: 0.00%   0 out of 4\n\n    ✓ user is 200\n    ✓ outside any group\n');
      expect(r.stdout).not.toContain('GROUP');
      const empty = { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e' };
      expect(r.result?.summaryData.root_group).toEqual({ ...empty, groups: [], checks: [] });
      expect((JSON.parse(r.written.get('out/no-group.json') ?? '{}') as { root_group: unknown }).root_group).toEqual({ ...empty, groups: {}, checks: {} });
    }
  });

  it('exec.vu.metrics.metadata reaches --out json points as "metadata", not tags', async () => {
    const r = await run('metadata-json.js', { jsonOut: 'out/metadata.json' });
    expect(r.exitCode).toBe(0);
    type Line = { metric: string; type: string; data: { tags: Record<string, string>; metadata?: Record<string, string> } };
    const points = (r.written.get('out/metadata.json') ?? '').trim().split('\n')
      .map((l) => JSON.parse(l) as Line).filter((l) => l.type === 'Point');
    const reqs = points.filter((l) => l.metric === 'http_reqs');
    expect(reqs.map((l) => l.data.metadata)).toEqual([{ attempt: '1', trace_id: 'abc' }, undefined]);
    expect(reqs[0]?.data.tags).not.toHaveProperty('trace_id');
    expect(points.find((l) => l.metric === 'traced')?.data.metadata).toEqual({ attempt: '1', trace_id: 'abc' });
    expect(points.find((l) => l.metric === 'iterations')?.data).not.toHaveProperty('metadata');
  });
});


describe('k6 compatibility: module details (console, errors, cookies, encoding)', () => {
  const failedChecks = (r: ScriptRun): string[] =>
    (r.result?.summaryData.root_group.checks ?? []).filter((c) => c.fails > 0).map((c) => c.name);

  it('console.log prints objects, arrays, errors and binary data as k6 v2 does (not JSON)', async () => {
    const r = await run('console-objects.js');
    expect(r.exitCode).toBe(0);
    // stderr is not a terminal: logfmt lines, as k6 writes them; msg is Go-quoted.
    const lines = logMessages(r.stderr.split('\n').filter((l) => l.endsWith(' source=console')).join('\n'));
    expect(lines).toEqual([
      '{ id: 1, name: "ann", roles: [ "admin", "dev" ] }',
      'roles: [ "admin", "dev" ] count: 2',
      '{ status: 200, ok: true, missing: null, nothing: null, fn: [object Function] }',
      '[]',
      'Error: something broke',
      'ArrayBuffer { [Uint8Contents]: <01 02 ff>, byteLength: 3 } Uint8Array(3) [ 1, 2, 255 ]',
      '{ name: "root", self: [Circular] } "1970-01-01T00:00:00.000Z"',
    ]);
    expect(r.stderr).toMatch(/^time="[^"]+" level=error msg="Error: something broke" source=console$/m);
  });

  it('res.json() on a body that is not JSON throws a GoError with the line and character; uncaught, it is logged', async () => {
    const r = await run('json-parse-errors.js');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 6, fails: 0 });
    expect(r.stderr).toContain("GoError: cannot parse json due to an error at line 1, character 1 , error: invalid character '<' looking for beginning of value");
    expect(r.stderr).toMatch(/source=stacktrace/);
    expect(r.exitCode).toBe(0);
  });

  it('the cookie jar API: request.cookies lists what was sent, delete/clear act on the URL\'s default path', async () => {
    const r = await run('cookie-jar-api.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 10, fails: 0 });
  });

  it('k6/encoding and k6/crypto: Go\'s base64 errors and flavours, hashes need an output encoding', async () => {
    const r = await run('encoding-edge.js');
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 8, fails: 0 });
  });

  it('k6/experimental/fs and csv: a SharedArray of rows by iteration, a Parser per VU, File read/seek/stat', async () => {
    const r = await run('csv-data.js', { workers: 2 });
    expect(r.stderr).toBe('');
    expect(failedChecks(r)).toEqual([]);
    expect(checks(r)).toMatchObject({ passes: 15, fails: 0 });
    expect(r.exitCode).toBe(0);
  });

  it('--out csv writes k6\'s header and a row per sample, system tags in columns', async () => {
    const r = await run('check-tags.js', { csvOut: 'out/compat.csv' });
    expect(r.exitCode).toBe(0);
    const [header, ...rows] = (r.written.get('out/compat.csv') ?? '').trim().split('\n');
    expect(header).toBe('metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata');
    const cells = rows.map((row) => row.split(','));
    expect(cells.filter((c) => c[0] === 'http_reqs').map((c) => [c[2], c[8], c[13], c[16]])).toEqual(
      Array.from({ length: 3 }, () => ['1.000000', 'GET', '200', `${target.url}/api/users/2`]),
    );
    const checkRows = cells.filter((c) => c[0] === 'checks');
    expect(checkRows).toHaveLength(15);
    expect(checkRows.filter((c) => c[3] === 'body mentions bob').map((c) => c.at(-2))).toEqual(['area=body', 'area=body', 'area=body']);
    expect(cells.every((c) => /^\d{10}$/.test(c[1] ?? ''))).toBe(true);
  });

  it('expectedStatuses() argument errors, and setResponseCallback(null) stops http_req_failed', async () => {
    const r = await run('response-callback-args.js', { jsonOut: 'out/compat-callback.json' });
    expect(failedChecks(r)).toEqual([]);
    expect(verdicts(r)).toEqual({ 'http_req_failed rate==0.5': true, 'http_reqs{expected_response:true} count==1': true });
    expect(r.exitCode).toBe(0);
    const failed = (r.written.get('out/compat-callback.json') ?? '').trim().split('\n')
      .map((l) => JSON.parse(l) as { metric: string; type: string; data: { value: number; tags?: Record<string, string> } })
      .filter((l) => l.type === 'Point' && l.metric === 'http_req_failed').map((l) => [l.data.tags?.status, l.data.value]);
    expect(failed).toEqual([['404', 0], ['200', 1]]);
  });
});

describe('k6 compatibility: real-world scripts (test/k6-real-world-parity.md)', () => {
  it('TypeScript importing types from k6/options and k6/http without `type`: the type-only import is dropped, as k6 does', async () => {
    const r = await run('real-world/ts-type-imports.ts');
    expect(r.stderr).toBe('');
    expect(checks(r)).toMatchObject({ passes: 2, fails: 0 });
    expect(r.exitCode).toBe(0);
  });

  it('one-VU scenarios on two worker threads: each scenario\'s progress reaches 100 % (a worker without its VU does not hold it at 0)', async () => {
    const { r, scenarios } = await runWithProgress('one-vu-scenarios.js', 2);
    expect(r.exitCode).toBe(0);
    const fractions = Object.fromEntries(scenarios.map((s) => [s.name, s.fraction]));
    expect(fractions).toEqual({ smoke: 1, steady: 1, stress: 1 });
  });

  it('ramping-vus with a cool-down stage at 0 VUs ends its progress at 100 %, on one worker or two (k6: the raw steps\' end)', async () => {
    for (const workers of [1, 2]) {
      const { r, scenarios } = await runWithProgress('ramp-down-tail.js', workers);
      expect(r.exitCode).toBe(0);
      expect(scenarios.map((s) => [s.name, s.fraction])).toEqual([['default', 1]]);
    }
  });

  it('a ramping-arrival-rate whose only iteration falls to one worker\'s share stops its bar where k6\'s one process does (~75 %), on one worker or two', async () => {
    for (const workers of [1, 2]) {
      const { r, scenarios } = await runWithProgress('arrival-rate-early-end.js', workers);
      expect(r.exitCode).toBe(0);
      expect(r.result?.summaryData.metrics['iterations']?.values.count).toBe(1);
      const fraction = scenarios.find((s) => s.name === 'contacts')?.fraction ?? 0;
      expect(fraction).toBeGreaterThan(0.74);
      expect(fraction).toBeLessThan(0.9);
    }
  });

  it('a vendored UMD library with a Node-only require(\'stream\') branch loads; the branch fails only when called', async () => {
    const r = await run('real-world/umd-node-branch.js');
    expect(r.stderr).toBe('');
    expect(checks(r)).toMatchObject({ passes: 3, fails: 0 });
    expect(r.exitCode).toBe(0);
  });
});
