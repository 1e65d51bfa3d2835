// The pieces of `cloud run --local-execution` a user does not see in the run: the log push (Loki JSON
// as k6's cloud log pusher sends it), the notify error mapping, Go durations of the runtime config.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudLogPusher, goDurationMs, goDurationText, notifyErrorFor, type RuntimeConfig } from './local-execution.ts';

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((ok) => (server === undefined ? ok() : server.close(() => ok())));
  server = undefined;
});

async function capture(): Promise<{ url: string; bodies: Array<{ auth: string | undefined; body: unknown }> }> {
  const bodies: Array<{ auth: string | undefined; body: unknown }> = [];
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => void (data += c.toString()));
    req.on('end', () => {
      bodies.push({ auth: req.headers.authorization, body: JSON.parse(data) });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((ok) => server?.listen(0, '127.0.0.1', ok));
  const a = server.address();
  return { url: `http://127.0.0.1:${typeof a === 'object' && a !== null ? a.port : 0}/logs`, bodies };
}

function runtime(url: string, logs: Partial<NonNullable<RuntimeConfig['logs']>> = {}): RuntimeConfig {
  return {
    metrics: { push_url: 'http://127.0.0.1:1/unused' },
    logs: { push_url: url, level: 'info', limit: 900, push_period_seconds: '1h', message_max_size: 10000, allowed_labels: ['lz', 'level', 'test_run_id', 'instance_id', 'source'], ...logs },
    test_run_token: 'stprun_secret',
  };
}

describe('CloudLogPusher', () => {
  it('pushes the entries logged before and after it knew the run, as Loki streams by level and allowed labels', async () => {
    const { url, bodies } = await capture();
    const pusher = new CloudLogPusher({ sleep: async () => {} });
    pusher.entries.write({ time: Date.now(), level: 'info', msg: 'hello from setup', fields: { source: 'console' } });
    pusher.entries.write({ time: Date.now(), level: 'warn', msg: 'Request Failed', fields: { error: 'dial tcp: refused' } });
    pusher.configure(42, runtime(url), () => {});
    pusher.entries.write({ time: Date.now(), level: 'debug', msg: 'below the level', fields: {} });
    await pusher.drain();
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.auth).toBe('Bearer stprun_secret');
    const streams = (bodies[0]?.body as { streams: Array<{ stream: Record<string, string>; values: Array<[string, string]> }> }).streams;
    expect(streams.map((s) => [s.stream, s.values.map((v) => v[1])])).toEqual([
      [{ test_run_id: '42', level: 'info', source: 'console' }, ['hello from setup']],
      [{ test_run_id: '42', level: 'warning' }, ['Request Failed error=dial tcp: refused']],
    ]);
    expect(streams[0]?.values[0]?.[0]).toMatch(/^\d{19}$/);
  });

  it('keeps at most `limit` entries a push and says how many it dropped', async () => {
    const { url, bodies } = await capture();
    const pusher = new CloudLogPusher({ sleep: async () => {} });
    pusher.configure(7, runtime(url, { limit: 2 }), () => {});
    for (let i = 0; i < 5; i++) pusher.entries.write({ time: Date.now(), level: 'info', msg: `line ${i}`, fields: {} });
    await pusher.drain();
    const lines = bodies.flatMap((b) => (b.body as { streams: Array<{ values: Array<[string, string]> }> }).streams.flatMap((s) => s.values.map((v) => v[1])));
    expect(lines).toEqual(['line 0', 'line 1', 'k6 dropped 3 log messages because they were above the limit of 2 messages / 1h0m0s']);
  });
});

describe('notifyErrorFor (k6 mapTestErrorToNotifyCode)', () => {
  it('maps how the test ended to k6\'s notify codes; a completed test (failed thresholds included) has none', () => {
    expect(notifyErrorFor({ exitCode: 0 })).toBeNull();
    expect(notifyErrorFor({ exitCode: 99 })).toBeNull();
    expect(notifyErrorFor({ exitCode: 99, abortReason: 'threshold', abortMessage: 'thresholds crossed' })).toEqual({ code: 8036, reason: 'thresholds crossed' });
    expect(notifyErrorFor({ exitCode: 105, abortReason: 'user' }, "test run was aborted because k6 received a 'interrupt' signal")).toEqual({ code: 8036, reason: "test run was aborted because k6 received a 'interrupt' signal" });
    expect(notifyErrorFor({ exitCode: 108, abortReason: 'script-abort', abortMessage: 'test aborted' })?.code).toBe(8036);
    expect(notifyErrorFor({ exitCode: 107, abortReason: 'script-error', abortMessage: 'boom' })).toEqual({ code: 8035, reason: 'boom' });
    expect(notifyErrorFor({ exitCode: 100, abortReason: 'timeout', abortMessage: 'setup() execution timed out after 1 seconds' })?.code).toBe(8034);
    expect(notifyErrorFor({ exitCode: 110 })).toEqual({ code: 0, reason: 'the test ended with exit code 110' });
  });
});

describe('goDurationMs', () => {
  it('reads Go durations and refuses anything else', () => {
    expect(goDurationMs('1s')).toBe(1000);
    expect(goDurationMs('1m30s')).toBe(90_000);
    expect(goDurationMs('250ms')).toBe(250);
    expect(goDurationMs('3')).toBeUndefined();
    expect(goDurationMs('')).toBeUndefined();
    expect([3000, 90_000, 3_600_000, 500].map(goDurationText)).toEqual(['3s', '1m30s', '1h0m0s', '500ms']);
  });
});
