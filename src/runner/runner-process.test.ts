import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnRunner } from './runner-process.ts';
import type { RunnerHandle } from './runner-process.ts';
import type { FromRunner } from './protocol.ts';
import type { FakeScript } from './test-support/fake-engine.ts';
import { WebSocketServer } from 'ws';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tempDirsRemovedAfterEach } from '../../test/scripts/temp-dirs.ts';

const FAKE_ENGINE = fileURLToPath(new URL('./test-support/fake-engine.ts', import.meta.url));

function script(s: FakeScript): string {
  return Buffer.from(JSON.stringify(s)).toString('base64');
}

function collect(runner: RunnerHandle): FromRunner[] {
  const seen: FromRunner[] = [];
  runner.onMessage((m) => seen.push(m));
  return seen;
}

function waitFor<T extends FromRunner['type']>(runner: RunnerHandle, type: T): Promise<Extract<FromRunner, { type: T }>> {
  return new Promise((res) => runner.onMessage((m) => { if (m.type === type) res(m as Extract<FromRunner, { type: T }>); }));
}

/** A fresh folder in the system temp folder, removed after the test. */
const tempDir = tempDirsRemovedAfterEach();

describe('runner process', () => {
  it('cannot read the server database, see the server environment, spawn processes, or signal or renice the server from any thread', async () => {
    const serverDir = await tempDir('stampede-server-');
    const dbPath = join(serverDir, 'stampede.db');
    await writeFile(dbPath, 'secret rows');
    const runner = await spawnRunner({ engineModule: FAKE_ENGINE });
    const finished = waitFor(runner, 'finished');
    process.env['STAMPEDE_TEST_SECRET'] = 'hunter2';
    runner.send({ type: 'start', contentType: 'text/javascript', script: script({ durationMs: 50, probe: { readPath: dbPath, envName: 'STAMPEDE_TEST_SECRET' } }) });
    runner.onMessage((m) => { if (m.type === 'plan') runner.send({ type: 'proceed' }); });
    const result = await finished;
    delete process.env['STAMPEDE_TEST_SECRET'];
    expect((result.summaryData as { probe: Record<string, string> }).probe).toEqual({
      read: 'denied: ERR_ACCESS_DENIED',
      env: 'absent',
      spawn: 'denied: ERR_ACCESS_DENIED',
      signal: 'denied: ERR_ACCESS_DENIED',
      renice: 'denied: ERR_ACCESS_DENIED',
      debugProcess: 'denied: ERR_ACCESS_DENIED',
      v8Flags: 'denied: ERR_ACCESS_DENIED',
      evalThreadSignal: 'denied: ERR_ACCESS_DENIED',
      ownExecArgvThreadSignal: 'denied: ERR_ACCESS_DENIED',
      originalClassThreadSignal: 'denied: ERR_ACCESS_DENIED',
    });
    expect((await runner.exited).code).toBe(0);
    expect(existsSync(runner.workDir)).toBe(false);
  });

  it("cannot connect to the server's database (any local address of its port, from any thread) nor to a Unix socket, nor listen on either; other targets are reached", async () => {
    const listen = (server: Server, at: number | string): Promise<number> => new Promise((res) => server.listen(at, () => res((server.address() as AddressInfo | null)?.port ?? 0)));
    const database = createServer((s) => s.end());
    const target = createServer((s) => s.end());
    const socketServer = createServer((s) => s.end());
    const socketPath = join(await tempDir('stampede-pg-'), '.s.PGSQL.5432');
    const [deniedPort, allowedPort] = [await listen(database, 0), await listen(target, 0), await listen(socketServer, socketPath)];
    // A denied port nothing listens on (a database that is down).
    const probe = createServer();
    const freeDeniedPort = await listen(probe, 0);
    await new Promise((res) => probe.close(res));
    try {
      const runner = await spawnRunner({ engineModule: FAKE_ENGINE, deniedEndpoints: [{ host: 'localhost', port: deniedPort }, { host: '127.0.0.1', port: freeDeniedPort }] });
      const finished = waitFor(runner, 'finished');
      runner.send({ type: 'start', contentType: 'text/javascript', script: script({ durationMs: 50, connect: { deniedPort, allowedPort, socketPath, freeDeniedPort } }) });
      runner.onMessage((m) => { if (m.type === 'plan') runner.send({ type: 'proceed' }); });
      const result = await finished;
      expect((result.summaryData as { connections: Record<string, string> }).connections).toEqual({
        ipv4: 'EACCES',
        name: 'EACCES',
        mappedIpv6: 'EACCES',
        otherLoopback: 'EACCES',
        zeroNetwork: 'EACCES',
        portPast65535: 'EACCES',
        tamperedBuiltins: 'EACCES',
        caughtOriginal: 'not caught',
        unixSocket: 'EACCES',
        listenOnDeniedPort: 'EACCES',
        listenOnUnixSocket: 'EACCES',
        threadWithEmptyEnv: 'EACCES',
        threadWithSharedEnv: 'EACCES',
        evalThreadOwnRequire: 'EACCES',
        hooksThread: 'denied: ERR_ACCESS_DENIED',
        allowed: 'connected',
      });
    } finally {
      for (const s of [database, target, socketServer]) s.close();
    }
  });

  it('reports status, plan, metrics and the end of a run in protocol order, ignoring lines it did not sign', async () => {
    const runner = await spawnRunner({ engineModule: FAKE_ENGINE });
    const seen = collect(runner);
    runner.onMessage((m) => { if (m.type === 'plan') runner.send({ type: 'proceed' }); });
    runner.send({ type: 'start', contentType: 'text/javascript', script: script({ vus: 3, durationMs: 400, failThreshold: true, forge: true }) });
    await runner.exited;
    const flow = seen.filter((m) => m.type !== 'heartbeat' && m.type !== 'metrics' && m.type !== 'progress' && m.type !== 'log').map((m) => (m.type === 'status' ? m.phase : m.type));
    expect(flow).toEqual(['initializing', 'plan', 'running', 'processing_metrics', 'finished', 'done']);
    const plan = seen.find((m) => m.type === 'plan');
    expect(plan).toMatchObject({ maxVUs: 3, totalDurationMs: 400, dependencies: {} });
    expect(seen.some((m) => m.type === 'metrics')).toBe(true);
    expect(seen.some((m) => m.type === 'heartbeat')).toBe(true);
    const finished = seen.find((m) => m.type === 'finished');
    expect(finished).toMatchObject({ exitCode: 99, thresholds: { http_req_failed: { 'rate<0.01': true } } });
  });

  it("leaves a script's unhandled rejection to the engine: setup's fails the run with 107, not the runner with 255", async () => {
    const runner = await spawnRunner({});
    const seen = collect(runner);
    runner.onMessage((m) => { if (m.type === 'plan') runner.send({ type: 'proceed' }); });
    const source = "export const options = { iterations: 1 };\nexport async function setup() { Promise.reject(new Error('boom in setup')); }\nexport default function () {}\n";
    runner.send({ type: 'start', contentType: 'text/javascript', script: Buffer.from(source).toString('base64') });
    await runner.exited;
    const codes = seen.flatMap((m) => (m.type === 'finished' || m.type === 'error' ? [m.exitCode] : []));
    expect(codes).toContain(107);
    expect(codes).not.toContain(255);
    expect(JSON.stringify(seen.filter((m) => m.type === 'logLines' || m.type === 'error'))).toContain('boom in setup');
  }, 30_000);

  it('runs a k6/ws script inside the sandbox (the ws package loads and dials 127.0.0.1)', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (socket) => socket.on('message', (data) => socket.send(String(data))));
    await new Promise((resolve) => wss.once('listening', resolve));
    const address = wss.address();
    const url = `ws://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    try {
      const runner = await spawnRunner({});
      const seen = collect(runner);
      runner.onMessage((m) => { if (m.type === 'plan') runner.send({ type: 'proceed' }); });
      const source = [
        "import ws from 'k6/ws';",
        "import { check } from 'k6';",
        "export const options = { iterations: 1, thresholds: { ws_sessions: ['count==1'], ws_msgs_received: ['count==1'], checks: ['rate==1'] } };",
        'export default function () {',
        `  const res = ws.connect('${url}/echo', (socket) => {`,
        "    socket.on('open', () => socket.send('hi'));",
        "    socket.on('message', () => socket.close());",
        '  });',
        "  check(res, { 'status is 101': (r) => r.status === 101 });",
        '}',
      ].join('\n');
      runner.send({ type: 'start', contentType: 'text/javascript', script: Buffer.from(source).toString('base64') });
      await runner.exited;
      const finished = seen.find((m) => m.type === 'finished');
      expect(finished).toMatchObject({
        exitCode: 0,
        // true marks a crossed threshold
        thresholds: { ws_sessions: { 'count==1': false }, ws_msgs_received: { 'count==1': false }, checks: { 'rate==1': false } },
        checks: [{ name: 'status is 101', passes: 1, fails: 0 }],
      });
    } finally {
      for (const c of wss.clients) c.terminate();
      await new Promise((resolve) => wss.close(resolve));
    }
  }, 30_000);

  it('stops a run within a second of an abort', async () => {
    const runner = await spawnRunner({ engineModule: FAKE_ENGINE });
    runner.onMessage((m) => { if (m.type === 'plan') runner.send({ type: 'proceed' }); });
    const running = new Promise<void>((res) => runner.onMessage((m) => { if (m.type === 'status' && m.phase === 'running') res(); }));
    const finished = waitFor(runner, 'finished');
    runner.send({ type: 'start', contentType: 'text/javascript', script: script({ durationMs: 60_000 }) });
    await running;
    const t0 = Date.now();
    runner.send({ type: 'abort', reason: 'user' });
    expect((await finished).abortReason).toBe('user');
    expect(Date.now() - t0).toBeLessThan(1000);
    await runner.exited;
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('answers an inspect with the plan and exits; a broken script gives its exit code', async () => {
    const ok = await spawnRunner({ engineModule: FAKE_ENGINE });
    const inspected = waitFor(ok, 'inspected');
    ok.send({ type: 'inspect', contentType: 'text/javascript', script: script({ vus: 7, durationMs: 30_000 }) });
    expect(await inspected).toMatchObject({ maxVUs: 7, totalDurationMs: 30_000 });
    expect((await ok.exited).code).toBe(0);
    const bad = await spawnRunner({ engineModule: FAKE_ENGINE });
    const error = waitFor(bad, 'error');
    bad.send({ type: 'inspect', contentType: 'text/javascript', script: script({ loadError: 107 }) });
    expect(await error).toMatchObject({ exitCode: 107 });
    await bad.exited;
  });
});
