// k6/x/tcp scripts run end to end through the engine against TCP servers this test starts on
// 127.0.0.1: an echo server, one that greets and hangs up, and one that never speaks.
import * as net from 'node:net';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValues, runScript } from './scripts/engine-harness.ts';
import { TEST_TLS_CERT, TEST_TLS_KEY } from '../src/engine/http/test-tls-cert.test-helper.ts';

interface Servers {
  readonly env: Record<string, string>;
  /** Connections the silent server saw end. */
  readonly silentClosed: { count: number };
  close(): Promise<void>;
}

async function listen(onConn: (c: net.Socket) => void): Promise<net.Server> {
  const server = net.createServer((c) => {
    c.on('error', () => undefined);
    onConn(c);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const portOf = (s: net.Server): string => String((s.address() as net.AddressInfo).port);

async function startServers(): Promise<Servers> {
  const silentClosed = { count: 0 };
  const conns = new Set<net.Socket>();
  const track = (c: net.Socket): void => {
    conns.add(c);
    c.on('close', () => conns.delete(c));
  };
  const echo = await listen((c) => {
    track(c);
    c.on('data', (d) => c.write(d));
  });
  const greeter = await listen((c) => c.end('hi'));
  const reset = await listen((c) => c.once('data', () => c.resetAndDestroy()));
  const silent = await listen((c) => {
    track(c);
    c.on('close', () => silentClosed.count++);
  });
  const secure = tls.createServer({ key: TEST_TLS_KEY, cert: TEST_TLS_CERT }, (c) => {
    c.on('error', () => undefined);
    c.on('data', (d) => c.write(d));
  });
  await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
  // A port nothing listens on: taken, then freed.
  const gone = await listen(() => undefined);
  const closedPort = portOf(gone);
  await new Promise((resolve) => gone.close(resolve));
  const all: net.Server[] = [echo, greeter, silent, reset, secure];
  return {
    env: { ECHO_PORT: portOf(echo), GREETER_PORT: portOf(greeter), SILENT_PORT: portOf(silent), CLOSED_PORT: closedPort, RESET_PORT: portOf(reset), TLS_PORT: portOf(secure), TCP_PORT: portOf(echo) },
    silentClosed,
    close: async () => {
      for (const c of conns) c.destroy();
      for (const s of all) {
        await new Promise((resolve) => s.close(resolve));
      }
    },
  };
}

let servers: Servers;
beforeAll(async () => {
  servers = await startServers();
});
afterAll(async () => {
  await servers.close();
});

describe('k6/x/tcp end to end', () => {
  it('connects in both forms, writes text and bytes, receives Uint8Arrays, and counts xk6-tcp\'s metrics', async () => {
    const run = await runScript('extensions/tcp-echo.js', { env: servers.env, jsonOut: 'tcp-points.json' });
    expect(run.stderr).not.toContain('level=error');
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 18, fails: 0 });
    expect(metricValues(run, 'tcp_sockets')?.count).toBe(2);
    expect(metricValues(run, 'tcp_writes')?.count).toBe(4);
    expect(metricValues(run, 'tcp_reads')?.count).toBeGreaterThanOrEqual(2);
    for (const trend of ['tcp_socket_connecting', 'tcp_socket_resolving', 'tcp_socket_duration']) {
      expect(metricValues(run, trend), trend).toBeDefined();
    }
    // 9 bytes each way per iteration, through the VU's dialer.
    expect(metricValues(run, 'data_sent')?.count).toBe(18);
    expect(metricValues(run, 'data_received')?.count).toBe(18);
    expect(run.stdout).toContain('tcp_sockets');
    // --out json: the extension's tags on each metric.
    const points = (run.written.get('tcp-points.json') ?? '').split('\n').filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { type: string; metric: string; data: { tags?: Record<string, string> } })
      .filter((p) => p.type === 'Point');
    const tagsOf = (metric: string): Record<string, string>[] => points.filter((p) => p.metric === metric).map((p) => p.data.tags ?? {});
    const port = servers.env.ECHO_PORT;
    expect(tagsOf('tcp_sockets')[0]).toMatchObject({ proto: 'TCP', role: 'echo-client', host: '127.0.0.1', port, scenario: 'default' });
    expect(tagsOf('tcp_sockets')[0]).not.toHaveProperty('ip');
    expect(tagsOf('tcp_sockets')[1]).toMatchObject({ form: 'options' });
    expect(tagsOf('tcp_socket_duration')[0]).toMatchObject({ proto: 'TCP', ip: '127.0.0.1', port });
    expect(tagsOf('tcp_writes').map((t) => t.kind)).toEqual([undefined, 'binary', undefined, 'binary']);
    expect(tagsOf('tcp_writes')[0]).not.toHaveProperty('proto');
    expect(tagsOf('tcp_reads')[0]).not.toHaveProperty('proto');
  });

  it('server close, idle timeout, refused dial, blocked and mapped names, bad writes, a reset: events, rejections and texts as the extension', async () => {
    const run = await runScript('extensions/tcp-behaviours.js', { env: servers.env });
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 15, fails: 0 });
    expect(metricValues(run, 'tcp_errors')?.count).toBe(7);
    // The extension logs each handled error.
    expect(run.stderr).toContain('level=error msg="Handling TCP error" error="dial tcp 127.0.0.1:');
    expect(run.stderr).toContain('method=connect');
    expect(run.stderr).not.toContain('source=stacktrace');
  });

  it('an open socket keeps its iteration alive until gracefulStop interrupts it, and is then closed', async () => {
    const before = servers.silentClosed.count;
    const started = Date.now();
    const run = await runScript('extensions/tcp-hold.js', { env: servers.env });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('connected, now waiting');
    expect(run.result?.summaryData.metrics.iterations).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(servers.silentClosed.count).toBe(before + 1);
  });

  it('tls: true speaks TLS with the VU\'s TLS options (insecureSkipTLSVerify) and fails verification as Go words it', async () => {
    const ok = await runScript('extensions/tcp-tls.js', { env: { ...servers.env, INSECURE: '1' } });
    expect(ok.exitCode).toBe(0);
    expect(metricValues(ok, 'checks')).toMatchObject({ passes: 1, fails: 0 });
    // TLS records are bigger than the 8 bytes of payload: the dialer counts the wire.
    expect(metricValues(ok, 'data_sent')?.count).toBeGreaterThan(100);
    const refused = await runScript('extensions/tcp-tls.js', { env: servers.env });
    expect(refused.exitCode).toBe(0);
    expect(metricValues(refused, 'checks')).toMatchObject({ passes: 1, fails: 0 });
  });

  it('a rejected connect() not caught fails the iteration with the TCPError text', async () => {
    const run = await runScript('extensions/tcp-uncaught.js', { env: servers.env });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(`TCP error during connect: dial tcp 127.0.0.1:${servers.env.CLOSED_PORT}: connect: connection refused`);
    expect(run.stderr).toContain('source=stacktrace');
    expect(metricValues(run, 'tcp_errors')?.count).toBe(1);
  });
});
