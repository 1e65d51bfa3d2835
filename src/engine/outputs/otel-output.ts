// `--out opentelemetry`: k6's OpenTelemetry output (internal/output/opentelemetry). Every flush
// interval (1 s) the buffered samples are recorded into the instruments (otel-metrics.ts); every
// export interval (10 s) the cumulative state is exported, as the SDK's periodic reader does, over
// OTLP/HTTP protobuf (POST, `Content-Type: application/x-protobuf`, 10 s timeout an attempt) or OTLP/gRPC
// (`MetricsService/Export` through @grpc/grpc-js). On stop: a last flush, then a last export (the
// meter provider's shutdown). Headers (K6_OTEL_HEADERS) and basic auth go with every export. A failed
// export is retried as the SDK's exporters retry (otel-retry.ts: backoff from 5 s, retryable statuses
// only, within the export's 30 s deadline, 10 s over gRPC); then it is logged and the run goes on. The resource: service.name, service.version, the
// OTEL_RESOURCE_ATTRIBUTES pairs and telemetry.sdk.* naming Stampede (no OTel SDK is used).
import type * as GrpcJs from '@grpc/grpc-js';
import { STAMPEDE_VERSION } from '../options/k6-options.ts';
import { grpcLib } from '../grpc/grpc-packages.ts';
import { otelHttpUrl, parseOtelHeaders, type OtelConfig } from './otel-config.ts';
import { OtelAggregation, type OtelAttributes } from './otel-metrics.ts';
import { encodeExportRequest } from './otel-wire.ts';
import { OutputHttp, OutputHttpError } from './output-http.ts';
import { grpcRetry, otelSdkTimeouts, REAL_CLOCK, retryableHttpStatus, retryAfterMs, sendWithRetry, SDK_RETRY, timeoutSignal, type ExportAttempt, type OtelSdkTimeouts, type RetryClock, type RetryPolicy } from './otel-retry.ts';
import { PeriodicFlusher, type OutputLog, type PointSample, type SampleOutput } from './sample-output.ts';

export interface OtelTls {
  readonly ca?: Uint8Array;
  readonly cert?: Uint8Array;
  readonly key?: Uint8Array;
}

/** One attempt at exporting an encoded request, given up when `signal` aborts (sendWithRetry retries it). */
type Exporter = { send(body: Uint8Array, signal: AbortSignal): Promise<ExportAttempt>; close(): Promise<void> };

const EXPORT_PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';

/** Builds the resource's attributes (resource.Default() merged with the service's name and version). */
export function otelResource(c: OtelConfig, env: Readonly<Record<string, string>>): OtelAttributes {
  const attrs = new Map<string, string>();
  for (const pair of (env.OTEL_RESOURCE_ATTRIBUTES ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    try {
      attrs.set(decodeURIComponent(pair.slice(0, eq).trim()), decodeURIComponent(pair.slice(eq + 1).trim()));
    } catch {
      // the SDK drops the pairs it cannot decode
    }
  }
  attrs.set('telemetry.sdk.language', 'nodejs');
  attrs.set('telemetry.sdk.name', 'stampede');
  attrs.set('telemetry.sdk.version', STAMPEDE_VERSION);
  attrs.set('service.name', c.serviceName);
  attrs.set('service.version', c.serviceVersion);
  return [...attrs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** k6's getExporter: headers (K6_OTEL_HEADERS, then basic auth) and the protocol's client, timing out after `timeoutMs` (0: never). */
function makeExporter(c: OtelConfig, tls: OtelTls | undefined, timeoutMs: number): Exporter {
  const headers = c.headers === undefined ? {} : parseOtelHeaders(c.headers);
  if (c.httpUsername !== undefined) headers.Authorization = `Basic ${Buffer.from(`${c.httpUsername}:${c.httpPassword}`).toString('base64')}`;
  if (c.exporterProtocol === 'http/protobuf') {
    const url = otelHttpUrl(c);
    // The SDK's http.Client timeout: each attempt's.
    const http = new OutputHttp({
      insecure: tls !== undefined && c.tlsInsecureSkipVerify === true,
      ...(timeoutMs > 0 ? { timeoutMs } : {}),
      ...(tls === undefined ? {} : { tls: { minVersion: 'TLSv1.3', ...tls } }),
    });
    return {
      send: async (body, signal) => {
        let res;
        try {
          res = await http.send('POST', url, { ...headers, 'content-type': 'application/x-protobuf', 'user-agent': `Stampede OTLP over HTTP/protobuf metrics exporter/${STAMPEDE_VERSION}` }, body, signal);
        } catch (e) {
          // Cut by the caller's deadline or stop: Go's *url.Error of an ended context (then not retried, the context being done).
          if (signal.aborted) return { ok: false, error: `Post "${url}": ${typeof signal.reason === 'string' ? 'context deadline exceeded' : 'context canceled'}`, retryable: true };
          // Go retries a *url.Error that is Temporary(): a timeout, not a refused connection.
          return { ok: false, error: (e as Error).message, retryable: e instanceof OutputHttpError && e.timedOut };
        }
        if (res.status >= 200 && res.status < 300) return { ok: true };
        const text = res.body.trim() === '' ? '(empty)' : res.body.trim();
        if (retryableHttpStatus(res.status)) return { ok: false, error: `retry-able request failure: body: ${text}`, retryable: true, throttleMs: retryAfterMs(res.retryAfter, Date.now()) };
        return { ok: false, error: `failed to send metrics to ${url}: ${`${res.status} ${STATUS_TEXT[res.status] ?? ''}`.trimEnd()} (body: ${text})`, retryable: false };
      },
      close: () => http.close(),
    };
  }
  const grpc = grpcLib();
  const credentials = c.grpcExporterInsecure
    ? grpc.credentials.createInsecure()
    : grpc.credentials.createSsl(
      tls?.ca === undefined ? null : Buffer.from(tls.ca),
      tls?.key === undefined ? null : Buffer.from(tls.key),
      tls?.cert === undefined ? null : Buffer.from(tls.cert),
      c.tlsInsecureSkipVerify === true ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {},
    );
  const client = new grpc.Client(c.grpcExporterEndpoint, credentials);
  return {
    send: (body, signal) => new Promise<ExportAttempt>((resolve) => {
      const metadata = new grpc.Metadata();
      for (const [k, v] of Object.entries(headers)) metadata.set(k.toLowerCase(), v);
      // The exporter's timeout bounds all attempts over gRPC: it is part of the caller's signal.
      const call = client.makeUnaryRequest<Uint8Array, Buffer>(EXPORT_PATH, (b) => Buffer.from(b), (b) => b, body, metadata, {},
        (err: GrpcJs.ServiceError | null) => {
          signal.removeEventListener('abort', cancel);
          if (err === null) return resolve({ ok: true });
          // Cancelled by the caller's deadline or stop: what grpc-go says of a context that ended.
          if (signal.aborted) {
            const timedOut = typeof signal.reason === 'string';
            return resolve({ ok: false, error: timedOut ? 'rpc error: code = DeadlineExceeded desc = context deadline exceeded' : 'rpc error: code = Canceled desc = context canceled', retryable: true });
          }
          const details = err.metadata?.get('grpc-status-details-bin')[0];
          const retry = grpcRetry(err.code, details instanceof Buffer ? details : undefined);
          resolve({ ok: false, error: `rpc error: code = ${GRPC_CODES[err.code] ?? err.code} desc = ${grpcDetails(err.details)}`, ...retry });
        });
      const cancel = (): void => call.cancel();
      if (signal.aborted) cancel();
      else signal.addEventListener('abort', cancel);
    }),
    close: async () => client.close(),
  };
}

/** grpc-go's text for a refused connection, else grpc-js' details. */
function grpcDetails(details: string): string {
  const refused = /connect ECONNREFUSED ([^\s.]+(?:\.[^\s.]+)*)/.exec(details);
  return refused === null ? details : `connection error: desc = "transport: Error while dialing: dial tcp ${refused[1]}: connect: connection refused"`;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 413: 'Request Entity Too Large',
  415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

const GRPC_CODES: readonly string[] = ['OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists', 'PermissionDenied',
  'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated'];

export class OtelOutput implements SampleOutput {
  readonly description: string;
  readonly #config: OtelConfig;
  readonly #log: OutputLog;
  readonly #resource: OtelAttributes;
  readonly #aggregation: OtelAggregation;
  readonly #tls: OtelTls | undefined;
  /** Made when the run starts (a gRPC client opens a channel), after the config was checked. */
  #exporter: Exporter | undefined;
  #buffer: PointSample[] = [];
  #flusher: PeriodicFlusher | undefined;
  #reader: PeriodicFlusher | undefined;
  readonly #timeouts: OtelSdkTimeouts;
  readonly #retry: { readonly policy: RetryPolicy; readonly clock: RetryClock };
  /** Aborted when the run stops: cancels a periodic export still retrying, as the reader's shutdown does. */
  readonly #stopping = new AbortController();

  /** `retry` replaces the SDK's backoff (tests). */
  constructor(config: OtelConfig, description: string, env: Readonly<Record<string, string>>, log: OutputLog, tls: OtelTls | undefined,
    retry: { readonly policy?: RetryPolicy; readonly clock?: RetryClock } = {}) {
    this.#config = config;
    this.#timeouts = otelSdkTimeouts(env);
    this.#retry = { policy: retry.policy ?? SDK_RETRY, clock: retry.clock ?? REAL_CLOCK };
    this.description = description;
    this.#log = log;
    this.#resource = otelResource(config, env);
    this.#aggregation = new OtelAggregation(config.metricPrefix);
    this.#tls = tls;
    try {
      if (config.headers !== undefined) parseOtelHeaders(config.headers);
    } catch (e) {
      throw new Error(`failed to create OpenTelemetry exporter: failed to parse headers: ${(e as Error).message}`);
    }
    if (config.exporterProtocol !== 'grpc' && config.exporterProtocol !== 'http/protobuf') {
      throw new Error(`failed to create OpenTelemetry exporter: unsupported exporter protocol ${config.exporterProtocol}`);
    }
  }

  async start(): Promise<void> {
    this.#exporter = makeExporter(this.#config, this.#tls, this.#timeouts.exporterMs);
    this.#flusher = new PeriodicFlusher(this.#config.flushIntervalMs, async () => this.#flush());
    this.#reader = new PeriodicFlusher(this.#config.exportIntervalMs, () => this.#export());
  }

  add(samples: readonly PointSample[]): void {
    for (const s of samples) this.#buffer.push(s);
  }

  /**
   * k6's StopWithTestError: the last flush, then the provider's shutdown: an export still retrying is
   * cancelled, and a last export gets its own deadline (so the run's end waits at most that long).
   */
  async stop(): Promise<void> {
    await this.#flusher?.stop();
    this.#stopping.abort();
    await this.#reader?.stop();
    await this.#exporter?.close();
  }

  #flush(): void {
    const samples = this.#buffer;
    this.#buffer = [];
    if (samples.length > 0) this.#aggregation.record(samples, Date.now());
  }

  async #export(): Promise<void> {
    const metrics = this.#aggregation.collect();
    if (metrics.length === 0) return;
    const exporter = this.#exporter;
    if (exporter === undefined) return;
    const body = encodeExportRequest(this.#resource, metrics, Date.now());
    // The reader's export timeout, the exporter's too over gRPC (over HTTP it is each attempt's), and
    // for a periodic export the run's stop.
    const deadlines = [timeoutSignal(this.#timeouts.exportMs, 'reader export timeout')];
    if (this.#config.exporterProtocol === 'grpc' && this.#timeouts.exporterMs > 0) deadlines.push(timeoutSignal(this.#timeouts.exporterMs, 'exporter export timeout'));
    if (!this.#stopping.signal.aborted) deadlines.push(this.#stopping.signal);
    try {
      await sendWithRetry((signal) => exporter.send(body, signal), AbortSignal.any(deadlines), this.#retry.policy, this.#retry.clock);
    } catch (e) {
      // The SDK hands export errors to OTel's global error handler, which logs them.
      this.#log.write('error', `failed to upload metrics: ${(e as Error).message}`, { output: 'opentelemetry' });
    }
  }
}
