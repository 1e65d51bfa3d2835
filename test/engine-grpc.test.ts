// k6/net/grpc scripts run end to end through the engine against a local grpc-js server, including
// the orchard tour (test/scripts/compat/grpc-orchard/), Stampede's own scripts covering the features of
// k6's examples/grpc_*.js.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { readFile } from 'node:fs/promises';
import { metricValues, runInput, runScript, SCRIPTS_DIR } from './scripts/engine-harness.ts';
import { loadTest, type EngineIo } from '../src/engine/index.ts';
import { startGrpcTarget, type GrpcTarget } from '../src/engine/grpc/grpc-test-server.test-helper.ts';
import { runInSandbox } from './scripts/sandboxed-run.ts';

let target: GrpcTarget;
beforeAll(async () => {
  target = await startGrpcTarget();
});
afterAll(async () => {
  await target.close();
});
const env = (extra: Record<string, string> = {}) => ({ env: { GRPC: target.address, GRPC_ADDR: target.address, ...extra } });

function harnessIo(): EngineIo {
  return {
    cwd: SCRIPTS_DIR,
    env: {},
    readFile: (p) => readFile(p),
    writeFile: async () => undefined,
    stdout: { write: () => undefined, isTTY: false },
    stderr: { write: () => undefined, isTTY: false },
  };
}

/** The messages of the run's log lines. */
function logMessages(text: string): string[] {
  return text.split('\n').flatMap((l) => {
    const m = / msg=("(?:[^"\\]|\\.)*"|\S*)/.exec(l);
    if (m === null) return [];
    const v = m[1] ?? '';
    return [v.startsWith('"') ? (JSON.parse(v) as string) : v];
  });
}

describe('k6/net/grpc end to end', () => {
  it('unary calls block, asyncInvoke resolves, statuses, metadata and deadlines are k6’s', async () => {
    const run = await runScript('grpc-unary.js', { ...env(), workers: 2, jsonOut: 'out/grpc.json' });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 18, fails: 0 });
    expect(run.result?.thresholds.every((t) => t.ok)).toBe(true);
    expect(run.result?.thresholds).toHaveLength(3);
    expect(metricValues(run, 'grpc_req_duration{method:Say}')).toBeDefined();
    expect(metricValues(run, 'data_sent')?.count).toBeGreaterThan(0);
    expect(run.stdout).toContain('GRPC');
    expect(run.stdout).toContain('grpc_req_duration');
    const points = (run.written.get('out/grpc.json') ?? '').trim().split('\n').map((l) => JSON.parse(l) as { type: string; metric: string; data: { tags?: Record<string, string> } });
    const say = points.filter((p) => p.type === 'Point' && p.metric === 'grpc_req_duration' && p.data.tags?.method === 'Say');
    expect(say).toHaveLength(4);
    expect(say[0]?.data.tags).toEqual({
      scenario: 'calls', group: '', name: 'custom', method: 'Say', service: 'stampede.test.Echo', status: '0',
      url: `${target.address}/stampede.test.Echo/Say`,
    });
  });

  it('an asyncInvoke keeps the metadata of the moment it was made (k6 takes tags and metadata when it prepares the call)', async () => {
    const source = [
      "import grpc from 'k6/net/grpc';",
      "import exec from 'k6/execution';",
      'const client = new grpc.Client();',
      "client.load(['fixtures/grpc'], 'echo.proto');",
      'export const options = { iterations: 1 };',
      'export default async function () {',
      '  client.connect(__ENV.GRPC, { plaintext: true });',
      "  exec.vu.metrics.metadata.trace_id = 'call-time';",
      "  const p = client.asyncInvoke('stampede.test.Echo/Say', { text: 'a' });",
      '  delete exec.vu.metrics.metadata.trace_id;',
      '  await p;',
      '  client.close();',
      '}',
    ].join('\n');
    const run = await runInput({ name: 'grpc-meta.js', data: new TextEncoder().encode(source) }, { ...env(), jsonOut: 'out/grpc-meta.json' });
    expect(run.exitCode).toBe(0);
    const points = (run.written.get('out/grpc-meta.json') ?? '').trim().split('\n').map((l) => JSON.parse(l) as { type: string; metric: string; data: { metadata?: Record<string, string> } });
    expect(points.filter((p) => p.type === 'Point' && p.metric === 'grpc_req_duration').map((p) => p.data.metadata)).toEqual([{ trace_id: 'call-time' }]);
  });

  it('streams run their events on the VU’s event loop and the iteration waits for them', async () => {
    const run = await runScript('grpc-streams.js', env());
    expect(run.exitCode).toBe(0);
    expect(logMessages(run.stdout + run.stderr)).toContainEqual(JSON.stringify([
      'chat:ONE', 'chat:TWO', 'chat:end', 'count:end', 'count:n 1:number', 'count:n 2:number', 'count:n 3:number',
      'fail:end', 'fail:error:5:count failed', 'fail:f 1', 'sum:a+b:2', 'sum:end',
    ]));
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 1, fails: 0 });
    expect(metricValues(run, 'grpc_streams')?.count).toBe(4);
    expect(metricValues(run, 'grpc_streams_msgs_sent')?.count).toBe(6);
    expect(metricValues(run, 'grpc_streams_msgs_received')?.count).toBe(7);
  });

  it('an endless stream is interrupted at the scenario’s end and cancelled without events', async () => {
    const started = Date.now();
    const run = await runScript('grpc-interrupt.js', env());
    expect(run.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.stdout + run.stderr).not.toContain('stream ended');
    expect(run.stdout + run.stderr).not.toContain('stream error');
    expect(metricValues(run, 'grpc_streams')?.count).toBe(1);
    expect(metricValues(run, 'grpc_streams_msgs_sent')?.count).toBeGreaterThanOrEqual(5);
    expect(metricValues(run, 'iterations')).toBeUndefined();
  });

  it('a proto file load() or loadProtoset() cannot find fails the init with the frames of the call, as k6 logs it', async () => {
    const source = { name: 'grpc-missing.js', data: new TextEncoder().encode(
      "import grpc from 'k6/net/grpc';\nconst client = new grpc.Client();\nclient.load(['definitions'], 'hello.proto');\nexport default function () {}\n",
    ) };
    const run = await runInput(source);
    expect(run.exitCode).toBe(107);
    expect(run.stderr).toMatch(/GoError: open \/\S*\/definitions\/hello\.proto: no such file or directory\n\tat file:\/\/\/\S*\/grpc-missing\.js:3:\d+/);
    const protoset = await runInput({ name: 'grpc-missing.js', data: new TextEncoder().encode(
      "import grpc from 'k6/net/grpc';\nconst client = new grpc.Client();\n\nclient.loadProtoset('./absent.protoset');\nexport default function () {}\n",
    ) });
    expect(protoset.exitCode).toBe(107);
    expect(protoset.stderr).toMatch(/GoError: couldn't open protoset: open \/\S*\/absent\.protoset: no such file or directory\n\tat file:\/\/\/\S*\/grpc-missing\.js:4:\d+/);
  });

  it('an archive of a gRPC script packs the proto files load() read, imports included', async () => {
    const test = await loadTest({ path: 'grpc-unary.js' }, { workers: 1 }, harnessIo());
    const made = await test.makeArchive();
    expect(made.files.filter((f) => f.endsWith('.proto')).map((f) => path.basename(f)).sort()).toEqual(['echo.proto', 'types.proto']);
    const fromArchive = await runInput({ name: 'grpc.tar', data: made.data }, env());
    expect(fromArchive.exitCode).toBe(0);
    expect(metricValues(fromArchive, 'checks')).toMatchObject({ passes: 18, fails: 0 });
  });

  it('connect() in the init context fails the init with k6’s message', async () => {
    const run = await runScript('grpc-connect-init.js', env());
    expect(run.exitCode).toBe(107);
    expect(run.stderr).toContain('connecting to a gRPC server in the init context is not supported');
  });

  it('the orchard tour: unary invoke with metadata and statuses, reflection, health checks, server and client streams', async () => {
    const tour = (name: string) => runScript(`compat/grpc-orchard/${name}`, env());
    for (const [name, passes] of [['inspect.js', 5], ['inspect-reflected.js', 1], ['health.js', 2], ['survey-stream.js', 1]] as const) {
      const run = await tour(name);
      expect(run.exitCode, name).toBe(0);
      expect(metricValues(run, 'checks'), name).toMatchObject({ passes, fails: 0 });
    }
    // Unpopulated fields are emitted (variety "", ageYears 0), names in lowerCamelCase.
    const inspect = await tour('inspect.js');
    expect(logMessages(inspect.stdout + inspect.stderr)).toContain('{"variety":"","position":{"row":9,"column":9},"ageYears":0}');
    const reflected = await tour('inspect-reflected.js');
    expect(logMessages(reflected.stdout + reflected.stderr)).toContain('{"variety":"Bramley","position":{"row":3,"column":14},"ageYears":12}');
    const survey = await tour('survey-stream.js');
    const lines = logMessages(survey.stdout + survey.stderr);
    // The plot (0..10, -5..15) holds two of the orchard's named trees; the swapped plot lists nothing.
    expect(lines.filter((l) => l.includes(' years) at '))).toEqual(['Bramley (12 years) at row 3, column 14', 'Cox Orange Pippin (30 years) at row 7, column -2']);
    expect(lines.at(-1)).toBe('survey finished');
    expect(lines.some((l) => l.startsWith('survey failed') || l.startsWith('a swapped plot'))).toBe(false);
    expect(metricValues(survey, 'grpc_streams')?.count).toBe(2);
    const collect = await tour('collect-stream.js');
    expect(collect.exitCode).toBe(0);
    const cl = logMessages(collect.stdout + collect.stderr);
    expect(cl.filter((l) => l.startsWith('walking to '))).toHaveLength(5);
    expect(cl.slice(-2)).toEqual(['visited 5 spots, found 3 trees, filled 9 crates', 'picking finished']);
    expect(metricValues(collect, 'grpc_streams_msgs_sent')?.count).toBe(5);
    expect(metricValues(collect, 'grpc_streams_msgs_received')?.count).toBe(1);
  }, 60_000);
});

describe('k6/net/grpc in a runner process', () => {
  it('runs inside the sandbox the server starts runs in (grpc-js loads, reflects the services and calls 127.0.0.1)', async () => {
    const source = [
      "import grpc from 'k6/net/grpc';",
      "import { check } from 'k6';",
      "export const options = { iterations: 1, thresholds: { 'grpc_req_duration{status:0}': ['max>=0'], checks: ['rate==1'] } };",
      'const client = new grpc.Client();',
      'export default function () {',
      `  client.connect('${target.address}', { plaintext: true, reflect: true });`,
      "  const res = client.invoke('stampede.test.Echo/Say', { text: 'sandboxed' });",
      "  check(res, { 'status OK': (r) => r.status === grpc.StatusOK && r.message.text === 'sandboxed' });",
      '  client.close();',
      '}',
    ].join('\n');
    const seen = await runInSandbox(source);
    expect(seen.find((m) => m.type === 'finished')).toMatchObject({
      exitCode: 0,
      // true marks a crossed threshold
      thresholds: { 'grpc_req_duration{status:0}': { 'max>=0': false }, checks: { 'rate==1': false } },
      checks: [{ name: 'status OK', passes: 1, fails: 0 }],
    });
  }, 30_000);
});
