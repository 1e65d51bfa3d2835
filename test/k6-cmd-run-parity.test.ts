// grafana/k6's own end-to-end CLI tests (internal/cmd/tests/cmd_run_test.go, eventloop_test.go) ported
// to `stampede run`: each case runs the test's script with its flags through the real binary and asserts
// what the k6 test asserts (its name is in the case's title). Cloud outputs, browser and Go-internal
// tests are left out; test/k6-cmd-run-parity.md lists every test and how it compares.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './scripts/cli-process.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Run {
  /** The directory the run had as its working directory (its output files are there). */
  dir: string;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Writes `files` into a fresh directory and runs `stampede <args>` there; `during` sees the live child. */
function stampede(
  files: Record<string, string>,
  args: string[],
  during?: (child: ChildProcess, output: () => string) => void,
  env: Record<string, string> = {},
): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), 'k6-parity-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return runCli(args, { cwd: dir, env, ...(during === undefined ? {} : { during }) }).then((r) => ({ dir, ...r }));
}

function runWithEnv(files: Record<string, string>, args: string[], env: Record<string, string>): Promise<Run> {
  return stampede(files, args, undefined, env);
}

/** Calls `then` once `text` shows up in the child's output (polled every 50 ms). */
function whenOutput(text: string, then: (child: ChildProcess) => void) {
  return (child: ChildProcess, output: () => string): void => {
    const timer = setInterval(() => {
      if (!output().includes(text)) return;
      clearInterval(timer);
      then(child);
    }, 50);
    child.on('close', () => clearInterval(timer));
  };
}

/** A port nothing listens on right now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const BOGUS_SUMMARY = `export function handleSummary() { return {stdout: '\\n\\n\\nbogus summary\\n\\n\\n'};}`;

describe('k6 cmd_run_test.go parity: aborts', () => {
  it('TestAbortedByTestAbortInNonFirstInitCode: exec.test.abort() in a later VU\'s init is a script abort (108)', async () => {
    // VU 1's init (the options read) runs; the next VU's init aborts.
    const script = [
      "import exec from 'k6/execution';",
      "export const options = { duration: '4s', vus: 4 };",
      "if (__VU >= 2) exec.test.abort('not in VU 1');",
      'export default function () {}',
      BOGUS_SUMMARY,
    ].join('\n');
    const r = await stampede({ 'test.js': script }, ['run', '-v', '--workers', '1', 'test.js']);
    expect(r.code).toBe(108);
    expect(r.stderr).toContain('level=error msg="test aborted: not in VU 1"');
    expect(r.stderr).not.toContain('ScriptAbort');
    expect(r.stdout).toContain('bogus summary');
  });

  it('TestAbortedByScriptInitError: an exception in VU 2\'s init code is logged with its stack and k6\'s VU hint (107)', async () => {
    const script = `
      export const options = {
        vus: 5,
        iterations: 10,
      };

      if (__VU == 2) {
        throw new Error('oops in ' + __VU);
      }

      export default function () {};
    `;
    for (const workers of ['1', '2']) {
      const r = await stampede({ 'test.js': script }, ['run', '-v', '--log-output=stdout', '--workers', workers, 'test.js']);
      expect(r.code).toBe(107);
      expect(r.stdout).toContain('level=error msg="Error: oops in 2\\n\\tat file:///');
      expect(r.stdout).toContain('hint="error while initializing VU #2 (script exception)"');
    }
  });

  it('TestAbortedByUserWithGoodThresholds: Ctrl+C keeps good thresholds, exits 105 and ends with k6\'s signal error', async () => {
    const script = `
      import { Counter } from 'k6/metrics';
      import exec from 'k6/execution';
      export const options = {
        scenarios: { sc1: { executor: 'constant-arrival-rate', duration: '30s', rate: 1, preAllocatedVUs: 2 } },
        thresholds: {
          'iterations': ['count >= 1'],
          'tc': ['count == 1'],
          'tc{group:::setup}': ['count == 0'],
          'tc{group:::teardown}': ['count == 1'],
        },
      };
      let tc = new Counter('tc');
      export function teardown() { tc.add(1); }
      export default function () { console.log('simple iter ' + exec.scenario.iterationInTest); };
    `;
    const r = await stampede({ 'test.js': script }, ['run', '-v', '--workers', '1', 'test.js'], whenOutput('simple iter 2', (c) => c.kill('SIGINT')));
    expect(r.code).toBe(105);
    expect(r.stderr).not.toContain('thresholds on metrics');
    expect(r.stdout).toContain(`
    iterations
    ✓ 'count >= 1' count=3

    tc
    ✓ 'count == 1' count=1

      {group:::setup}
      ✓ 'count == 0' count=0

      {group:::teardown}
      ✓ 'count == 1' count=1`);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.at(-1)).toContain(`level=error msg="test run was aborted because k6 received a 'interrupt' signal"`);
  });

  it('TestAbortedByInterruptWhenPaused: -v logs the paused wait; Ctrl+C then ends the run with 105', async () => {
    const r = await stampede({ 'test.js': 'export default function () {};' }, ['run', '-v', '--paused', '--workers', '1', 'test.js'],
      whenOutput('Execution is paused, waiting for resume or interrupt...', (c) => c.kill('SIGINT')));
    expect(r.code).toBe(105);
    expect(r.stderr).toContain('level=debug msg="Execution is paused, waiting for resume or interrupt..."');
    expect(r.stderr).toContain(`level=error msg="test run was aborted because k6 received a 'interrupt' signal"`);
  });
});

describe('k6 cmd_run_test.go parity: modules', () => {
  it('TestAbortedByUnknownModules: every unknown module of every file in one error, sorted, exit 107, nothing run', async () => {
    const run = await stampede({
      // widget is met first and twice; the error lists each module once, sorted.
      'test.js': "import { spin } from 'k6/x/widget';\nimport './lib.js';\nconsole.log('init ran');\nexport default () => spin();\n",
      'lib.js': "import { spin } from 'k6/x/widget';\nimport gadget from 'k6/x/gadget';\nimport http from 'k6/http';\nexport const tools = [spin, gadget, http];\n",
    }, ['run', '-v', '--log-output=stdout', 'test.js']);
    expect(run.code).toBe(107);
    const url = new URL(`file://${path.join(run.dir, 'test.js')}`).href;
    expect(run.stdout).toContain(
      `level=error msg="could not initialize 'test.js': could not load JS test '${url}': `
      + 'unknown modules [\\"k6/x/gadget\\", \\"k6/x/widget\\"] were tried to be loaded, but couldn\'t - '
      + 'this likely means automatic extension resolution is required or a custom k6 binary with the required extensions"',
    );
    // Stampede's own hint names the modules it has, in a field of its own.
    expect(run.stdout).toMatch(/ hint="Stampede loads no other extensions than the official ones it builds in; its modules are k6, k6\/browser, k6\/crypto, [^"]*k6\/ws[^"]*"/);
    expect(run.stdout).not.toContain('init ran');
  });
});

describe('k6 cmd_run_test.go parity: the REST API', () => {
  it('TestHTTPAPIServerAddr: -v logs the REST API start only when an address is set', async () => {
    const files = { 'test.js': 'export default function () {};' };
    const [off, empty, on] = await Promise.all([
      stampede(files, ['run', '-v', '-q', '--workers', '1', 'test.js']),
      stampede(files, ['run', '-v', '-q', '--workers', '1', '-a', '', 'test.js']),
      stampede(files, ['run', '-v', '-q', '--workers', '1', '-a', '127.0.0.1:0', 'test.js']),
    ]);
    expect(off.stderr).not.toContain('Starting the REST API server');
    expect(empty.stderr).not.toContain('Starting the REST API server');
    expect(on.stderr).toContain('level=debug msg="Starting the REST API server on 127.0.0.1:0"');
    expect([off.code, empty.code, on.code]).toEqual([0, 0, 0]);
  });

  it('TestAbortedByUserWithRestAPI: PATCH stopped → teardown, the request\'s debug line and "test run stopped from REST API" (103)', async () => {
    const script = `
      import { sleep } from 'k6';
      export default function () { console.log('a simple iteration'); sleep(1); };
      export function teardown() { console.log('teardown() called'); }
    `;
    const address = `127.0.0.1:${await freePort()}`;
    const stop = (): void => {
      void fetch(`http://${address}/v1/status`, {
        method: 'PATCH',
        body: JSON.stringify({ data: { type: 'status', id: 'default', attributes: { stopped: true } } }),
      });
    };
    const r = await stampede({ 'test.js': script }, ['run', '-v', '--workers', '1', '--iterations', '20', '--address', address, 'test.js'],
      whenOutput('a simple iteration', stop));
    expect(r.code).toBe(103);
    expect(r.stderr).toContain('teardown() called');
    expect(r.stderr).toContain('level=debug msg="PATCH /v1/status" status=200');
    expect(r.stderr).toContain('level=error msg="test run stopped from REST API"');
    expect(r.stdout).not.toContain('Running thresholds');
  });
});

describe('k6 cmd_run_test.go parity: thresholds', () => {
  it('TestThresholdDeprecationWarnings: thresholds on the vu and iter tags are warned about, url and error ones are not', async () => {
    const script = `
      // Only the last key uses vu and iter (written iter first: k6 still warns about vu first).
      const limits = {
        'http_req_waiting{url:http://127.0.0.1/none}': ['max<250'],
        'http_req_waiting{error:timeout}': ['avg<900', 'med<900'],
        'iterations{scenario:default}': ['count>=1'],
        'iterations{iter:0,vu:2}': ['count<1'],
      };
      export const options = { thresholds: limits };
      export default () => {};
    `;
    const r = await stampede({ 'test.js': script }, ['run', '-q', '--workers', '1', '--system-tags', 'url,error,vu,iter,scenario', 'test.js']);
    expect(r.code).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('level=warning'));
    expect(warnings).toHaveLength(2);
    for (const [i, tag] of [[0, 'vu'], [1, 'iter']] as const) {
      expect(warnings[i]).toContain(`The high-cardinality '${tag}' metric tag was made non-indexable in k6 v0.41.0, so thresholds like 'iterations{iter:0,vu:2}'`);
    }
  });

  it('TestSubMetricThresholdNoData: a submetric threshold with an empty list still shows the metric and submetric at 0', async () => {
    const script = `
      import { Counter } from 'k6/metrics';
      // misses never gets a sample; its submetric is declared by a threshold without conditions.
      const misses = new Counter('cache_misses');
      const hits = new Counter('cache_hits');
      export const options = { thresholds: { 'cache_misses{zone:east}': [] } };
      export default () => hits.add(17);
    `;
    const r = await stampede({ 'test.js': script }, ['run', '--quiet', '--workers', '1', 'test.js']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    // The metric without samples sorts after cache_hits and shows 0, its submetric below it at 0.
    expect(r.stdout).toMatch(/\n {4}cache_hits\.{11}: 17 {2}[\d.]+\/s\n {4}cache_misses\.{9}: 0 {3}0\/s\n {6}\{ zone:east \}\.{6}: 0 {3}0\/s\n/);
  });
});

describe('k6 cmd_run_test.go parity: VU state', () => {
  it('TestMetricTagAndSetupDataIsolation (shortened): exec.vu.tags do not follow a VU into the next scenario; setup data is per VU', async () => {
    // Scenario "first": 2 VUs share 6 iterations, each VU advancing its own copy of setup's data and
    // tagging itself round=<its count> and lane=a. Scenario "second" reuses one of those VUs: its copy
    // moved on, but the tags did not follow it. Every expectation is a threshold (14 conditions).
    const script = `
      import exec from 'k6/execution';
      import { Counter } from 'k6/metrics';
      import { sleep } from 'k6';

      const marks = new Counter('marks');
      const fail = (where, what) => { throw new Error(where + ': ' + what); };

      export const options = {
        scenarios: {
          first: { executor: 'shared-iterations', exec: 'first', vus: 2, iterations: 6, maxDuration: '1s', gracefulStop: 0 },
          second: { executor: 'per-vu-iterations', exec: 'second', vus: 1, iterations: 1, startTime: '1s' },
        },
        thresholds: {
          vus_max: ['value == 2'],
          iterations: ['count == 7'],
          'iterations{scenario:first}': ['count == 6'],
          'iterations{lane:a}': ['count == 6'],
          'iterations{scenario:second}': ['count == 1'],
          marks: ['count == 9'],
          'marks{lane:a}': ['count == 6'],
          'marks{prep:yes}': ['count == 1'],
          'marks{round:1}': ['count >= 1', 'count <= 2'],
          'marks{round:2}': ['count >= 1', 'count <= 2'],
          'marks{scenario:second}': ['count == 1'],
          'marks{lane:a,scenario:second}': ['count == 0'],
        },
      };

      export function setup() {
        exec.vu.tags.prep = 'yes';
        marks.add(1);
        return { v: 0 };
      }

      export function first(state) {
        if (state.v !== __ITER) fail('first', 'iteration ' + __ITER + ' was given ' + JSON.stringify(state));
        if (__ITER > 0 && String(exec.vu.tags.round) !== String(state.v)) fail('first', 'tags lost: ' + JSON.stringify(exec.vu.tags));
        state.v++;
        Object.assign(exec.vu.tags, { round: state.v, lane: 'a' });
        marks.add(1);
        sleep(0.02); // leaves time for the other VU to take iterations
      }

      export function second(state) {
        if (state.v === 0) fail('second', 'this VU did not keep its advanced copy of the data');
        if (exec.vu.tags.round !== undefined) fail('second', 'tags of the last scenario kept: ' + JSON.stringify(exec.vu.tags));
        marks.add(1);
      }

      export function teardown(state) {
        if (state.v !== 0) fail('teardown', 'setup data changed to ' + state.v);
        marks.add(1);
      }
    `;
    const r = await stampede({ 'test.js': script }, ['run', '--quiet', '--workers', '1', 'test.js']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('✓').length - 1).toBe(14);
  });

  it('TestActiveVUsCount (shortened): arrival-rate scenarios at their maxVUs warn once each, with k6\'s scenario and executor fields', async () => {
    const script = `
      var sleep = require('k6').sleep;
      exports.options = {
        scenarios: {
          carr1: { executor: 'constant-arrival-rate', rate: 10, preAllocatedVUs: 5, maxVUs: 5, startTime: '0s', duration: '1s', gracefulStop: '0s' },
          carr2: { executor: 'constant-arrival-rate', rate: 10, preAllocatedVUs: 1, maxVUs: 5, startTime: '1s', duration: '1s', gracefulStop: '0s' },
        },
      };
      exports.default = function () { sleep(5); };
    `;
    const r = await stampede({ 'test.js': script }, ['run', '-q', '--workers', '1', '--out', 'json=results.json', 'test.js']);
    expect(r.code).toBe(0);
    const messages = r.stderr.trim().split('\n').map((l) => l.replace(/^time="[^"]*" /, ''));
    expect(messages).toEqual([
      'level=warning msg="Insufficient VUs, reached 5 active VUs and cannot initialize more" executor=constant-arrival-rate scenario=carr1',
      'level=warning msg="Insufficient VUs, reached 5 active VUs and cannot initialize more" executor=constant-arrival-rate scenario=carr2',
      'level=warning msg="No script iterations fully finished, consider making the test duration longer"',
    ]);
    // carr2 reuses carr1's VUs: the instance never holds more than its max possible VUs (5).
    const points = readFileSync(path.join(r.dir, 'results.json'), 'utf8').trim().split('\n')
      .map((l) => JSON.parse(l) as { type: string; metric: string; data: { value: number } })
      .filter((p) => p.type === 'Point' && p.metric === 'vus_max');
    expect(Math.max(...points.map((p) => p.data.value))).toBe(5);
    // Two worker threads share each scenario's VUs: still one warning per scenario, with its maxVUs.
    const two = await stampede({ 'test.js': script }, ['run', '-q', '--workers', '2', 'test.js']);
    expect(two.code).toBe(0);
    expect(two.stderr.trim().split('\n').map((l) => l.replace(/^time="[^"]*" /, ''))).toEqual(messages);
  });
});

describe('k6 cmd_run_test.go parity: the banner', () => {
  it('TestUIRenderOutput: the output line names json(stdout) and csv (file.csv), the default csv file', async () => {
    const files = { 'test.js': 'export default function() {};' };
    const [none, json, both] = await Promise.all([
      stampede(files, ['run', '--workers', '1', 'test.js']),
      stampede(files, ['run', '--workers', '1', '-o', 'json', 'test.js']),
      stampede(files, ['run', '--workers', '1', '-o', 'json', '-o', 'csv', 'test.js']),
    ]);
    expect(none.stdout).toContain('output: -\n');
    expect(json.stdout).toContain('output: json(stdout)\n\n');
    expect(both.stdout).toContain('output: json(stdout), csv (file.csv)\n\n');
    expect(readFileSync(path.join(both.dir, 'file.csv'), 'utf8')).toMatch(/^metric_name,timestamp,metric_value,/);
  });

  it('TestUIRenderWebDashboard: "web dashboard: http://127.0.0.1:…" only with K6_WEB_DASHBOARD=true', async () => {
    const files = { 'test.js': 'export default function() {};' };
    // k6's test binds every interface on port 0; here the dashboard listens on 127.0.0.1 only.
    const env = { K6_WEB_DASHBOARD_PORT: '0', K6_WEB_DASHBOARD_HOST: '127.0.0.1' };
    const [unset, off, on] = await Promise.all([
      runWithEnv(files, ['run', '--workers', '1', '--log-output=stdout', 'test.js'], env),
      runWithEnv(files, ['run', '--workers', '1', '--log-output=stdout', 'test.js'], { ...env, K6_WEB_DASHBOARD: 'false' }),
      runWithEnv(files, ['run', '--workers', '1', '--log-output=stdout', 'test.js'], { ...env, K6_WEB_DASHBOARD: 'true' }),
    ]);
    expect(unset.stdout).not.toContain('web dashboard:');
    expect(off.stdout).not.toContain('web dashboard:');
    expect(on.code).toBe(0);
    expect(on.stdout).toMatch(/\n web dashboard: http:\/\/127\.0\.0\.1:\d+\n        output: -\n/);
  });
});

describe('k6 cmd_run_test.go parity: timeouts', () => {
  it('TestHandleSummaryTimeout (K6_HANDLE_SUMMARY_TIMEOUT): the run ends at the timeout, whose error is the only line', async () => {
    const script = `
      import { sleep } from 'k6';
      export function handleSummary(data) { sleep(100000); }
      export default function() {}
    `;
    // handleSummary sleeps 100000 s: only the timeout ends the run within the test's time limit.
    const r = await runWithEnv({ 'test.js': script }, ['run', '-q', '--workers', '1', 'test.js'], { K6_HANDLE_SUMMARY_TIMEOUT: '1s' });
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n').map((l) => l.replace(/^time="[^"]*" /, ''));
    expect(lines).toEqual(['level=error msg="failed to handle the end-of-test summary" error="handleSummary() execution timed out after 1 seconds"']);
  });
});

describe('k6 cmd_run_test.go parity: secrets', () => {
  it('TestK6SecretSourceEnvVar: K6_SECRET_SOURCE is a --secret-source value; an empty one is an error; the flag wins', async () => {
    const script = `
      import secrets from "k6/secrets";
      export default async () => {
        let secondMissing = false;
        try { await secrets.source("second").get("cool"); } catch (e) { secondMissing = true }
        console.log(await secrets.source("first").get("cool"));
        console.log(secondMissing);
      }
    `;
    const files = { 'test.js': script };
    const args = ['run', '-q', '--workers', '1', 'test.js'];
    const [fromEnv, empty, flagWins] = await Promise.all([
      runWithEnv(files, args, { K6_SECRET_SOURCE: 'mock=name=first,cool=first-secret,default' }),
      runWithEnv(files, args, { K6_SECRET_SOURCE: '' }),
      runWithEnv(files, ['run', '-q', '--workers', '1', '--secret-source=mock=name=first,cool=first-secret', 'test.js'], { K6_SECRET_SOURCE: 'mock=name=second,cool=second-secret' }),
    ]);
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stderr).toContain('level=info msg="***SECRET_REDACTED***" source=console');
    expect(fromEnv.stderr).not.toContain('first-secret');
    expect(empty.code).toBe(255);
    expect(empty.stderr).toContain('couldn\'t parse secret source configuration \\"\\"');
    expect(flagWins.stderr).not.toContain('level=error');
    expect(flagWins.stderr).toContain('level=info msg=true source=console');
  });
});

describe('k6 cmd_run_test.go parity: init code runs', () => {
  it('TestRelativeLogPathWithSetupAndTeardown (console order): init runs for the VUs, setup, teardown and the summary', async () => {
    const script = `
      const say = (what) => console.log(what);
      say('top-level');
      export const setup = () => say('prepare');
      export default () => say('iteration');
      export const teardown = () => say('cleanup');
    `;
    const msgs = (stderr: string): string[] => stderr.trim().split('\n').map((l) => /msg=(\S+)/.exec(l)?.[1] ?? l);
    const [withSummary, disabled] = await Promise.all([
      stampede({ 'test.js': script }, ['run', '-q', '--workers', '1', '-i', '2', 'test.js']),
      stampede({ 'test.js': script }, ['run', '-q', '--workers', '1', '-i', '2', '--summary-mode=disabled', 'test.js']),
    ]);
    // The options VU, the one VU, setup's own VU; teardown's own VU; handleSummary's VU unless disabled.
    const runOf = ['top-level', 'top-level', 'top-level', 'prepare', 'iteration', 'iteration', 'top-level', 'cleanup'];
    expect(msgs(withSummary.stderr)).toEqual([...runOf, 'top-level']);
    expect(msgs(disabled.stderr)).toEqual(runOf);
  });
});

describe('deprecation warnings', () => {
  it('k6/experimental/websockets warns once per run, though setup and teardown run in VUs of their own (k6: sync.Once)', async () => {
    const script = `
      import { WebSocket } from 'k6/experimental/websockets';
      export function setup() {}
      export default function() {}
      export function teardown() {}
    `;
    const r = await stampede({ 'test.js': script }, ['run', '-q', '--workers', '1', 'test.js']);
    expect(r.code).toBe(0);
    expect(r.stderr.split('k6/experimental/websockets is deprecated')).toHaveLength(2);
  });
});

describe('k6 eventloop_test.go parity', () => {
  it('TestEventLoopDoesntCrossIterations: a timer left by a failed iteration is dropped with k6\'s warning, not run in the next one', async () => {
    const script = `
      import { setTimeout } from 'k6/timers';
      import { sleep } from 'k6';
      export const options = { vus: 1, iterations: 2 };
      export default () => {
        const n = __ITER;
        setTimeout(() => console.log('timer-of-' + n), 1000);
        if (n === 0) throw 'first iteration fails';
        sleep(1); // the second iteration lives until its timer is due
      };
    `;
    const r = await stampede({ 'test.js': script }, ['run', '--quiet', '--workers', '1', 'test.js']);
    const messages = r.stderr.trim().split('\n').map((l) => /msg=("(?:[^"\\]|\\.)*"|\S+)/.exec(l)?.[1] ?? l);
    expect(messages).toEqual(['"setTimeout 1 was stopped because the VU iteration was interrupted"', '"first iteration fails"', 'timer-of-1']);
  });
});
