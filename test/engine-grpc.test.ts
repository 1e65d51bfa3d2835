// k6/net/grpc scripts run end to end through the engine against a local grpc-js server, including
// k6's own examples/grpc_*.js (test/scripts/compat/grpc_*.js, unchanged but for the addresses they read from __ENV).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { readFile } from 'node:fs/promises';
import { metricValues, runInput, runScript, SCRIPTS_DIR } from './scripts/engine-harness.ts';
import { loadTest, type EngineIo } from '../src/engine/index.ts';
import { startGrpcTarget, type GrpcTarget } from '../src/engine/grpc/grpc-test-server.test-helper.ts';
import { spawnRunner, type FromRunner } from '../src/runner/index.ts';

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

  it('k6’s examples: invoke, server streaming, client streaming, reflection and health check', async () => {
    const proto = { GRPC_PROTO_PATH: '../fixtures/grpc/route_guide.proto' };
    for (const name of ['grpc_invoke.js', 'grpc_reflection.js', 'grpc_healthcheck.js']) {
      const run = await runScript(`compat/${name}`, env(proto));
      expect(run.exitCode, name).toBe(0);
      expect(metricValues(run, 'checks'), name).toMatchObject({ passes: 1, fails: 0 });
    }
    const invoke = await runScript('compat/grpc_invoke.js', env(proto));
    expect(logMessages(invoke.stdout + invoke.stderr)).toContain('{"name":"","location":{"latitude":410248224,"longitude":-747127767}}');
    const server = await runScript('compat/grpc_server_streaming.js', env(proto));
    expect(server.exitCode).toBe(0);
    const lines = logMessages(server.stdout + server.stderr);
    expect(lines).toContain('Found feature called "Patriots Path, Mendham, NJ 07945, USA" at 40.7838351, -74.6143763');
    expect(lines).toContain('All done');
    const clientStreaming = await runScript('compat/grpc_client_streaming.js', env(proto));
    expect(clientStreaming.exitCode).toBe(0);
    const cl = logMessages(clientStreaming.stdout + clientStreaming.stderr);
    expect(cl).toContain('Finished trip with 5 points');
    expect(cl).toContain('All done');
  }, 60_000);
});

describe('k6/net/grpc in a runner process', () => {
  it('runs inside the sandbox the server starts runs in (grpc-js loads, reflects the services and calls 127.0.0.1)', async () => {
    const runner = await spawnRunner({});
    const seen: FromRunner[] = [];
    runner.onMessage((m) => {
      seen.push(m);
      if (m.type === 'plan') runner.send({ type: 'proceed' });
    });
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
    runner.send({ type: 'start', contentType: 'text/javascript', script: Buffer.from(source).toString('base64') });
    await runner.exited;
    expect(seen.find((m) => m.type === 'finished')).toMatchObject({
      exitCode: 0,
      // true marks a crossed threshold
      thresholds: { 'grpc_req_duration{status:0}': { 'max>=0': false }, checks: { 'rate==1': false } },
      checks: [{ name: 'status OK', passes: 1, fails: 0 }],
    });
  }, 30_000);
});
