// Retrying a failed OTLP export as the OTel Go SDK's metric exporters do with their default retry
// config, which k6 leaves on (otlpmetrichttp/otlpmetricgrpc internal/retry, v1.44 in k6 v1.x):
// exponential backoff from 5 s (×1.5, ±50% jitter, at most 30 s between attempts), giving up once
// 1 min has elapsed, or at once when a server's throttle delay would take it past that minute. Only
// retryable failures are retried:
// - HTTP: 429, 502, 503 and 504, waiting at least the Retry-After (seconds or an HTTP date, as the
//   SDK reads it since v1.45; v1.44 took the seconds for nanoseconds), and a request that timed out;
//   a refused connection or any other status is final;
// - gRPC: Canceled, DeadlineExceeded, Aborted, OutOfRange, Unavailable and DataLoss, waiting at least
//   a RetryInfo's delay; ResourceExhausted only with a RetryInfo.
// The whole loop runs under the export's deadline, which is what bounds it in k6: the periodic
// reader's export timeout (OTEL_METRIC_EXPORT_TIMEOUT, 30 s) and, for gRPC, the exporter's timeout
// (OTEL_EXPORTER_OTLP_TIMEOUT, 10 s) around all attempts; over HTTP that timeout is each attempt's.
import { protobufMinimal } from './prometheus-rw-wire.ts';

export interface RetryPolicy {
  readonly initialIntervalMs: number;
  readonly maxIntervalMs: number;
  /** 0: no limit but the deadline's. */
  readonly maxElapsedMs: number;
}

/** The SDK's retry.DefaultConfig. */
export const SDK_RETRY: RetryPolicy = { initialIntervalMs: 5_000, maxIntervalMs: 30_000, maxElapsedMs: 60_000 };

/** cenkalti/backoff's defaults, which the SDK keeps. */
const MULTIPLIER = 1.5;
const RANDOMIZATION = 0.5;

/** One attempt's outcome: sent, or failed with the error text; a retryable failure may carry the server's delay. */
export type ExportAttempt = { readonly ok: true } | { readonly ok: false; readonly error: string; readonly retryable: boolean; readonly throttleMs?: number };

/** Time as the retry loop sees it; tests pass their own. */
export interface RetryClock {
  now(): number;
  /** In [0, 1). */
  random(): number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const REAL_CLOCK: RetryClock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) => new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  }),
};

/** Why a deadline signal ended the loop: its reason (the Go context's cause), else Go's words for a cancelled context. */
function abortText(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return typeof reason === 'string' ? reason : 'context canceled';
}

/** A signal that aborts after `ms` with `cause` as its reason (Go's context.WithTimeoutCause); the timer does not hold the process. */
export function timeoutSignal(ms: number, cause: string): AbortSignal {
  const c = new AbortController();
  setTimeout(() => c.abort(cause), ms).unref();
  return c.signal;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the policy or `signal` (the export's deadline)
 * ends the retries; rejects with the SDK's error text then.
 */
export async function sendWithRetry(attempt: (signal: AbortSignal) => Promise<ExportAttempt>, signal: AbortSignal, policy: RetryPolicy = SDK_RETRY, clock: RetryClock = REAL_CLOCK): Promise<void> {
  const start = clock.now();
  let interval = policy.initialIntervalMs;
  for (;;) {
    if (signal.aborted) throw new Error(abortText(signal));
    const r = await attempt(signal);
    if (r.ok) return;
    if (!r.retryable) throw new Error(r.error);
    if (signal.aborted) throw new Error(`${abortText(signal)}: ${r.error}`);
    const elapsed = clock.now() - start;
    if (policy.maxElapsedMs !== 0 && elapsed > policy.maxElapsedMs) throw new Error(`max retry time elapsed: ${r.error}`);
    const delta = RANDOMIZATION * interval;
    const backoff = interval - delta + clock.random() * 2 * delta;
    interval = interval >= policy.maxIntervalMs / MULTIPLIER ? policy.maxIntervalMs : interval * MULTIPLIER;
    const throttle = r.throttleMs ?? 0;
    if (policy.maxElapsedMs !== 0 && elapsed + throttle > policy.maxElapsedMs) throw new Error(`max retry time would elapse: ${r.error}`);
    await clock.sleep(Math.max(throttle, backoff), signal);
    if (signal.aborted) throw new Error(`${abortText(signal)}: ${r.error}`);
  }
}

/** The HTTP statuses the SDK retries. */
export function retryableHttpStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/** A Retry-After value in ms (delay-seconds or an HTTP date); 0 when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number): number {
  if (value === undefined || value === '') return 0;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) || !/[A-Za-z]/.test(value) ? 0 : Math.max(at - now, 0);
}

const CANCELED = 1;
const DEADLINE_EXCEEDED = 4;
const RESOURCE_EXHAUSTED = 8;
const ABORTED = 10;
const OUT_OF_RANGE = 11;
const UNAVAILABLE = 14;
const DATA_LOSS = 15;
const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

/**
 * Whether a gRPC status is retried, and the delay of its RetryInfo (from the `grpc-status-details-bin`
 * trailer: a google.rpc.Status whose details (field 3, Any) may hold a RetryInfo (retry_delay 1: a
 * Duration of seconds 1 and nanos 2)).
 */
export function grpcRetry(code: number, statusDetails: Uint8Array | undefined): { retryable: boolean; throttleMs?: number } {
  const info = statusDetails === undefined ? undefined : retryInfoDelayMs(statusDetails);
  if (code === RESOURCE_EXHAUSTED) return info === undefined ? { retryable: false } : { retryable: true, throttleMs: info };
  const retryable = [CANCELED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS].includes(code);
  return retryable ? { retryable, ...(info === undefined ? {} : { throttleMs: info }) } : { retryable };
}

function retryInfoDelayMs(status: Uint8Array): number | undefined {
  try {
    const pb = protobufMinimal();
    const r = pb.Reader.create(status);
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag >>> 3 !== 3 || (tag & 7) !== 2) {
        r.skipType(tag & 7);
        continue;
      }
      const any = pb.Reader.create(r.bytes());
      let type = '';
      let value: Uint8Array | undefined;
      while (any.pos < any.len) {
        const t = any.uint32();
        if (t === ((1 << 3) | 2)) type = any.string();
        else if (t === ((2 << 3) | 2)) value = any.bytes();
        else any.skipType(t & 7);
      }
      if (type !== RETRY_INFO_TYPE || value === undefined) continue;
      const info = pb.Reader.create(value);
      let ms = 0;
      while (info.pos < info.len) {
        const t = info.uint32();
        if (t !== ((1 << 3) | 2)) {
          info.skipType(t & 7);
          continue;
        }
        const d = pb.Reader.create(info.bytes());
        while (d.pos < d.len) {
          const dt = d.uint32();
          if (dt === ((1 << 3) | 0)) ms += Number(d.int64().toString()) * 1000;
          else if (dt === ((2 << 3) | 0)) ms += d.int32() / 1e6;
          else d.skipType(dt & 7);
        }
      }
      return Math.max(ms, 0);
    }
  } catch {
    // an unreadable trailer carries no RetryInfo
  }
  return undefined;
}

/** The SDK's timeouts read from its environment variables (integers of ms). */
export interface OtelSdkTimeouts {
  /** The periodic reader's bound on one export, retries included (OTEL_METRIC_EXPORT_TIMEOUT, 30 s). */
  readonly exportMs: number;
  /**
   * The exporter's (OTEL_EXPORTER_OTLP_METRICS_TIMEOUT, else OTEL_EXPORTER_OTLP_TIMEOUT, 10 s; 0 none):
   * over HTTP each attempt's, over gRPC all attempts'.
   */
  readonly exporterMs: number;
}

export function otelSdkTimeouts(env: Readonly<Record<string, string>>): OtelSdkTimeouts {
  const positive = (v: string | undefined): number | undefined => (v !== undefined && /^\+?\d+$/.test(v.trim()) && Number(v) > 0 ? Number(v) : undefined);
  const nonNegative = (v: string | undefined): number | undefined => (v !== undefined && /^[+-]?\d+$/.test(v.trim()) ? Math.max(Number(v), 0) : undefined);
  return {
    exportMs: positive(env.OTEL_METRIC_EXPORT_TIMEOUT) ?? 30_000,
    exporterMs: nonNegative(env.OTEL_EXPORTER_OTLP_METRICS_TIMEOUT) ?? nonNegative(env.OTEL_EXPORTER_OTLP_TIMEOUT) ?? 10_000,
  };
}
