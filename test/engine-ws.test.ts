// k6/ws scripts run end to end through the engine against a local WebSocket server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValues, runScript } from './scripts/engine-harness.ts';
import { startWsServer, type WsTestServer } from '../src/engine/ws/ws-test-server.test-helper.ts';

let server: WsTestServer;
beforeAll(async () => {
  server = await startWsServer();
});
afterAll(async () => {
  await server.close();
});
const env = (extra: Record<string, string> = {}) => ({ env: { WS: server.url, ...extra } });

describe('k6/ws end to end', () => {
  it('sessions exchange messages, block in handlers, and count k6’s ws metrics', async () => {
    const before = server.connections.length;
    const run = await runScript('ws-echo.js', env());
    expect(run.stderr).not.toContain('level=error');
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 12, fails: 0 });
    expect(metricValues(run, 'ws_sessions')?.count).toBe(4);
    expect(metricValues(run, 'ws_msgs_sent')?.count).toBe(12);
    expect(metricValues(run, 'ws_msgs_received')?.count).toBe(12);
    expect(metricValues(run, 'ws_session_duration')?.min).toBeGreaterThanOrEqual(300);
    expect(metricValues(run, 'ws_connecting')).toBeDefined();
    expect(metricValues(run, 'ws_ping')).toBeDefined();
    expect(metricValues(run, 'data_sent')?.count).toBeGreaterThan(0);
    expect(metricValues(run, 'data_received')?.count).toBeGreaterThan(0);
    const mine = server.connections.slice(before);
    expect(mine).toHaveLength(4);
    expect(mine.map((c) => c.closeCode)).toEqual([1001, 1001, 1001, 1001]);
    expect(mine[0]?.messages).toEqual(['one', 'two', 'binary:2']);
    expect(run.stdout).toContain('WEBSOCKET');
  });

  it('an endless session is interrupted at the scenario’s end and its socket closed', async () => {
    const before = server.connections.length;
    const started = Date.now();
    const run = await runScript('ws-interrupt.js', env());
    expect(run.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(metricValues(run, 'ws_sessions')?.count).toBe(1);
    // k6 pushes no samples once the VU's context is done: the interrupted session has no duration.
    expect(metricValues(run, 'ws_session_duration')).toBeUndefined();
    expect(metricValues(run, 'ws_msgs_sent')?.count).toBeGreaterThanOrEqual(5);
    const mine = server.connections.slice(before);
    expect(mine).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(mine[0]?.closeCode).toBe(1001);
  });

  it('callbacks draw from their VU’s seeded Math.random while other VUs run', async () => {
    const run = await runScript('ws-seeded-random.js', env());
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 6, fails: 0 });
  });

  it('a refused upgrade is returned with throw off and thrown with throw on', async () => {
    const lenient = await runScript('ws-handshake-fail.js', env());
    expect(lenient.exitCode).toBe(0);
    expect(metricValues(lenient, 'checks')).toMatchObject({ passes: 2, fails: 0 });
    expect(metricValues(lenient, 'ws_sessions')?.count).toBe(1);
    const strict = await runScript('ws-handshake-fail.js', env({ THROW: '1' }));
    expect(strict.exitCode).toBe(0);
    expect(metricValues(strict, 'checks')).toBeUndefined();
    expect(strict.stderr).toContain('GoError: websocket: bad handshake');
  });
});

describe('k6/websockets end to end', () => {
  it('the iteration waits for every socket to close; listeners, timers and sleep() run on the VU’s loop', async () => {
    const before = server.connections.length;
    const run = await runScript('websockets-echo.js', env());
    expect(run.stderr).not.toContain('level=error');
    expect(run.exitCode).toBe(0);
    expect(metricValues(run, 'iterations')?.count).toBe(4);
    expect(metricValues(run, 'checks')).toMatchObject({ passes: 16, fails: 0 });
    expect(metricValues(run, 'ws_sessions')?.count).toBe(8);
    expect(metricValues(run, 'ws_msgs_sent')?.count).toBe(16);
    expect(metricValues(run, 'ws_msgs_received')?.count).toBe(16);
    // Trends: the summary shows their stats, not counts.
    expect(metricValues(run, 'ws_ping')?.max).toBeGreaterThan(0);
    expect(metricValues(run, 'ws_session_duration')?.min).toBeGreaterThanOrEqual(50);
    expect(metricValues(run, 'iteration_duration')?.min).toBeGreaterThanOrEqual(50);
    const mine = server.connections.slice(before);
    expect(mine.map((c) => c.closeCode)).toEqual(Array(8).fill(1000));
  });

  it('sockets left open are closed when the scenario ends; k6/experimental/websockets warns it is deprecated', async () => {
    const before = server.connections.length;
    const started = Date.now();
    const run = await runScript('websockets-interrupt.js', env());
    expect(run.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.stderr.split('k6/experimental/websockets is deprecated')).toHaveLength(2);
    expect(metricValues(run, 'iterations')).toBeUndefined();
    expect(metricValues(run, 'ws_msgs_sent')?.count).toBe(1);
    const mine = server.connections.slice(before);
    expect(mine).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(mine[0]?.closeCode).toBe(1000);
  });
});
