// The OTLP output's retries, as the OTel Go SDK's exporters retry under k6: the backoff and its
// limits on a fake clock, the retryable HTTP statuses and gRPC codes, and whole exports against
// collectors on 127.0.0.1 that fail and then succeed.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { protobufMinimal } from './prometheus-rw-wire.ts';
import { otelConfig } from './otel-config.ts';
import { decodeExport, startGrpcCollector, type GrpcFailure } from './otel-decode.test-helper.ts';
import { OtelOutput } from './otel-output.ts';
import { grpcRetry, otelSdkTimeouts, retryAfterMs, sendWithRetry, SDK_RETRY, type ExportAttempt, type RetryClock, type RetryPolicy } from './otel-retry.ts';
import { startReceiver, type Receiver } from './output-run.test-helper.ts';

/** A clock whose sleeps pass at once and are recorded; jitter at its middle (the backoff's own interval). */
function fakeClock(random = 0.5): RetryClock & { slept: number[] } {
  let now = 1_000_000;
  const slept: number[] = [];
  return { slept, now: () => now, random: () => random, sleep: async (ms) => {
    slept.push(ms);
    now += ms;
  } };
}

const failing = (n: number, result: ExportAttempt): { attempt: () => Promise<ExportAttempt>; calls: () => number } => {
  let calls = 0;
  return { attempt: async () => (calls++ < n ? result : { ok: true }), calls: () => calls };
};
const retryable: ExportAttempt = { ok: false, error: 'retry-able request failure: body: (empty)', retryable: true };
const never = new AbortController().signal;

describe('sendWithRetry (the SDK retry config k6 runs with)', () => {
  it('waits 5 s, then ×1.5 up to 30 s between attempts, and succeeds once an attempt does', async () => {
    const clock = fakeClock();
    const f = failing(5, retryable);
    await sendWithRetry(f.attempt, never, SDK_RETRY, clock);
    expect(f.calls()).toBe(6);
    expect(clock.slept).toEqual([5_000, 7_500, 11_250, 16_875, 25_312.5]);
    const unlimited = fakeClock();
    await sendWithRetry(failing(7, retryable).attempt, never, { ...SDK_RETRY, maxElapsedMs: 0 }, unlimited);
    expect(unlimited.slept.slice(4)).toEqual([25_312.5, 30_000, 30_000]);
  });

  it('jitters each wait by ±50%', async () => {
    const low = fakeClock(0);
    await sendWithRetry(failing(2, retryable).attempt, never, SDK_RETRY, low);
    expect(low.slept).toEqual([2_500, 3_750]);
    const high = fakeClock(0.999_999);
    await sendWithRetry(failing(1, retryable).attempt, never, SDK_RETRY, high);
    expect(high.slept[0]).toBeCloseTo(7_500, 0);
  });

  it('gives up after a minute of retries, and at once when the server’s delay would pass it', async () => {
    const clock = fakeClock();
    const f = failing(100, retryable);
    await expect(sendWithRetry(f.attempt, never, SDK_RETRY, clock)).rejects.toThrow('max retry time elapsed: retry-able request failure: body: (empty)');
    // 5 + 7.5 + 11.25 + 16.875 + 25.3125 = 65.9 s > 1 min after the sixth attempt.
    expect(f.calls()).toBe(6);
    const throttled = fakeClock();
    const t = failing(100, { ...retryable, throttleMs: 61_000 });
    await expect(sendWithRetry(t.attempt, never, SDK_RETRY, throttled)).rejects.toThrow('max retry time would elapse: ');
    expect(t.calls()).toBe(1);
    expect(throttled.slept).toEqual([]);
  });

  it('waits the server’s delay when it is longer than the backoff', async () => {
    const clock = fakeClock();
    await sendWithRetry(failing(1, { ...retryable, throttleMs: 9_000 }).attempt, never, SDK_RETRY, clock);
    expect(clock.slept).toEqual([9_000]);
  });

  it('does not retry a final failure, and stops when the export’s deadline ends with its cause', async () => {
    const clock = fakeClock();
    const f = failing(5, { ok: false, error: 'failed to send metrics to http://x/v1/metrics: 400 Bad Request (body: no)', retryable: false });
    await expect(sendWithRetry(f.attempt, never, SDK_RETRY, clock)).rejects.toThrow('400 Bad Request');
    expect(f.calls()).toBe(1);
    const deadline = new AbortController();
    const sleepy: RetryClock = { ...clock, sleep: async () => deadline.abort('reader export timeout') };
    await expect(sendWithRetry(failing(5, retryable).attempt, deadline.signal, SDK_RETRY, sleepy)).rejects.toThrow('reader export timeout: retry-able request failure: body: (empty)');
  });
});

/** A google.rpc.Status (code 8) whose details hold a RetryInfo of `seconds` and `nanos`. */
function statusWithRetryInfo(seconds: number, nanos: number): Uint8Array {
  const w = protobufMinimal().Writer.create();
  w.uint32((1 << 3) | 0).int32(8);
  w.uint32((2 << 3) | 2).string('slow down');
  w.uint32((3 << 3) | 2).fork();
  w.uint32((1 << 3) | 2).string('type.googleapis.com/google.rpc.RetryInfo');
  w.uint32((2 << 3) | 2).fork().uint32((1 << 3) | 2).fork().uint32((1 << 3) | 0).int64(seconds).uint32((2 << 3) | 0).int32(nanos).ldelim().ldelim();
  w.ldelim();
  return w.finish();
}

describe('what is retried', () => {
  it('gRPC: Canceled, DeadlineExceeded, Aborted, OutOfRange, Unavailable, DataLoss; ResourceExhausted only with a RetryInfo, whose delay is waited', () => {
    expect([1, 4, 10, 11, 14, 15].map((code) => grpcRetry(code, undefined).retryable)).toEqual([true, true, true, true, true, true]);
    expect([2, 3, 5, 7, 8, 9, 12, 13, 16].map((code) => grpcRetry(code, undefined).retryable)).toEqual(Array(9).fill(false));
    expect(grpcRetry(8, statusWithRetryInfo(2, 500_000_000))).toEqual({ retryable: true, throttleMs: 2_500 });
    expect(grpcRetry(14, statusWithRetryInfo(1, 0))).toEqual({ retryable: true, throttleMs: 1_000 });
    expect(grpcRetry(8, Uint8Array.of(0xff, 0xff))).toEqual({ retryable: false });
  });

  it('HTTP Retry-After: seconds or an HTTP date', () => {
    const now = Date.UTC(2026, 10, 27, 12, 0, 0);
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs('Fri, 27 Nov 2026 12:00:07 GMT', now)).toBe(7_000);
    expect(retryAfterMs('Fri, 27 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBe(0);
    expect(retryAfterMs(undefined, now)).toBe(0);
  });

  it('reads the SDK’s timeouts from OTEL_METRIC_EXPORT_TIMEOUT and OTEL_EXPORTER_OTLP_(METRICS_)TIMEOUT, in ms', () => {
    expect(otelSdkTimeouts({})).toEqual({ exportMs: 30_000, exporterMs: 10_000 });
    expect(otelSdkTimeouts({ OTEL_METRIC_EXPORT_TIMEOUT: '5000', OTEL_EXPORTER_OTLP_TIMEOUT: '2000' })).toEqual({ exportMs: 5_000, exporterMs: 2_000 });
    expect(otelSdkTimeouts({ OTEL_EXPORTER_OTLP_TIMEOUT: '2000', OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '700' }).exporterMs).toBe(700);
    expect(otelSdkTimeouts({ OTEL_METRIC_EXPORT_TIMEOUT: '0', OTEL_EXPORTER_OTLP_TIMEOUT: '1s' })).toEqual({ exportMs: 30_000, exporterMs: 10_000 });
  });
});

describe('--out opentelemetry retrying against a collector on 127.0.0.1', () => {
  const FAST: RetryPolicy = { initialIntervalMs: 10, maxIntervalMs: 40, maxElapsedMs: 60_000 };
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  const SAMPLE = { metric: 'http_reqs', type: 'counter', contains: 'default', time: Date.now(), value: 1, tags: { status: '200' }, metadata: undefined } as const;

  /** Runs an output to its stop with one sample: the log's errors and how long the stop took. */
  async function exportOnce(env: Record<string, string>, retry: { policy?: RetryPolicy; clock?: RetryClock }): Promise<{ errors: string[]; stopMs: number }> {
    const errors: string[] = [];
    const config = otelConfig({ K6_OTEL_EXPORT_INTERVAL: '1h', ...env }, undefined);
    const out = new OtelOutput(config, 'otel', env, { write: (level, msg) => level === 'error' && errors.push(msg) }, undefined, retry);
    await out.start();
    out.add([SAMPLE]);
    const t0 = Date.now();
    await out.stop();
    return { errors, stopMs: Date.now() - t0 };
  }
  const http = (r: Receiver): Record<string, string> => ({ K6_OTEL_EXPORTER_PROTOCOL: 'http/protobuf', K6_OTEL_HTTP_EXPORTER_ENDPOINT: r.url.replace('http://', ''), K6_OTEL_HTTP_EXPORTER_INSECURE: 'true' });
  const receiver = async (answers: ({ status: number; body?: string; headers?: Record<string, string> })[]): Promise<Receiver> => {
    let n = 0;
    const r = await startReceiver(() => answers[Math.min(n++, answers.length - 1)] ?? { status: 200 });
    closers.push(() => r.close());
    return r;
  };

  it('HTTP: resends the same export after 503, 429 and 502, and succeeds without logging an error', async () => {
    const r = await receiver([{ status: 503 }, { status: 429 }, { status: 502, body: 'gateway' }, { status: 200 }]);
    const { errors } = await exportOnce(http(r), { policy: FAST });
    expect(errors).toEqual([]);
    expect(r.requests).toHaveLength(4);
    expect(new Set(r.requests.map((q) => q.body.toString('hex'))).size).toBe(1);
    expect(decodeExport(r.requests[3]?.body ?? new Uint8Array()).metrics.map((m) => m.name)).toEqual(['http_reqs']);
  });

  it('HTTP: waits the Retry-After of a 429 before resending', async () => {
    const r = await receiver([{ status: 429, headers: { 'retry-after': '4' } }, { status: 200 }]);
    const slept: number[] = [];
    const clock: RetryClock = { now: () => Date.now(), random: () => 0.5, sleep: async (ms) => void slept.push(ms) };
    expect((await exportOnce(http(r), { policy: FAST, clock })).errors).toEqual([]);
    expect(slept).toEqual([4_000]);
    expect(r.requests).toHaveLength(2);
  });

  it('HTTP: a 400 is not retried and is logged with its body', async () => {
    const r = await receiver([{ status: 400, body: 'bad metric' }]);
    const { errors } = await exportOnce(http(r), { policy: FAST });
    expect(r.requests).toHaveLength(1);
    expect(errors).toEqual([`failed to upload metrics: failed to send metrics to ${r.url}/v1/metrics: 400 Bad Request (body: bad metric)`]);
  });

  it('HTTP: a collector that keeps failing holds the run’s end no longer than the export timeout', async () => {
    const r = await receiver([{ status: 503 }]);
    const { errors, stopMs } = await exportOnce({ ...http(r), OTEL_METRIC_EXPORT_TIMEOUT: '300' }, { policy: FAST });
    expect(stopMs).toBeLessThan(2_000);
    expect(r.requests.length).toBeGreaterThan(2);
    // The deadline ends a wait (the last failure's text) or an attempt.
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^failed to upload metrics: reader export timeout: (retry-able request failure: body: \(empty\)|Post "[^"]+": context deadline exceeded)$/);
  });

  it('HTTP: an attempt that times out (OTEL_EXPORTER_OTLP_TIMEOUT) is retried, and the export deadline cuts the last one', async () => {
    let connections = 0;
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      connections++;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      silent.close(() => resolve());
    }));
    const endpoint = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const env = { K6_OTEL_EXPORTER_PROTOCOL: 'http/protobuf', K6_OTEL_HTTP_EXPORTER_ENDPOINT: endpoint, K6_OTEL_HTTP_EXPORTER_INSECURE: 'true', OTEL_EXPORTER_OTLP_TIMEOUT: '100', OTEL_METRIC_EXPORT_TIMEOUT: '700' };
    const { errors, stopMs } = await exportOnce(env, { policy: FAST });
    expect(stopMs).toBeLessThan(2_500);
    expect(connections).toBeGreaterThan(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^failed to upload metrics: reader export timeout: (Post "http:\/\/127\.0\.0\.1:\d+\/v1\/metrics": context deadline exceeded( \(Client\.Timeout exceeded while awaiting headers\))?)$/);
  });

  it('stopping cancels a periodic export still waiting to retry, then makes the last export', async () => {
    const r = await receiver([{ status: 503 }, { status: 200 }]);
    const errors: string[] = [];
    const env = { ...http(r), K6_OTEL_EXPORT_INTERVAL: '50ms', K6_OTEL_FLUSH_INTERVAL: '10ms' };
    const out = new OtelOutput(otelConfig(env, undefined), 'otel', env, { write: (level, msg) => level === 'error' && errors.push(msg) }, undefined, { policy: { ...FAST, initialIntervalMs: 20_000 } });
    await out.start();
    out.add([SAMPLE]);
    const deadline = Date.now() + 5_000;
    while (r.requests.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    // The 503 reaches the output, which then waits 10–30 s to retry.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const t0 = Date.now();
    await out.stop();
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(errors).toEqual(['failed to upload metrics: context canceled: retry-able request failure: body: (empty)']);
    expect(r.requests).toHaveLength(2);
  });

  const grpcCollector = async (fail: (n: number) => GrpcFailure | undefined) => {
    const c = await startGrpcCollector(fail);
    closers.push(() => c.close());
    return { c, env: { K6_OTEL_GRPC_EXPORTER_ENDPOINT: c.endpoint, K6_OTEL_GRPC_EXPORTER_INSECURE: 'true' } };
  };

  it('gRPC: retries Unavailable and a ResourceExhausted with RetryInfo, then succeeds', async () => {
    const { c, env } = await grpcCollector((n) => (n === 0 ? { code: 14 } : n === 1 ? { code: 8, statusDetailsBin: statusWithRetryInfo(0, 20_000_000) } : undefined));
    const { errors } = await exportOnce(env, { policy: FAST });
    expect(errors).toEqual([]);
    expect(c.requests).toHaveLength(3);
  });

  it('gRPC: ResourceExhausted without RetryInfo and InvalidArgument are final', async () => {
    const { c, env } = await grpcCollector(() => ({ code: 8, details: 'quota' }));
    expect((await exportOnce(env, { policy: FAST })).errors).toEqual(['failed to upload metrics: rpc error: code = ResourceExhausted desc = quota']);
    expect(c.requests).toHaveLength(1);
  });

  it('gRPC: all attempts together end at the exporter timeout (OTEL_EXPORTER_OTLP_TIMEOUT)', async () => {
    const { c, env } = await grpcCollector(() => ({ code: 14, details: 'down' }));
    const { errors, stopMs } = await exportOnce({ ...env, OTEL_EXPORTER_OTLP_TIMEOUT: '250' }, { policy: FAST });
    expect(stopMs).toBeLessThan(2_000);
    expect(c.requests.length).toBeGreaterThan(2);
    // The deadline ends a wait (the last failure's text) or an attempt (cancelled as Go's context is).
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^failed to upload metrics: exporter export timeout: rpc error: code = (Unavailable desc = down|DeadlineExceeded desc = context deadline exceeded)$/);
  });
});
