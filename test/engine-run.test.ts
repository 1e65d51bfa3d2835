// End-to-end runs of the k6 script corpus (test/scripts) through the engine's public entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedChecks, metricValues, runInput, runScript, SCRIPTS_DIR, startTarget, tarArchive, type Target } from './scripts/engine-harness.ts';
import type { RunFlags } from '../src/engine/index.ts';

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await target.close();
});
const env = () => ({ env: { BASE: target.url } });

describe('engine end to end', () => {
  it('shared-iterations runs the exact count, with module state per VU', async () => {
    const run = await runScript('per-vu-state.js');
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'iterations')?.count).toBe(12);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 12, fails: 0 });
    expect(run.stdout).toContain('✓ module state is per VU');
  });

  it('a script that logs in a tight loop ends on time with every line written: the workers wait for the log writer, as k6\u2019s VUs wait on its logger', async () => {
    const script = "export const options = { vus: 2, duration: '3s' };\nexport default function () { console.log('no users or rooms available, skipping'); }\n";
    let started = 0;
    const run = await runInput({ name: 'hot-log.js', data: new TextEncoder().encode(script) }, { workers: 2 }, { onStart: () => { started = Date.now(); } });
    const wall = Date.now() - started;
    expect(run.exitCode).toBe(0);
    const lines = run.stderr.split('\n').filter((l) => l.includes('msg="no users or rooms available, skipping"')).length;
    expect(lines).toBe(metricValues(run, 'iterations')?.count);
    // From the start: the backlog of lines once took the main thread several times the test's duration
    // to write (over 11 s for these 3 s); the margin is for a loaded machine.
    expect(wall).toBeLessThan(7_500);
  });

  it('vus and vus_max come on 1 s ticks from the VUs\' init, as k6\'s scheduler emits them: none in a sub-second run, one each just over a second', async () => {
    const instant = 'export const options = { vus: 3, iterations: 3 };\nexport default function () {}\n';
    const short = await runInput({ name: 'instant.js', data: new TextEncoder().encode(instant) }, { workers: 1, summaryExport: 'out/export.json' });
    expect(short.exitCode).toBe(0);
    expect(metricValues(short, 'iterations')?.count).toBe(3);
    expect(metricValues(short, 'vus')).toBeUndefined();
    expect(metricValues(short, 'vus_max')).toBeUndefined();
    expect(short.stdout).not.toMatch(/vus(_max)?\.+:/);
    expect(Object.keys((JSON.parse(short.written.get('out/export.json') ?? '{}') as { metrics: object }).metrics)).not.toContain('vus_max');
    // One of two VUs busy for 1.3 s: the tick at 1 s (that VU active) is the only one.
    const busy = "import { sleep } from 'k6';\nexport const options = { vus: 2, iterations: 2 };\nexport default function () { if (__VU === 1) sleep(1.3); }\n";
    const over = await runInput({ name: 'second.js', data: new TextEncoder().encode(busy) }, { workers: 1 });
    expect(over.exitCode).toBe(0);
    expect(metricValues(over, 'vus')).toMatchObject({ value: 1, min: 1, max: 1 });
    expect(metricValues(over, 'vus_max')).toMatchObject({ value: 2, min: 2, max: 2 });
  });

  it('an asyncRequest\'s callbacks wait while the VU is inside a blocking call, as k6\'s event loop runs nothing then', async () => {
    const source = "import http from 'k6/http';\n"
      + 'export default function () {\n'
      + "  http.asyncRequest('GET', __ENV.BASE).then((r) => console.log(`async ${r.status}`));\n"
      + '  http.get(__ENV.BASE);\n  console.log(\'sync\');\n}\n';
    const run = await runInput({ name: 'async-order.js', data: new TextEncoder().encode(source) }, { ...env(), iterations: 2 });
    expect(run.exitCode).toBe(0);
    expect([...run.stderr.matchAll(/msg="?(sync|async \d+)/g)].map((m) => m[1])).toEqual(['sync', 'async 200', 'sync', 'async 200']);
  });

  it('a ramp over two worker threads starts VUs 1, 2, 3, 4 in that order, as k6 does', async () => {
    const source = "import exec from 'k6/execution';\nimport { sleep } from 'k6';\n"
      + "export const options = { scenarios: { r: { executor: 'ramping-vus', stages: [{ duration: '1200ms', target: 4 }, { duration: '300ms', target: 4 }], gracefulRampDown: '0s' } } };\n"
      + 'export default function () { if (exec.vu.iterationInScenario === 0) console.log(`start ${__VU}`); sleep(0.05); }\n';
    // The hold lets VU 4 iterate: planned at the very end of a ramp, k6 stops it before its first iteration (grafana/k6#2237).
    const run = await runInput({ name: 'ramp-ids.js', data: new TextEncoder().encode(source) }, { workers: 2 });
    expect(run.exitCode).toBe(0);
    expect([...run.stderr.matchAll(/start (\d+)/g)].map((m) => Number(m[1]))).toEqual([1, 2, 3, 4]);
  });

  it('shared-iterations over two worker threads draws from one counter: a slow VU leaves its share to the other, as in one k6 process', async () => {
    const source = "import exec from 'k6/execution';\nimport { sleep } from 'k6';\n"
      + "export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 2, iterations: 20, maxDuration: '20s' } } };\n"
      + 'export default function () { console.log(`it ${exec.scenario.iterationInTest} ${exec.scenario.iterationInInstance}`); sleep(exec.vu.idInTest === 1 ? 1 : 0.01); }\n';
    const started = Date.now();
    const run = await runInput({ name: 'shared-slow.js', data: new TextEncoder().encode(source) }, { workers: 2 });
    expect(run.exitCode).toBe(0);
    // A split of 10 iterations per thread would keep VU 1 busy for 10 s.
    expect(Date.now() - started).toBeLessThan(8000);
    expect(metricValues(run, 'iterations')?.count).toBe(20);
    expect(metricValues(run, 'dropped_iterations')).toBeUndefined();
    // Iteration numbers are the instance's: 0…19, each once, the same in test and instance.
    const numbers = [...run.stderr.matchAll(/it (\d+) (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(numbers.map(([t]) => t).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(numbers.every(([t, i]) => t === i)).toBe(true);
  });

  it('shared-iterations over two worker threads reports what maxDuration left unstarted once, as one dropped_iterations sample', async () => {
    const source = "import { sleep } from 'k6';\n"
      + "export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 2, iterations: 100, maxDuration: '1s', gracefulStop: '0s' } } };\n"
      + 'export default function () { sleep(0.4); }\n';
    const run = await runInput({ name: 'shared-dropped.js', data: new TextEncoder().encode(source) }, { workers: 2, jsonOut: 'out/dropped.json' });
    expect(run.exitCode).toBe(0);
    const points = (run.written.get('out/dropped.json') ?? '').trim().split('\n').map((l) => JSON.parse(l) as { type: string; metric: string; data: { value: number } })
      .filter((p) => p.type === 'Point' && p.metric === 'dropped_iterations');
    // Two VUs start about 3 iterations each in 1 s; the rest (94 when on time) go as one sample, not one per thread.
    expect(points).toHaveLength(1);
    expect(points[0]?.data.value).toBeGreaterThanOrEqual(88);
    expect(points[0]?.data.value).toBeLessThanOrEqual(98);
  });

  it('a threshold key with spaces inside its braces is one submetric, under k6\'s trimmed name, in the summary and its data', async () => {
    const data = new TextEncoder().encode(
      "import { Counter } from 'k6/metrics';\nconst c = new Counter('cc');\n" +
      "export const options = { iterations: 3, thresholds: { 'cc{ k : v }': ['count==3'] } };\n" +
      "export default function () { c.add(1, { k: 'v' }); }\n",
    );
    const run = await runInput({ name: 'spaced-threshold.js', data }, { workers: 1 });
    expect(run.exitCode).toBe(0);
    expect(Object.keys(run.result?.summaryData.metrics ?? {}).filter((k) => k.startsWith('cc'))).toEqual(['cc', 'cc{k : v}']);
    expect(run.stdout.match(/\{ k : v \}/g)).toHaveLength(1);
  });

  it('threshold keys naming the same tags in another order are one submetric, under the first key, with both thresholds', async () => {
    const data = new TextEncoder().encode(
      "import { Counter } from 'k6/metrics';\nconst c = new Counter('cc');\n" +
      "export const options = { iterations: 3, thresholds: { 'cc{a:1,b:2}': ['count>0'], 'cc{b:2,a:1}': ['count<2'] } };\n" +
      "export default function () { c.add(1, { a: '1', b: '2' }); }\n",
    );
    const run = await runInput({ name: 'reordered-threshold.js', data }, { workers: 1, summaryExport: 'out/export.json' });
    expect(run.exitCode).toBe(99);
    const metrics = run.result?.summaryData.metrics ?? {};
    expect(Object.keys(metrics).filter((k) => k.startsWith('cc'))).toEqual(['cc', 'cc{a:1,b:2}']);
    expect(metrics['cc{a:1,b:2}']?.thresholds).toEqual({ 'count>0': { ok: true }, 'count<2': { ok: false } });
    const exported = JSON.parse(run.written.get('out/export.json') ?? '{}') as { metrics: Record<string, unknown> };
    expect(Object.keys(exported.metrics).filter((k) => k.startsWith('cc'))).toEqual(['cc', 'cc{a:1,b:2}']);
    expect(run.stdout).not.toContain('b:2,a:1');
    expect(run.stderr).toContain("thresholds on metrics 'cc{a:1,b:2}' have been crossed");
  });

  it('scenarios run their exec function with their env, and -e values reach __ENV', async () => {
    const run = await runScript('scenarios-exec-env.js', { env: { FROM_CLI: 'yes' } });
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'iterations')?.count).toBe(2 * 3 + 5);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 11, fails: 0 });
  });

  it('blocking HTTP calls work inside check, group and forEach; passing thresholds exit 0', async () => {
    const run = await runScript('http-checks.js', env());
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'http_reqs')?.count).toBe(8);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 12, fails: 0 });
    expect(run.result?.thresholds.every((t) => t.ok)).toBe(true);
    expect(run.stdout).toContain('THRESHOLDS');
  });

  it('a failing threshold exits 99', async () => {
    const run = await runScript('thresholds-fail.js', env());
    expect(run.exitCode).toBe(99);
    expect(run.result?.thresholds.find((t) => t.key === 'http_req_failed')?.ok).toBe(false);
    expect(run.result?.thresholds.find((t) => t.key === 'http_req_duration')?.ok).toBe(true);
  });

  it('--no-thresholds ignores thresholds', async () => {
    const run = await runScript('thresholds-fail.js', { ...env(), noThresholds: true });
    expect(run.exitCode).toBe(0);
  });

  it('--no-thresholds still reports the submetrics the threshold keys name, once they have samples (k6 InitSubMetricsAndThresholds)', async () => {
    const source = [
      "import { Counter } from 'k6/metrics';",
      "const c = new Counter('cc');",
      "export const options = { iterations: 2, thresholds: { 'cc{kind:x}': ['count>100'], 'cc{kind:z}': ['count>0'], 'nope{a:b}': ['count>0'] } };",
      "export default function () { c.add(1, { kind: 'x' }); c.add(2, { kind: 'y' }); }",
    ].join('\n');
    const run = await runInput({ name: 'no-thr-sub.js', data: new TextEncoder().encode(source) }, { noThresholds: true });
    expect(run.exitCode).toBe(0);
    const metrics = run.result?.summaryData.metrics ?? {};
    expect(metrics['cc{kind:x}']).toEqual({ type: 'counter', contains: 'default', values: { count: 2, rate: expect.any(Number) } });
    // No samples: not reported (with thresholds on, it would be, with its threshold).
    expect(metrics['cc{kind:z}']).toBeUndefined();
    expect(run.stdout).toMatch(/\{ kind:x \}\.*: 2 /);
  });

  it('--out json Metric lines: http_req_duration lists the expected_response submetric; --no-thresholds lists no thresholds', async () => {
    const source = [
      "import http from 'k6/http';",
      "export const options = { iterations: 1, thresholds: { http_req_duration: ['p(95)<5000'], 'http_req_duration{status:200}': ['max<5000'] } };",
      'export default function () { http.get(`${__ENV.BASE}/`); }',
    ].join('\n');
    type Line = { type: string; metric: string; data: { thresholds: unknown; submetrics: { name: string }[] | null } };
    const described = async (flags: RunFlags): Promise<Line['data'] | undefined> => {
      const run = await runInput({ name: 'json-desc.js', data: new TextEncoder().encode(source) }, { ...env(), ...flags, jsonOut: 'out/desc.json' });
      expect(run.exitCode).toBe(0);
      const lines = (run.written.get('out/desc.json') ?? '').trim().split('\n').map((l) => JSON.parse(l) as Line);
      return lines.find((l) => l.type === 'Metric' && l.metric === 'http_req_duration')?.data;
    };
    const subs = ['http_req_duration{status:200}', 'http_req_duration{expected_response:true}'];
    const on = await described({});
    expect([on?.thresholds, on?.submetrics?.map((s) => s.name)]).toEqual([['p(95)<5000'], subs]);
    const off = await described({ noThresholds: true });
    expect([off?.thresholds, off?.submetrics?.map((s) => s.name)]).toEqual([[], subs]);
    const none = await described({ noThresholds: true, noSummary: true });
    expect([none?.thresholds, none?.submetrics]).toEqual([[], null]);
  });

  it('abortOnFail stops a long test early with 99, and teardown still runs', async () => {
    const before = target.recorded.length;
    const started = Date.now();
    const run = await runScript('abort-on-fail.js', env());
    expect(run.exitCode).toBe(99);
    expect(run.result?.abortReason).toBe('threshold');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(target.recorded.slice(before)).toContainEqual({ teardown: 'after abort' });
  });

  it('a setup() exception ends the run with its stack as the log prints it: the script\'s lines, no Stampede frames', async () => {
    const source = 'export const options = { vus: 1, iterations: 1 };\n'
      + "export function setup() { throw new Error('setup boom'); }\n"
      + 'export default function () {}\n';
    const run = await runInput({ name: 'setup-throws.js', data: new TextEncoder().encode(source) }, { workers: 1 });
    expect(run.exitCode).toBe(107);
    expect(run.result?.abortReason).toBe('script-error');
    const message = run.result?.abortMessage ?? '';
    expect(message).toMatch(/^Error: setup boom\n\tat setup \(file:\/\/\/.*setup-throws\.js:2:33\)/);
    expect(message).not.toMatch(/src\/engine|node_modules|__stampede/);
  });

  it('setup data is JSON round-tripped to each VU and to teardown', async () => {
    const before = target.recorded.length;
    const run = await runScript('setup-teardown.js', env());
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 8, fails: 0 });
    expect(target.recorded.slice(before)).toEqual([{ token: 'abc', list: [1, 2, 3], u: null }]);
    expect(run.result?.summaryData.setup_data).toEqual({ token: 'abc', list: [1, 2, 3], u: null });
  });

  it('handleSummary outputs replace the default summary', async () => {
    const run = await runScript('handle-summary.js', { summaryExport: 'out/export.json' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('custom summary: 2 iterations\n');
    expect(JSON.parse(run.written.get('out/summary.json') ?? '{}')).toEqual({ iterations: 2 });
    expect(JSON.parse(run.written.get('out/export.json') ?? '{}').metrics.iterations.count).toBe(2);
  });

  it('a runaway while(true) VU is stopped by gracefulStop, and starts no second iteration (k6 counts 1 interrupted)', async () => {
    const started = Date.now();
    const run = await runScript('runaway.js');
    expect(run.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(metricValues(run, 'iterations')?.count ?? 0).toBe(0);
    // The spinning VU blocked the worker's timers: when the stop interrupts it, the scenario's window
    // must still be read as closed, or the VU would start (and be interrupted in) another iteration.
    expect(run.stderr.match(/iteration \d+ started/g)).toEqual(['iteration 0 started']);
  });

  it('exec.test.abort() exits 108 and cannot be caught', async () => {
    const run = await runScript('script-abort.js');
    expect(run.exitCode).toBe(108);
    expect(metricValues(run, 'iterations')?.count ?? 0).toBe(0);
  });

  it('exec.test.abort() in one VU stops every VU at once: no iteration starts after it, the one in flight is interrupted', async () => {
    const started = Date.now();
    const run = await runScript('abort-stops-vus.js');
    expect(run.exitCode).toBe(108);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(run.stderr.match(/vu \d iteration \d started/g)?.sort()).toEqual(['vu 1 iteration 0 started', 'vu 2 iteration 0 started']);
    expect(metricValues(run, 'iterations')?.count ?? 0).toBe(0);
  });

  it('exec.test.fail() exits 110 after running to the end', async () => {
    const run = await runScript('test-fail.js');
    expect(run.exitCode).toBe(110);
    expect(metricValues(run, 'iterations')?.count).toBe(3);
  });

  it('an exception in init exits 107 with its message', async () => {
    const run = await runScript('init-error.js');
    expect(run.exitCode).toBe(107);
    expect(run.stderr).toContain('broken init');
  });

  // k6 attaches no exit code to these (internal/loader, internal/js/bundle.go populateExports): 255.
  it('a missing script file exits 255 with k6\'s loader message', async () => {
    const run = await runScript('no-such-script.js');
    expect(run.exitCode).toBe(255);
    expect(run.stderr).toContain('The moduleSpecifier "no-such-script.js" couldn\'t be found on local disk.');
  });

  it('a script without exported functions, or with a setup that is not a function, exits 255', async () => {
    const source = (text: string): { name: string; data: Uint8Array } => ({ name: 'exports.js', data: new TextEncoder().encode(text) });
    const none = await runInput(source('export const options = { iterations: 1 };\n'));
    expect(none.exitCode).toBe(255);
    // test_load.go puts the test's name and URL before populateExports' error (js.New's).
    expect(none.stderr).toMatch(/could not initialize 'exports\.js': could not load JS test 'file:\/\/\/[^']*exports\.js': no exported functions in script/);
    const setup = await runInput(source('export const setup = 5;\nexport default function () {}\n'));
    expect(setup.exitCode).toBe(255);
    expect(setup.stderr).toMatch(/could not initialize 'exports\.js': could not load JS test 'file:\/\/\/[^']*exports\.js': exported 'setup' must be a function/);
    // From an archive, js.NewFromArchive's words.
    const data = await tarArchive({
      'metadata.json': JSON.stringify({ type: 'js', filename: 'file:///s/script.js', pwd: 'file:///s/', options: {}, k6version: '2.2.0' }),
      data: 'export const options = { iterations: 1 };\n',
    });
    const archived = await runInput({ name: 'none.tar', data });
    expect(archived.exitCode).toBe(255);
    expect(archived.stderr).toMatch(/could not initialize 'none\.tar': could not load JS from test archive bundle 'file:\/\/\/[^']*none\.tar': no exported functions in script/);
  });

  it("an archive's options reach the script's exported options, shortcuts included; test.options still hides them (k6 bundle_test.go script_options_dont_overwrite_metadata)", async () => {
    const script = `import exec from 'k6/execution';
export const options = { vus: 12345, iterations: 1 };
export default function () { console.log('vus=' + options.vus + ' iterations=' + options.iterations + ' hidden=' + !('vus' in exec.test.options)); }
`;
    const data = await tarArchive({
      'metadata.json': JSON.stringify({ type: 'js', filename: 'file:///s/script.js', pwd: 'file:///s/', options: { vus: 2, iterations: 2 }, k6version: '2.2.0' }),
      data: script,
    });
    const run = await runInput({ name: 'a.tar', data });
    expect(run.exitCode).toBe(0);
    expect(run.stderr.match(/vus=\w+ iterations=\w+ hidden=\w+/g)).toEqual(['vus=2 iterations=2 hidden=true', 'vus=2 iterations=2 hidden=true']);
  });

  it("exported options holding a function fail as k6's json.Marshal does, 255 (k6 bundle_test.go Options/Invalid/Function)", async () => {
    const source = (text: string): { name: string; data: Uint8Array } => ({ name: 'options.js', data: new TextEncoder().encode(text) });
    for (const options of ['function () {}', '{ iterations: 1, ext: { f: () => 1 } }']) {
      const run = await runInput(source(`export const options = ${options};\nexport default function () {}\n`));
      expect(run.exitCode).toBe(255);
      expect(run.stderr).toContain("could not initialize 'options.js': could not load JS test 'file:///");
      expect(run.stderr).toContain("options.js': error parsing script options: json: unsupported type: func(sobek.FunctionCall) sobek.Value");
    }
  });

  it('a handleSummary that is not a function (undefined too, k6 summary_test): the run completes, no summary nor export, the error logged', async () => {
    for (const value of ['{}', 'undefined']) {
      const data = new TextEncoder().encode(`export const options = { iterations: 2 };\nexport const handleSummary = ${value};\nexport default function () {}\n`);
      const run = await runInput({ name: 'hs.js', data }, { summaryExport: 'out/export.json' });
      expect(run.exitCode).toBe(0);
      expect(run.result?.summaryData.metrics.iterations?.values.count).toBe(2);
      expect(run.stdout).toBe('');
      expect([...run.written.keys()]).toEqual([]);
      expect(run.stderr).toContain('msg="failed to handle the end-of-test summary" error="exported identifier handleSummary must be a function"');
    }
  });

  it('summaryTrendStats k6 cannot resolve exit 255; a summaryTimeUnit it does not know is taken, durations stay humanised', async () => {
    const source = (options: string): { name: string; data: Uint8Array } => ({
      name: 'units.js', data: new TextEncoder().encode(`export const options = ${options};\nexport default function () {}\n`),
    });
    const stats = await runInput(source("{ iterations: 1, summaryTrendStats: ['avg', 'p95'] }"));
    expect(stats.exitCode).toBe(255);
    expect(stats.stderr).toContain("invalid trend stat 'p95', unknown format");
    const unit = await runInput(source("{ iterations: 1, summaryTimeUnit: 'h', summaryTrendStats: ['max'] }"));
    expect(unit.exitCode).toBe(0);
    expect(unit.result?.summaryData.options.summaryTimeUnit).toBe('h');
    expect(unit.stdout).toMatch(/iteration_duration\.+: max=\d+(\.\d+)?(µs|ms)\n/);
  });

  it('a handleSummary result k6 cannot use (not a map, or a value neither text nor ArrayBuffer) writes nothing at all', async () => {
    const source = (ret: string): { name: string; data: Uint8Array } => ({
      name: 'hs.js', data: new TextEncoder().encode(`export const options = { iterations: 1 };\nexport default function () {}\nexport function handleSummary() { return ${ret}; }\n`),
    });
    const text = await runInput(source("'just text'"), { summaryExport: 'out/export.json' });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toBe('');
    expect([...text.written.keys()]).toEqual([]);
    expect(text.stderr).toContain('msg="failed to handle the end-of-test summary" error="handleSummary() should return a map with string keys"');
    const badValue = await runInput(source("{ stdout: 'kept?', 'out/a.json': 'x', 'out/b.json': 5 }"), { summaryExport: 'out/export.json' });
    expect(badValue.exitCode).toBe(0);
    expect(badValue.stdout).toBe('');
    expect([...badValue.written.keys()]).toEqual([]);
    expect(badValue.stderr).toContain('error handling summary object out/b.json: invalid type int64, it needs to be a string or ArrayBuffer');
    const fine = await runInput(source("{ stdout: 'ok\\n', 'out/a.json': 'x' }"), { summaryExport: 'out/export.json' });
    expect(fine.stdout).toBe('ok\n');
    expect([...fine.written.keys()].sort()).toEqual(['out/a.json', 'out/export.json']);
  });

  it('handleSummary past handleSummaryTimeout: no summary at all, k6\'s timeout logged, the exit code unchanged', async () => {
    const data = new TextEncoder().encode(
      "import { sleep } from 'k6';\nexport const options = { iterations: 1, handleSummaryTimeout: '1s' };\n" +
        "export default function () {}\nexport function handleSummary() { sleep(3); return { stdout: 'late' }; }\n",
    );
    const run = await runInput({ name: 'slow-summary.js', data });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('msg="failed to handle the end-of-test summary" error="handleSummary() execution timed out after 1 seconds"');
  });

  it('data_sent and data_received are reported at zero without HTTP, per lifecycle call and scenario, as k6 emits them after each', async () => {
    const source = (text: string): { name: string; data: Uint8Array } => ({ name: 'no-http.js', data: new TextEncoder().encode(text) });
    const run = await runInput(source('export const options = { iterations: 2 };\nexport default function () {}\n'), { summaryMode: 'full' });
    expect(metricValues(run, 'data_sent')).toEqual({ count: 0, rate: 0 });
    expect(metricValues(run, 'data_received')).toEqual({ count: 0, rate: 0 });
    expect(run.stdout).toMatch(/NETWORK\n {4}data_received\.+: 0 B 0 B\/s\n {4}data_sent\.+: 0 B 0 B\/s\n/);
    const aborted = await runInput(source("import exec from 'k6/execution';\nexport function setup() { exec.test.abort('stop'); }\nexport default function () {}\n"));
    expect(aborted.exitCode).toBe(108);
    expect(metricValues(aborted, 'data_sent')).toEqual({ count: 0, rate: 0 });
    expect(metricValues(aborted, 'iterations')).toBeUndefined();
  });

  it('setup\'s groups and checks come first in root_group and in the summary\'s check list, as k6 receives them first', async () => {
    const data = new TextEncoder().encode(
      "import { check, group } from 'k6';\nexport const options = { iterations: 3 };\n" +
        "export function setup() { group('prepare', () => { check(1, { 'in setup': () => true }); }); }\n" +
        "export default function () { group('work', () => { check(1, { 'in iteration': () => true }); }); }\n",
    );
    const run = await runInput({ name: 'setup-first.js', data });
    expect(run.result?.summaryData.root_group.groups.map((g) => g.name)).toEqual(['setup', 'work']);
    expect(run.stdout).toContain('    ✓ in setup\n    ✓ in iteration\n');
  });

  it('setup data JSON cannot hold (a cycle) stops the run with k6\'s json.Marshal error and 255: no iteration, no teardown', async () => {
    const data = new TextEncoder().encode(
      "export function setup() { const a = {}; a.self = a; return a; }\n" +
      "export default function () { console.log('iteration'); }\nexport function teardown() { console.log('teardown'); }\n",
    );
    const run = await runInput({ name: 'setup-cycle.js', data });
    expect(run.exitCode).toBe(255);
    expect(run.stderr).toContain('level=error msg="error marshaling setup() data to JSON: json: unsupported value: encountered a cycle via map[string]interface {}"');
    expect(run.stderr).not.toContain('iteration');
    expect(run.stderr).not.toContain('teardown');
    expect(run.stdout).toContain('TOTAL RESULTS');
  });

  it('an exception in setup or teardown is logged as k6 formats a script exception: the stack, hint and source', async () => {
    const source = (text: string): { name: string; data: Uint8Array } => ({ name: 'lifecycle.js', data: new TextEncoder().encode(text) });
    const setup = await runInput(source("export function setup() { throw new Error('no setup'); }\nexport default function () {}\n"));
    expect(setup.exitCode).toBe(107);
    expect(setup.stderr).toMatch(/level=error msg="Error: no setup\\n\\tat setup \([^"]*\)" hint="script exception" source=stacktrace\n/);
    const teardown = await runInput(source("export const options = { iterations: 1 };\nexport default function () {}\nexport function teardown() { throw new Error('no teardown'); }\n"));
    expect(teardown.exitCode).toBe(107);
    expect(teardown.stderr).toMatch(/level=error msg="Error: no teardown\\n\\tat teardown \([^"]*\)" hint="script exception" source=stacktrace\n/);
  });

  it('invalid options exit 104 listing every problem', async () => {
    const run = await runScript('invalid-options.js');
    expect(run.exitCode).toBe(104);
    expect(run.stderr).toMatch(/duration/);
    expect(run.stderr).toMatch(/no_such_metric/);
    expect(run.stderr).toMatch(/`iterations` and `scenarios`/);
  });

  it('a scenario exec naming no exported function: k6\'s validateConfig list, exit 104', async () => {
    const script = "export const options = { scenarios: { a: { executor: 'shared-iterations', exec: 'nope' } } };\nexport default function () {}\n";
    const run = await runInput({ name: 'bad-exec.js', data: new TextEncoder().encode(script) });
    expect(run.exitCode).toBe(104);
    expect(run.stderr).toBe("There were problems with the specified script configuration:\n\t- executor a: function 'nope' not found in exports");
  });

  it('a threshold on a metric name k6 cannot parse: k6\'s message alone, exit 104', async () => {
    const script = "export const options = { iterations: 1, thresholds: { 'http_reqs{}': ['count>0'] } };\nexport default function () {}\n";
    const run = await runInput({ name: 'bad-threshold-name.js', data: new TextEncoder().encode(script) });
    expect(run.exitCode).toBe(104);
    expect(run.stderr).toBe('unable to validate threshold expressions; reason: parsing metric name failed, metric "" tag expression is malformed');
  });

  it('setup past setupTimeout exits 100', async () => {
    const started = Date.now();
    const run = await runScript('setup-timeout.js');
    expect(run.exitCode).toBe(100);
    expect(Date.now() - started).toBeLessThan(9000);
  });

  it('teardown past teardownTimeout exits 101, and the summary still prints', async () => {
    const started = Date.now();
    const run = await runScript('teardown-timeout.js');
    expect(run.exitCode).toBe(101);
    expect(Date.now() - started).toBeLessThan(9000);
    expect(run.stdout).toContain('TOTAL RESULTS');
  });

  it('the timeout errors give whole seconds as Go\'s %.f does (half to even), not the option\'s fraction', async () => {
    const script = (text: string): { name: string; data: Uint8Array } => ({ name: 'timeouts.js', data: new TextEncoder().encode(`import { sleep } from 'k6';\n${text}`) });
    const setup = await runInput(script("export const options = { iterations: 1, setupTimeout: '400ms' };\nexport function setup() { sleep(10); }\nexport default function () {}\n"));
    expect(setup.exitCode).toBe(100);
    // k6's timeoutError carries a hint (timeout_error_test.go TestTimeoutErrorHint), printed as the error line's field.
    expect(setup.stderr).toContain('msg="setup() execution timed out after 0 seconds" hint="You can increase the time limit via the setupTimeout option"');
    const later = await runInput(script(
      "export const options = { iterations: 1, teardownTimeout: '2500ms', handleSummaryTimeout: '500ms' };\nexport default function () {}\n" +
        "export function teardown() { sleep(10); }\nexport function handleSummary() { sleep(10); return {}; }\n",
    ));
    expect(later.exitCode).toBe(101);
    expect(later.stderr).toContain('msg="teardown() execution timed out after 2 seconds" hint="You can increase the time limit via the teardownTimeout option"');
    expect(later.stderr).toContain('error="handleSummary() execution timed out after 0 seconds"');
  });

  it('a busy loop in setup() or handleSummary() is stopped at the timeout, as sobek\'s interrupt stops k6\'s, even when it would end soon after', async () => {
    const script = (text: string): { name: string; data: Uint8Array } => ({ name: 'busy.js', data: new TextEncoder().encode(`const busy = (ms) => { const end = Date.now() + ms; while (Date.now() < end) {} };\n${text}`) });
    const setup = await runInput(script("export const options = { iterations: 1, setupTimeout: '300ms' };\nexport function setup() { busy(900); return {}; }\nexport default function () {}\n"));
    expect(setup.exitCode).toBe(100);
    expect(setup.stderr).toContain('msg="setup() execution timed out after 0 seconds"');
    const summary = await runInput(script(
      "export const options = { iterations: 1, handleSummaryTimeout: '300ms' };\nexport default function () {}\nexport function handleSummary() { busy(900); return { stdout: 'late' }; }\n",
    ));
    expect(summary.stdout).toBe('');
    expect(summary.stderr).toContain('error="handleSummary() execution timed out after 0 seconds"');
  });

  it('an exception in an iteration is logged, counted as an iteration, and the run exits 0', async () => {
    const run = await runScript('iteration-exception.js');
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'iterations')?.count).toBe(3);
    expect(run.stderr).toMatch(/level=error msg="Error: iteration one failed/);
  });

  it('timers and asyncRequest finish inside their iteration', async () => {
    const run = await runScript('timers-async.js', env());
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 4, fails: 0 });
  });

  it('open() reads text and binary files relative to the script, and SharedArray shares them', async () => {
    const run = await runScript('open-files.js');
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 8, fails: 0 });
  });

  it('a missing file logs open()\'s GoError with the frames of the call, as k6 does (real-world: a data file left out)', async () => {
    const source = { name: 'opens.js', data: new TextEncoder().encode(
      "import { SharedArray } from 'k6/data';\nconst users = new SharedArray('users', function () { return JSON.parse(open('./users.json')); });\nexport default function () {}\n",
    ) };
    const run = await runInput(source);
    expect(run.exitCode).toBe(107);
    // The read settles after the script's frames have left the stack; the log still names the call.
    expect(run.stderr).toMatch(/GoError: open \/\S*\/users\.json: no such file or directory\n\tat file:\/\/\/\S*\/opens\.js:2:\d+\n\tat file:\/\/\/\S*\/opens\.js:2:\d+/);
  });

  it('open() fails with k6\'s GoError texts: a missing file, a directory, a file VU 0 did not open', async () => {
    const source = (text: string): { name: string; data: Uint8Array } => ({ name: 'opens.js', data: new TextEncoder().encode(text) });
    const missing = await runInput(source("open('./absent.csv');\nexport default function () {}\n"));
    expect(missing.exitCode).toBe(107);
    expect(missing.stderr).toMatch(/GoError: open \/\S*\/absent\.csv: no such file or directory/);
    const dir = await runInput(source("open('./fixtures');\nexport default function () {}\n"));
    expect(dir.exitCode).toBe(107);
    expect(dir.stderr).toMatch(/GoError: open\(\) can't be used with directories, path: "\/\S*\/fixtures"/);
    const later = await runInput(source("if (__VU === 2) open('./fixtures/users.json');\nexport const options = { vus: 2, iterations: 2 };\nexport default function () {}\n"));
    expect(later.exitCode).toBe(107);
    expect(later.stderr).toMatch(/GoError: open\(\) can't be used with files that weren't previously opened during initialization \(__VU==0\), path: \\"\/\S*\/fixtures\/users\.json\\"/);
  });

  it('a file VU 0 found missing, or a directory, fails the same way in later VUs (k6/experimental/fs NotFoundError, open() text)', async () => {
    const script =
      "import fs from 'k6/experimental/fs';\n" +
      "const names = [];\n" +
      "for (const p of ['./absent.json', './fixtures']) { try { await fs.open(p); } catch (e) { names.push(e.name); } }\n" +
      "try { open('./absent.json'); } catch (e) { names.push(String(e).replace(/ \\/.*\\//, ' /…/')); }\n" +
      "export const options = { vus: 2, iterations: 2 };\n" +
      "export default function () { console.log(`VU ${__VU}: ${names.join(' | ')}`); }\n";
    const run = await runInput({ name: 'fs-missing.js', data: new TextEncoder().encode(script) });
    expect(run.exitCode).toBe(0);
    const lines = run.stderr.split('\n').filter((l) => l.includes('source=console'));
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toContain('NotFoundError | InvalidResourceError | GoError: open /…/absent.json: no such file or directory');
  });

  it('k6/experimental/fs open() not awaited at the top level (the docs\' async IIFE) completes in init: every VU has the file', async () => {
    const script =
      "import { open } from 'k6/experimental/fs';\nimport { check } from 'k6';\n" +
      "let file;\n(async function () { file = await open('./fixtures/users.json'); })();\n" +
      "export const options = { vus: 2, iterations: 4 };\n" +
      "export default async function () { const info = await file.stat(); check(info, { 'opened': (i) => i.name.endsWith('users.json') && i.size > 0 }); }\n";
    const run = await runInput({ name: 'fs-iife.js', data: new TextEncoder().encode(script) });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 4, fails: 0 });
  });

  it('a user abort (first SIGINT) interrupts the executors; teardown and the summary still run; exit 105', async () => {
    const before = target.recorded.length;
    const started = Date.now();
    const run = await runScript('long-running.js', env(), {
      onStart: (running) => {
        // Abort once the executors run (a fixed delay could land in setup on a loaded machine).
        const poll = setInterval(() => {
          const running0 = target.recorded.slice(before).some((r) => (r as { iteration?: string } | null)?.iteration === 'running');
          if (running0 || Date.now() - started > 15_000) {
            clearInterval(poll);
            setTimeout(() => running.abort('user'), 300);
          }
        }, 50);
      },
    });
    expect(run.exitCode).toBe(105);
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(target.recorded.slice(before)).toContainEqual({ teardown: 'ran after user abort' });
    expect(metricValues(run, 'iterations')?.count).toBeGreaterThan(0);
    expect(run.stdout).toContain('TOTAL RESULTS');
  });

  it('a user abort during setup() interrupts it at once: exit 105, no iterations', async () => {
    const started = Date.now();
    const run = await runScript('abort-in-setup.js', {}, { onStart: (running) => setTimeout(() => running.abort('user'), 1500) });
    expect(run.exitCode).toBe(105);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(metricValues(run, 'iterations')?.count ?? 0).toBe(0);
  });

  it('an instance with --execution-segment runs only its share, split again over its workers', async () => {
    const before = target.recorded.length;
    const seq = { executionSegmentSequence: '0,1/2,1' };
    const first = await runScript('multi-worker.js', { ...env(), workers: 2, executionSegment: '0:1/2', ...seq });
    const second = await runScript('multi-worker.js', { ...env(), workers: 2, executionSegment: '1/2:1', ...seq });
    expect(metricValues(first, 'iterations')?.count).toBe(6);
    expect(metricValues(second, 'iterations')?.count).toBe(6);
    expect(target.recorded.length - before).toBe(4);
  });

  it('--tag run tags and scenario tags reach every sample', async () => {
    const run = await runScript('scenarios-exec-env.js', { env: { FROM_CLI: 'yes' }, tag: ['env=ci'], jsonOut: 'out/tags.json' });
    expect(run.exitCode).toBe(0);
    const points = (run.written.get('out/tags.json') ?? '').trim().split('\n').map((l) => JSON.parse(l) as { type: string; metric: string; data: { tags?: Record<string, string> } })
      .filter((l) => l.type === 'Point' && l.metric === 'iterations');
    expect(points.every((p) => p.data.tags?.env === 'ci')).toBe(true);
    expect(points.filter((p) => p.data.tags?.scenario === 'alpha').every((p) => p.data.tags?.team === 'red')).toBe(true);
    expect(points.filter((p) => p.data.tags?.scenario === 'beta').some((p) => p.data.tags?.team !== undefined)).toBe(false);
  });

  it('k6/execution instance counters sum every worker thread', async () => {
    const before = target.recorded.length;
    const run = await runScript('instance-counters.js', { ...env(), workers: 2 });
    expect(run.exitCode).toBe(0);
    expect(target.recorded.slice(before)).toEqual([{ completed: 12, initialized: 4 }]);
  });

  it('--out json writes every sample as k6 NDJSON points, each metric announced once across workers', async () => {
    const run = await runScript('multi-worker.js', { ...env(), workers: 2, jsonOut: 'out/points.json' });
    expect(run.exitCode).toBe(0);
    const lines = (run.written.get('out/points.json') ?? '').trim().split('\n').map((l) => JSON.parse(l) as { type: string; metric: string; data: { value?: number; tags?: Record<string, string> } });
    const iterationPoints = lines.filter((l) => l.type === 'Point' && l.metric === 'iterations');
    expect(iterationPoints).toHaveLength(12);
    expect(iterationPoints[0]?.data.tags).toMatchObject({ scenario: 'each' });
    const announced = lines.filter((l) => l.type === 'Metric').map((l) => l.metric);
    expect(new Set(announced).size).toBe(announced.length);
    expect(announced).toContain('http_reqs');
  });

  it('--out json gets one data_sent/data_received pair per iteration and setup call, zeros included, before the iteration\'s points', async () => {
    const source = [
      "import http from 'k6/http';",
      'export const options = { vus: 1, iterations: 3 };',
      'export function setup() { http.get(`${__ENV.BASE}/api/users`); }',
      'export default function () { if (__ITER !== 1) http.get(`${__ENV.BASE}/api/users`); }',
    ].join('\n');
    const run = await runInput({ name: 'bytes.js', data: new TextEncoder().encode(source) }, { ...env(), jsonOut: 'out/bytes.json' });
    expect(run.exitCode).toBe(0);
    const points = (run.written.get('out/bytes.json') ?? '').trim().split('\n').map((l) => JSON.parse(l) as { type: string; metric: string; data: { value: number; tags: Record<string, string> } })
      .filter((l) => l.type === 'Point' && ['data_sent', 'data_received', 'iterations'].includes(l.metric));
    const sent = points.filter((p) => p.metric === 'data_sent');
    // k6 (runFn, Dialer.IOSamples): one pair per call of setup and of each iteration, even a silent one.
    expect(sent.map((p) => [p.data.tags.group, p.data.tags.scenario])).toEqual([['::setup', undefined], ['', 'default'], ['', 'default'], ['', 'default']]);
    expect(sent.map((p) => p.data.value > 0)).toEqual([true, true, false, true]);
    expect(points.filter((p) => p.metric === 'data_received').map((p) => p.data.value > 0)).toEqual([true, true, false, true]);
    // Each iteration's bytes come right before its iterations point, as k6 sends them.
    const order = points.slice(2).map((p) => p.metric);
    expect(order).toEqual(['data_sent', 'data_received', 'iterations', 'data_sent', 'data_received', 'iterations', 'data_sent', 'data_received', 'iterations']);
  });

  it('with systemTags vu and iter, --out json points carry them as metadata, and per-vu-iterations\' dropped_iterations the vu tag', async () => {
    const source = [
      "import { sleep } from 'k6';",
      'export const options = { systemTags: [\'vu\', \'iter\', \'scenario\'], scenarios: { s: { executor: \'per-vu-iterations\', vus: 1, iterations: 10, maxDuration: \'1s\', gracefulStop: \'0s\' } } };',
      'export default function () { sleep(0.3); }',
    ].join('\n');
    const run = await runInput({ name: 'meta.js', data: new TextEncoder().encode(source) }, { jsonOut: 'out/meta.json' });
    expect(run.exitCode).toBe(0);
    type Point = { type: string; metric: string; data: { tags: Record<string, string>; metadata?: Record<string, string> } };
    const points = (run.written.get('out/meta.json') ?? '').trim().split('\n').map((l) => JSON.parse(l) as Point).filter((l) => l.type === 'Point');
    const iterations = points.filter((p) => p.metric === 'iterations');
    expect(iterations.map((p) => p.data.metadata)).toEqual(iterations.map((_, i) => ({ vu: '1', iter: String(i) })));
    expect(iterations.every((p) => p.data.tags.vu === undefined && p.data.tags.iter === undefined)).toBe(true);
    // k6's getMetricTags: the executor's own sample has vu as an indexed tag, and no metadata.
    const dropped = points.filter((p) => p.metric === 'dropped_iterations');
    expect(dropped.map((p) => [p.data.tags, p.data.metadata])).toEqual([[{ scenario: 's', vu: '1' }, undefined]]);
  });

  it('an asyncRequest keeps the group, tags and metadata of the moment it was made, as k6 prepares the request then', async () => {
    const source = [
      "import http from 'k6/http';",
      "import { group } from 'k6';",
      "import exec from 'k6/execution';",
      'export const options = { iterations: 1 };',
      'export default async function () {',
      '  let p;',
      "  exec.vu.metrics.metadata.trace_id = 'abc123';",
      "  group('g1', () => { p = http.asyncRequest('GET', `${__ENV.BASE}/async`); });",
      '  delete exec.vu.metrics.metadata.trace_id;',
      "  exec.vu.metrics.tags.later = 'yes';",
      '  await p;',
      "  await http.asyncRequest('GET', `${__ENV.BASE}/after`);",
      '}',
    ].join('\n');
    const run = await runInput({ name: 'async-tags.js', data: new TextEncoder().encode(source) }, { ...env(), jsonOut: 'out/async.json' });
    expect(run.exitCode).toBe(0);
    type Point = { type: string; metric: string; data: { tags: Record<string, string>; metadata?: Record<string, string> } };
    const points = (run.written.get('out/async.json') ?? '').trim().split('\n').map((l) => JSON.parse(l) as Point)
      .filter((l) => l.type === 'Point' && l.metric === 'http_req_duration');
    expect(points.map((p) => [p.data.tags.url?.replace(/^.*\//, ''), p.data.tags.group, p.data.tags.later, p.data.metadata])).toEqual([
      ['async', '::g1', undefined, { trace_id: 'abc123' }],
      ['after', '', 'yes', undefined],
    ]);
  });

  it('two workers split per-vu-iterations exactly and keep __VU unique', async () => {
    const before = target.recorded.length;
    const run = await runScript('multi-worker.js', { ...env(), workers: 2 });
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'iterations')?.count).toBe(12);
    const vus = (target.recorded.slice(before) as Array<{ vu: number }>).map((r) => r.vu).sort();
    expect(vus).toEqual([1, 2, 3, 4]);
  });
});

describe('executors and iteration pacing end to end', () => {
  it('constant-arrival-rate starts exactly rate × duration iterations, none dropped', async () => {
    const run = await runScript('arrival-rate.js');
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'iterations')?.count).toBe(20);
    expect(metricValues(run, 'dropped_iterations')?.count ?? 0).toBe(0);
  });

  it('an arrival rate a single VU cannot serve drops the iterations it cannot start', async () => {
    const run = await runScript('dropped-iterations.js');
    expect(run.exitCode).toBe(0);
    const done = metricValues(run, 'iterations')?.count ?? 0;
    const dropped = metricValues(run, 'dropped_iterations')?.count ?? 0;
    expect(done).toBeGreaterThanOrEqual(2);
    expect(done).toBeLessThanOrEqual(4);
    expect(done + dropped).toBe(10);
  });

  it('constant-arrival-rate over two worker threads runs a tick on the other thread\'s idle VU when its own are busy, as one k6 process does', async () => {
    // Worker 0 gets VUs 1 and 3 (slow), worker 1 VUs 2 and 4 (fast): alone, worker 0 would drop about 9 of its 15 ticks.
    const source = "import exec from 'k6/execution';\nimport { sleep } from 'k6';\n"
      + "export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '3s', preAllocatedVUs: 4, maxVUs: 4 } } };\n"
      + 'export default function () { console.log(`it ${exec.scenario.iterationInTest} ${exec.scenario.iterationInInstance}`); sleep(exec.vu.idInTest % 2 ? 0.9 : 0.05); }\n';
    const run = await runInput({ name: 'arrival-slow-vus.js', data: new TextEncoder().encode(source) }, { workers: 2 });
    expect(run.exitCode).toBe(0);
    const done = metricValues(run, 'iterations')?.count ?? 0;
    const dropped = metricValues(run, 'dropped_iterations')?.count ?? 0;
    // k6: 30 started, none dropped. A stalled machine may lose a tick at the very end.
    expect(done + dropped).toBeGreaterThanOrEqual(29);
    expect(dropped).toBeLessThanOrEqual(1);
    // Each started iteration has its own numbers, the instance's first ones, the same in test and instance.
    const numbers = [...run.stderr.matchAll(/it (\d+) (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(numbers.map(([t]) => t).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: done }, (_, i) => i));
    expect(numbers.every(([t, i]) => t === i)).toBe(true);
    expect(run.result?.testRunDurationMs).toBeLessThan(4500);
  });

  it('arrival-rate over two worker threads drops what no VU of the instance is idle for, each tick once', async () => {
    const source = "import { sleep } from 'k6';\n"
      + "export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '2s', preAllocatedVUs: 2, maxVUs: 2 } } };\n"
      + 'export default function () { sleep(1); }\n';
    const run = await runInput({ name: 'arrival-saturated.js', data: new TextEncoder().encode(source) }, { workers: 2 });
    expect(run.exitCode).toBe(0);
    const done = metricValues(run, 'iterations')?.count ?? 0;
    const dropped = metricValues(run, 'dropped_iterations')?.count ?? 0;
    // Two VUs busy 1 s each serve about 4 of the 40 ticks; the rest are dropped.
    expect(done + dropped).toBe(40);
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThanOrEqual(5);
    expect(run.stderr.match(/Insufficient VUs/g)).toHaveLength(1);
    // The last iterations end about 1 s after the duration, by themselves: the run waits for nothing else.
    expect(run.result?.testRunDurationMs).toBeLessThan(4000);
  });

  it('minIterationDuration pads iterations but not iteration_duration', async () => {
    const run = await runScript('min-iteration-duration.js');
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'iterations')?.count).toBe(3);
    expect(metricValues(run, 'iteration_duration')?.max).toBeLessThan(250);
    expect(run.result?.testRunDurationMs).toBeGreaterThanOrEqual(850);
  });

  it('the test run duration and its rates count setup() and teardown() as k6 does (MarkStarted before setup)', async () => {
    const script = [
      "import { sleep } from 'k6';",
      "import exec from 'k6/execution';",
      "import { check } from 'k6';",
      "import { Counter } from 'k6/metrics';",
      "const calls = new Counter('calls');",
      'export const options = { iterations: 1 };',
      'export function setup() { sleep(0.6); calls.add(1); return { inSetup: exec.instance.currentTestRunDuration }; }',
      'export default function () { calls.add(1); }',
      "export function teardown(d) { sleep(0.4); calls.add(1); check(d, { 'setup reads the run clock': (x) => x.inSetup >= 550 }); }",
    ].join('\n');
    const run = await runInput({ name: 'setup-time.js', data: new TextEncoder().encode(script) }, { workers: 1 });
    expect(run.exitCode).toBe(0);
    expect(run.result?.testRunDurationMs).toBeGreaterThanOrEqual(1_000);
    // 3 calls over a bit more than 1s, not over the executors' few milliseconds.
    expect(metricValues(run, 'calls')?.rate).toBeLessThan(3.1);
    expect(metricValues(run, 'calls')?.rate).toBeGreaterThan(1.5);
    expect(failedChecks(run)).toEqual([]);
  });

  it('a setup() that throws still has its time as the test run duration', async () => {
    const script = "import { sleep } from 'k6';\nexport function setup() { sleep(0.3); throw new Error('down'); }\nexport default function () {}\n";
    const run = await runInput({ name: 'setup-throws.js', data: new TextEncoder().encode(script) }, { workers: 1 });
    expect(run.exitCode).toBe(107);
    expect(run.result?.testRunDurationMs).toBeGreaterThanOrEqual(300);
  });

  it('a throwing handleSummary is logged and the default summary printed', async () => {
    const run = await runScript('summary-throws.js');
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('summary exploded');
    // errext.Format: the stack as the message, k6's hint and source fields.
    expect(run.stderr).toMatch(/level=error msg="Error: summary exploded\\n\\tat handleSummary \(file:\/\/\/[^"]*summary-throws\.js:7:9\)" hint="script exception" source=stacktrace\n/);
    expect(run.stdout).toContain('TOTAL RESULTS');
  });

  it('exec.test.abort() in handleSummary is logged as k6 logs an interrupt, the default summary and export written, the exit code kept', async () => {
    const script = "import exec from 'k6/execution';\nexport const options = { iterations: 1 };\nexport default function () {}\n" +
      "export function handleSummary() {\n  exec.test.abort('why');\n}\n";
    const run = await runInput({ name: 'summary-aborts.js', data: new TextEncoder().encode(script) }, { workers: 1, summaryExport: 'out/export.json' });
    expect(run.exitCode).toBe(0);
    // sobek's InterruptedError.Error(): the reason and the calling frame; no hint nor source field.
    expect(run.stderr).toMatch(/level=error msg="test aborted: why at handleSummary \(file:\/\/\/[^"]*summary-aborts\.js:5:13\)"\n/);
    expect(run.stderr).not.toContain('ScriptAbort');
    expect(run.stdout).toContain('TOTAL RESULTS');
    expect(run.written.has('out/export.json')).toBe(true);
  });

  it('--summary-export holds what handleSummary changed in its data, as k6 exports that object after the call', async () => {
    const script = 'export const options = { iterations: 1 };\nexport default function () {}\n' +
      'export function handleSummary(data) {\n  delete data.metrics.iterations;\n  data.metrics.data_sent.values.count = 42;\n' +
      "  data.metrics.gone = null;\n  data.extra = { by: 'script' };\n  data.setup_data = [1];\n  return { stdout: 'x' };\n}\n";
    const run = await runInput({ name: 'summary-changes.js', data: new TextEncoder().encode(script) }, { workers: 1, summaryExport: 'out/export.json' });
    expect(run.exitCode).toBe(0);
    const exported = JSON.parse(run.written.get('out/export.json') ?? '{}') as { metrics: Record<string, Record<string, unknown>>; [key: string]: unknown };
    expect(Object.keys(exported)).toEqual(['root_group', 'metrics', 'setup_data', 'extra']);
    expect(exported.extra).toEqual({ by: 'script' });
    expect(exported.setup_data).toEqual([1]);
    expect(exported.metrics).not.toHaveProperty('iterations');
    expect(exported.metrics).not.toHaveProperty('gone');
    expect(exported.metrics['data_sent']?.['count']).toBe(42);
  });

  it('a handleSummary that makes its data cyclic still has its result written, and the export without the cyclic additions', async () => {
    const script = 'export const options = { iterations: 1 };\nexport default function () {}\n' +
      "export function handleSummary(data) { data.self = data; data.extra = 1; return { stdout: 'x' }; }\n";
    const run = await runInput({ name: 'summary-cycle.js', data: new TextEncoder().encode(script) }, { workers: 1, summaryExport: 'out/export.json' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('x');
    expect(run.stderr).not.toContain('level=error');
    expect(Object.keys(JSON.parse(run.written.get('out/export.json') ?? '{}') as object)).toEqual(['root_group', 'metrics']);
  });

  it('exec.test.abort() in an iteration is logged with the calling frame (k6 sets the reason to sobek\'s InterruptedError.Error()), in setup and teardown without it', async () => {
    const script = "import exec from 'k6/execution';\n" +
      "export const options = { scenarios: { s: { executor: 'shared-iterations', exec: 'work', iterations: 1 } } };\n" +
      "export function setup() { if (__ENV.AT === 'setup') exec.test.abort('in setup'); }\n" +
      "export function work() {\n  if (__ENV.AT === 'exec') exec.test.abort('in exec');\n  helper();\n}\n" +
      "function helper() { if (__ENV.AT === 'helper') exec.test.abort(); }\n" +
      "export function teardown() { if (__ENV.AT === 'teardown') exec.test.abort('in teardown'); }\n";
    const errors = async (at: string, source = script) => {
      const run = await runInput({ name: 'aborts.js', data: new TextEncoder().encode(source) }, { workers: 1, env: { AT: at } });
      expect(run.exitCode).toBe(108);
      return [...run.stderr.matchAll(/level=error msg="([^"]*)"/g)].map((m) => m[1]);
    };
    const file = /file:\/\/\/[^"]*aborts\.js/.source;
    expect((await errors('exec')).join('\n')).toMatch(new RegExp(`^test aborted: in exec at work \\(${file}:5:38\\)$`));
    expect((await errors('helper')).join('\n')).toMatch(new RegExp(`^test aborted at helper \\(${file}:8:58\\)$`));
    expect((await errors('', "import exec from 'k6/execution';\n\n\n\n\n\n\n\n\nexport default function () { exec.test.abort('in default'); }\n")).join('\n')).toMatch(new RegExp(`^test aborted: in default at default \\(${file}:10:40\\)$`));
    // setup()/teardown(): k6 returns sobek's error itself and prints the InterruptError it wraps.
    expect(await errors('setup')).toEqual(['test aborted: in setup']);
    expect(await errors('teardown')).toEqual(['test aborted: in teardown']);
  });

  it('ramping-vus and an arrival-rate scenario run side by side with their own counts', async () => {
    const run = await runScript('ramping.js', { workers: 2 });
    expect(run.exitCode).toBe(0);
    const series = run.result?.summaryData.metrics;
    expect(series?.iterations?.values.count).toBeGreaterThan(20);
    // 4 ramping + 2 pre-allocated VUs, plus any unplanned VU the arrival rate initialised (max 5).
    expect(metricValues(run, 'vus_max')?.max).toBeGreaterThanOrEqual(6);
    expect(metricValues(run, 'vus_max')?.max).toBeLessThanOrEqual(9);
  });
});

describe('inputs and init failures end to end', () => {
  it('scripts see k6\'s globals and nothing of Node', async () => {
    const run = await runScript('globals.js');
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 5, fails: 0 });
  });

  it('runs a TypeScript script', async () => {
    const run = await runScript('typescript-script.ts');
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 2, fails: 0 });
  });

  it('runs a k6 archive with its own options and env (the script options tier is replaced)', async () => {
    const script = `import { check } from 'k6';
export const options = { iterations: 99 };
export default function () { check(__ENV.FROM, { 'env from the archive': (v) => v === 'archive' }); }`;
    const data = await tarArchive({
      'metadata.json': JSON.stringify({
        type: 'js', filename: 'file:///home/nobody/t/script.js', pwd: 'file:///home/nobody/t/',
        options: { vus: 2, iterations: 4 }, env: { FROM: 'archive' }, k6version: '2.2.0',
      }),
      data: script,
      'file/home/nobody/t/script.js': script,
    });
    const run = await runInput({ name: 'test.tar', data });
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'iterations')?.count).toBe(4);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 4, fails: 0 });
  });

  it('an init exception in a later VU (not VU 0) stops the run with 107', async () => {
    const run = await runScript('vu-init-error.js');
    expect(run.exitCode).toBe(107);
    expect(run.stderr).toContain('VU 2 cannot start');
    // k6's scheduler names the VU in the hint (internal/execution/scheduler.go initVU).
    expect(run.stderr).toMatch(/level=error msg="[^"]*VU 2 cannot start[^"]*" hint="error while initializing VU #2 \(script exception\)" source=stacktrace\n/);
  });

  it('an exception in an unplanned VU\'s init is logged as k6\'s executors log it and the scenario goes on', async () => {
    const script = [
      "export const options = { scenarios: { a: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '1s', preAllocatedVUs: 1, maxVUs: 2 } } };",
      "import { sleep } from 'k6';",
      "if (__VU === 2) throw new Error('no VU 2');",
      'export default function () { sleep(0.15); }',
    ].join('\n');
    const run = await runInput({ name: 'unplanned-init.js', data: new TextEncoder().encode(script) });
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'iterations')?.count).toBeGreaterThan(0);
    expect(run.stderr).toMatch(
      /level=error msg="Error while allocating unplanned VU" error="Error: no VU 2\\n\\tat file:\/\/\/[^"]*unplanned-init\.js:3:23" executor=constant-arrival-rate scenario=a\n/,
    );
  });

  it('an unknown module fails before init with 107 and k6\'s message', async () => {
    const run = await runScript('unknown-module.js');
    expect(run.exitCode).toBe(107);
    expect(run.stderr).toBe(
      `could not initialize 'unknown-module.js': could not load JS test 'file://${SCRIPTS_DIR}/unknown-module.js': `
      + 'unknown modules ["k6/nope"] were tried to be loaded, but couldn\'t - '
      + 'this likely means automatic extension resolution is required or a custom k6 binary with the required extensions',
    );
  });

  it('k6/browser outside a browser scenario: the page promise rejects with k6\'s registry error, the iteration fails', async () => {
    const run = await runScript('browser-module.js');
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('Uncaught (in promise) browser not found in registry. '
      + 'make sure to set browser type option in scenario definition in order to use the browser module');
  });
});

describe('unhandled rejections', () => {
  it('fail the iteration like an exception: logged "Uncaught (in promise)", its pending timers dropped, the VU goes on', async () => {
    const run = await runScript('unhandled-rejection.js');
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'iterations')?.count).toBe(3);
    // Logged as the iteration's exception (with its scenario), not as a stray process-level rejection.
    expect(run.stderr).toMatch(/Uncaught \(in promise\) Error: iteration rejection[^]*?scenario=default/);
    expect(run.stderr).toMatch(/Uncaught \(in promise\) Error: async function rejection[^]*?scenario=default/);
    expect(run.stderr).not.toContain('handled rejection');
    expect(metricValues(run, 'timers_after_rejection')?.count ?? 0).toBe(0);
  });

  it('fail setup like an exception: exit 107', async () => {
    const run = await runScript('unhandled-rejection-setup.js');
    expect(run.exitCode).toBe(107);
    expect(run.stderr).toContain('Uncaught (in promise) Error: setup rejection');
  });
});

describe('dns', () => {
  it('a bad --dns setting is an options error (255, a flag) naming the setting and what is allowed', async () => {
    const run = await runScript('basic-iterations.js', { dns: 'ttl=1m,select=nearest' });
    expect(run.exitCode).toBe(255);
    expect(run.stderr).toMatch(/dns\.select.*"nearest".*first, random, roundRobin/);
  });
});

describe('rps', () => {
  it('limits HTTP requests per second across every VU and worker thread of the instance', async () => {
    const run = await runScript('rps-limit.js', { ...env(), workers: 2 });
    expect(run.exitCode).toBe(0);
    // 2 s at 20/s from one bucket of burst 1 (plus setup's request): about 41; unlimited, thousands.
    const reqs = metricValues(run, 'http_reqs')?.count ?? 0;
    expect(reqs).toBeGreaterThanOrEqual(36);
    expect(reqs).toBeLessThanOrEqual(46);
  });

  it('--rps overrides the script, and a bad value is an options error (255, a flag)', async () => {
    const fromFlag = await runScript('rps-limit.js', { ...env(), rps: 5, workers: 1 });
    const reqs = metricValues(fromFlag, 'http_reqs')?.count ?? 0;
    expect(reqs).toBeGreaterThanOrEqual(9);
    expect(reqs).toBeLessThanOrEqual(13);
    const bad = await runScript('rps-limit.js', { ...env(), rps: 'fast' });
    expect(bad.exitCode).toBe(255);
    expect(bad.stderr).toContain('invalid argument "fast" for "--rps" flag: strconv.ParseInt: parsing "fast": invalid syntax');
  });
});

describe('summary modes', () => {
  it('compact (the default) has no group or scenario sections; full adds them, as k6 v1', async () => {
    const compact = await runScript('summary-groups.js');
    expect(compact.exitCode).toBe(0);
    expect(compact.stdout).toContain('TOTAL RESULTS');
    expect(compact.stdout).not.toContain('█ GROUP');
    const full = await runScript('summary-groups.js', { summaryMode: 'full' });
    expect(full.exitCode).toBe(0);
    expect(full.stdout).toMatch(/█ SCENARIO: browse[^]*↳ GROUP: api[^]*✓ one is one/);
  });

  it('disabled prints no summary and, like k6 (and --no-summary), runs no handleSummary and writes no export', async () => {
    const run = await runScript('handle-summary.js', { summaryMode: 'disabled', summaryExport: 'out/export.json' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('');
    expect([...run.written.keys()]).toEqual([]);
  });

  it("an unknown mode is k6's bare runtime-option error, without an exit code (255)", async () => {
    const run = await runScript('summary-groups.js', { summaryMode: 'legacy' });
    expect(run.exitCode).toBe(255);
    expect(run.stderr).toBe('invalid summary mode');
  });
});

describe('k6/html end to end', () => {
  it('parses pages of the target with res.html() and parseHTML, submits forms, follows links; Selection callbacks may block', async () => {
    const run = await runScript('html-pages.js', env());
    expect(run.stderr).not.toMatch(/ERRO/);
    expect(run.exitCode).toBe(0);
    // per iteration: the page, 2 links followed by each(), 2 by map(), 2 by filter(), 2 submitForm, 2 clickLink
    expect(metricValues(run, 'http_reqs')?.count).toBe(2 * 11);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 2 * 24, fails: 0 });
  });
});
