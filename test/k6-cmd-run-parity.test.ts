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
    const script = `
      import exec from 'k6/execution';
      export const options = {vus: 3, duration: '5s'};
      if (__VU > 1) {
        exec.test.abort('foo');
      }
      export default function () {};
      ${BOGUS_SUMMARY}
    `;
    const r = await stampede({ 'test.js': script }, ['run', '-v', '--workers', '1', 'test.js']);
    expect(r.code).toBe(108);
    expect(r.stderr).toContain('level=error msg="test aborted: foo"');
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
      'test.js': `
        import { something } from "k6/x/somethinghere"
        import "./a.js"
        console.log("init ran");
        export default function () { }
      `,
      'a.js': `
        import { something } from "k6/x/somethinghere"
        import { another } from "k6/x/anotherone"
        import http from "k6/http"
      `,
    }, ['run', '-v', '--log-output=stdout', 'test.js']);
    expect(run.code).toBe(107);
    const url = new URL(`file://${path.join(run.dir, 'test.js')}`).href;
    expect(run.stdout).toContain(
      `level=error msg="could not initialize 'test.js': could not load JS test '${url}': `
      + 'unknown modules [\\"k6/x/anotherone\\", \\"k6/x/somethinghere\\"] were tried to be loaded, but couldn\'t - '
      + 'this likely means automatic extension resolution is required or a custom k6 binary with the required extensions"',
    );
    // Stampede's own hint names the modules it has, in a field of its own.
    expect(run.stdout).toMatch(/ hint="Stampede runs no extensions; its modules are k6, k6\/browser, k6\/crypto, [^"]*k6\/ws"/);
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
      export const options = {
        thresholds: {
          'http_req_duration{url:https://test.k6.io}': ['p(95)<500', 'p(99)<1000'],
          'http_req_duration{error:foo}': ['p(99)<1000'],
          'iterations{scenario:default}': ['count == 1'],
          'iterations{vu:1,iter:0}': ['count == 0'],
        },
      };
      export default function () { }
    `;
    const r = await stampede({ 'test.js': script }, ['run', '-q', '--workers', '1', '--system-tags', 'url,error,vu,iter,scenario', 'test.js']);
    expect(r.code).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('level=warning'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(`The high-cardinality 'vu' metric tag was made non-indexable in k6 v0.41.0, so thresholds like 'iterations{vu:1,iter:0}'`);
    expect(warnings[1]).toContain(`The high-cardinality 'iter' metric tag was made non-indexable in k6 v0.41.0, so thresholds like 'iterations{vu:1,iter:0}'`);
  });

  it('TestSubMetricThresholdNoData: a submetric threshold with an empty list still shows the metric and submetric at 0', async () => {
    const script = `
      import { Counter } from 'k6/metrics';
      const counter1 = new Counter("one");
      const counter2 = new Counter("two");
      export const options = { thresholds: { 'one{tag:xyz}': [] } };
      export default function () { counter2.add(42); }
    `;
    const r = await stampede({ 'test.js': script }, ['run', '--quiet', '--workers', '1', 'test.js']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`
    one..................: 0   0/s
      { tag:xyz }........: 0   0/s
    two..................: 42`);
  });
});

describe('k6 cmd_run_test.go parity: VU state', () => {
  it('TestMetricTagAndSetupDataIsolation (shortened): exec.vu.tags do not follow a VU into the next scenario; setup data is per VU', async () => {
    const script = `
      import exec from 'k6/execution';
      import { Counter } from 'k6/metrics';
      import { sleep } from 'k6';

      export const options = {
      scenarios: {
      sc1: {
      executor: 'shared-iterations',
      vus: 2,
      iterations: 6,
      maxDuration: '1s',
      gracefulStop: 0,
      exec: 'sc1',
      },
      sc2: {
      executor: 'per-vu-iterations',
      vus: 1,
      iterations: 1,
      startTime: '1s',
      exec: 'sc2',
      },
      },
      thresholds: {
      'iterations': ['count == 7'],
      'iterations{scenario:sc1}': ['count == 6'],
      'iterations{sc:1}': ['count == 6'],
      'iterations{scenario:sc2}': ['count == 1'],
      'mycounter': ['count == 9'],
      'mycounter{sc:1}': ['count == 6'],
      'mycounter{setup:true}': ['count == 1'],
      'mycounter{myiter:1}': ['count >= 1', 'count <= 2'],
      'mycounter{myiter:2}': ['count >= 1', 'count <= 2'],
      'mycounter{scenario:sc2}': ['count == 1'],
      'mycounter{scenario:sc2,sc:1}': ['count == 0'],
      'vus_max': ['value == 2'],
      },
      };
      let myCounter = new Counter('mycounter');

      export function setup() {
      exec.vu.tags.setup = 'true';
      myCounter.add(1);
      return { v: 0 };
      }

      export function sc1(data) {
      if (data.v !== __ITER) {
      throw new Error('sc1: wrong data for iter ' + __ITER + ': ' + JSON.stringify(data));
      }
      if (__ITER != 0 && data.v != exec.vu.tags.myiter) {
      throw new Error('sc1: wrong vu tags for iter ' + __ITER + ': ' + JSON.stringify(exec.vu.tags));
      }
      data.v += 1;
      exec.vu.tags.myiter = data.v;
      exec.vu.tags.sc = 1;
      myCounter.add(1);
      sleep(0.02); // encourage using both of the VUs
      }

      export function sc2(data) {
      if (data.v === 0) {
      throw new Error('sc2: wrong data, expected VU to have modified setup data locally: ' + data.v);
      }

      if (typeof exec.vu.tags.myiter !== 'undefined') {
      throw new Error(
      'sc2: wrong tags, expected VU to have new tags in new scenario: ' + JSON.stringify(exec.vu.tags),
      );
      }

      myCounter.add(1);
      }

      export function teardown(data) {
      if (data.v !== 0) {
      throw new Error('teardown: wrong data: ' + data.v);
      }
      myCounter.add(1);
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
      console.log('init');
      export default function() { console.log('foo'); };
      export function setup() { console.log('bar'); };
      export function teardown() { console.log('baz'); };
    `;
    const msgs = (stderr: string): string[] => stderr.trim().split('\n').map((l) => /msg=(\S+)/.exec(l)?.[1] ?? l);
    const [withSummary, disabled] = await Promise.all([
      stampede({ 'test.js': script }, ['run', '-q', '--workers', '1', '-i', '2', 'test.js']),
      stampede({ 'test.js': script }, ['run', '-q', '--workers', '1', '-i', '2', '--summary-mode=disabled', 'test.js']),
    ]);
    expect(msgs(withSummary.stderr)).toEqual(['init', 'init', 'init', 'bar', 'foo', 'foo', 'init', 'baz', 'init']);
    expect(msgs(disabled.stderr)).toEqual(['init', 'init', 'init', 'bar', 'foo', 'foo', 'init', 'baz']);
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
      import { sleep } from "k6"
      export const options = { iterations: 2, vus: 1 };
      export default function() {
        let i = __ITER;
        setTimeout(()=> { console.log(i) }, 1000)
        if (__ITER == 0) {
          throw "just error"
        } else {
          sleep(1)
        }
      }
    `;
    const r = await stampede({ 'test.js': script }, ['run', '--quiet', '--workers', '1', 'test.js']);
    const messages = r.stderr.trim().split('\n').map((l) => /msg=("(?:[^"\\]|\\.)*"|\S+)/.exec(l)?.[1] ?? l);
    expect(messages).toEqual(['"setTimeout 1 was stopped because the VU iteration was interrupted"', '"just error"', '1']);
  });
});
