// k6/x/redis (the official xk6-redis extension) end to end through the engine against the local Redis
// on 127.0.0.1:6379 (skipped when it does not answer). Keys live under a prefix unique to the run
// and the scripts delete them.
import { describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { TEST_TLS_CERT, TEST_TLS_KEY } from '../src/engine/http/test-tls-cert.test-helper.ts';
import { failedChecks, metricValues, runScript } from './scripts/engine-harness.ts';
import { runInSandbox } from './scripts/sandboxed-run.ts';

const HOST = '127.0.0.1';
const PORT = 6379;

/** Whether Redis answers PING on HOST:PORT. */
function redisAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port: PORT });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

const available = await redisAnswers();
if (!available) console.warn(`k6/x/redis end-to-end tests skipped: Redis does not answer on ${HOST}:${String(PORT)}`);

const prefix = `stampede-test-${process.pid}-${Date.now()}`;
const env = (extra: Record<string, string> = {}) => ({
  env: { REDIS_HOST: HOST, REDIS_PORT: String(PORT), REDIS_DB: '7', REDIS_PREFIX: prefix, ...extra },
});

describe.skipIf(!available)('k6/x/redis end to end', () => {
  it('every documented method resolves with the extension’s result shapes and rejects as it does', async () => {
    const run = await runScript('extensions/redis-commands.js', { ...env(), workers: 2 });
    expect(run.stderr).toBe('');
    const failed = failedChecks(run);
    expect(failed).toEqual([]);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 138, fails: 0 });
    expect(run.exitCode).toBe(0);
    // The extension dials through k6's dialer: its traffic is the run's network traffic.
    expect(metricValues(run, 'data_sent')?.count).toBeGreaterThan(2000);
    expect(metricValues(run, 'data_received')?.count).toBeGreaterThan(500);
  }, 60_000);

  it('connections follow hosts, blockHostnames and blacklistIPs, and fail in Go’s words', async () => {
    const run = await runScript('extensions/redis-network.js', env());
    const failed = failedChecks(run);
    expect(failed).toEqual([]);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 10, fails: 0 });
    expect(run.exitCode).toBe(0);
  }, 60_000);

  it('endless commands are interrupted at the scenario’s end and the run finishes', async () => {
    const started = Date.now();
    const run = await runScript('extensions/redis-interrupt.js', env());
    expect(run.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(metricValues(run, 'iterations')).toBeUndefined();
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 1, fails: 0 });
  }, 60_000);

  it('commands an interrupted iteration left waiting, or one that timed out, do not hold up the next ones', async () => {
    const started = Date.now();
    const run = await runScript('extensions/redis-abandoned.js', env());
    expect(failedChecks(run)).toEqual([]);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 11, fails: 0 });
    expect(run.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);

  it('commands in flight together get a connection each, as go-redis’ pool gives them, up to poolSize', async () => {
    const run = await runScript('extensions/redis-pool.js', env());
    expect(failedChecks(run)).toEqual([]);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 9, fails: 0 });
    expect(run.exitCode).toBe(0);
  }, 60_000);

  it('an unknown options field fails the init with the extension’s error', async () => {
    const run = await runScript('extensions/redis-bad-options.js');
    expect(run.exitCode).toBe(107);
    expect(run.stdout + run.stderr).toContain('GoError: invalid options; reason: json: unknown field "colour"');
  });

  it('TLS: rediss:// and socket.tls connect with insecureSkipTLSVerify, and fail as the extension does without it', async () => {
    // A TLS front of the local Redis with a self-signed certificate for localhost.
    const sockets = new Set<Socket>();
    const front: Server = createServer({ cert: TEST_TLS_CERT, key: TEST_TLS_KEY }, (tlsSocket) => {
      const plain = connect({ host: HOST, port: PORT });
      for (const s of [tlsSocket, plain]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => sockets.delete(s));
      }
      tlsSocket.pipe(plain).pipe(tlsSocket);
    });
    await new Promise<void>((resolve) => front.listen(0, HOST, resolve));
    const address = front.address();
    const tlsPort = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      for (const insecure of ['1', '0']) {
        const run = await runScript('extensions/redis-tls.js', env({ REDIS_TLS_PORT: String(tlsPort), REDIS_CA: TEST_TLS_CERT, INSECURE: insecure }));
        const failed = failedChecks(run);
        expect(failed, `INSECURE=${insecure}`).toEqual([]);
        expect(metricValues(run, 'checks'), `INSECURE=${insecure}`).toMatchObject({ passes: 2, fails: 0 });
      }
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    }
  }, 60_000);

  it('runs inside the sandbox the server starts runs in (ioredis loads and reaches 127.0.0.1)', async () => {
    const key = `${prefix}:sandbox`;
    const source = [
      "import redis from 'k6/x/redis';",
      "import { check } from 'k6';",
      "export const options = { iterations: 1, thresholds: { checks: ['rate==1'] } };",
      `const client = new redis.Client('redis://${HOST}:${String(PORT)}');`,
      'export default async function () {',
      `  await client.set('${key}', 'sandboxed');`,
      `  check(await client.getDel('${key}'), { 'value read back': (v) => v === 'sandboxed' });`,
      '}',
    ].join('\n');
    const seen = await runInSandbox(source);
    expect(seen.find((m) => m.type === 'finished')).toMatchObject({
      exitCode: 0,
      thresholds: { checks: { 'rate==1': false } },
      checks: [{ name: 'value read back', passes: 1, fails: 0 }],
    });
  }, 30_000);
});
