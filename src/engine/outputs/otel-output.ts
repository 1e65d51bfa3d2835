// `--out opentelemetry`: k6's OpenTelemetry output (internal/output/opentelemetry). Every flush
// interval (1 s) the buffered samples are recorded into the instruments (otel-metrics.ts); every
// export interval (10 s) the cumulative state is exported, as the SDK's periodic reader does, over
// OTLP/HTTP protobuf (POST, `Content-Type: application/x-protobuf`, 10 s timeout) or OTLP/gRPC
// (`MetricsService/Export` through @grpc/grpc-js). On stop: a last flush, then a last export (the
// meter provider's shutdown). Headers (K6_OTEL_HEADERS) and basic auth go with every export; a failed
// export is logged and the run goes on. The resource: service.name, service.version, the
// OTEL_RESOURCE_ATTRIBUTES pairs and telemetry.sdk.* naming Stampede (no OTel SDK is used).
import type * as GrpcJs from '@grpc/grpc-js';
import { STAMPEDE_VERSION } from '../options/k6-options.ts';
import { grpcLib } from '../grpc/grpc-packages.ts';
import { otelHttpUrl, parseOtelHeaders, type OtelConfig } from './otel-config.ts';
import { OtelAggregation, type OtelAttributes } from './otel-metrics.ts';
import { encodeExportRequest } from './otel-wire.ts';
import { OutputHttp } from './output-http.ts';
import { PeriodicFlusher, type OutputLog, type PointSample, type SampleOutput } from './sample-output.ts';

export interface OtelTls {
  readonly ca?: Uint8Array;
  readonly cert?: Uint8Array;
  readonly key?: Uint8Array;
}

/** One export of an encoded request; rejects with the exporter's error text. */
type Exporter = { send(body: Uint8Array): Promise<void>; close(): Promise<void> };

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

/** k6's getExporter: headers (K6_OTEL_HEADERS, then basic auth) and the protocol's client. */
function makeExporter(c: OtelConfig, tls: OtelTls | undefined): Exporter {
  const headers = c.headers === undefined ? {} : parseOtelHeaders(c.headers);
  if (c.httpUsername !== undefined) headers.Authorization = `Basic ${Buffer.from(`${c.httpUsername}:${c.httpPassword}`).toString('base64')}`;
  if (c.exporterProtocol === 'http/protobuf') {
    const url = otelHttpUrl(c);
    const http = new OutputHttp({
      insecure: tls !== undefined && c.tlsInsecureSkipVerify === true,
      timeoutMs: 10_000,
      ...(tls === undefined ? {} : { tls: { minVersion: 'TLSv1.3', ...tls } }),
    });
    return {
      send: async (body) => {
        const res = await http.send('POST', url, { ...headers, 'content-type': 'application/x-protobuf', 'user-agent': `Stampede OTLP over HTTP/protobuf metrics exporter/${STAMPEDE_VERSION}` }, body);
        if (res.status < 200 || res.status >= 300) throw new Error(`failed to send metrics to ${url}: ${res.status} ${STATUS_TEXT[res.status] ?? ''}`.trimEnd());
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
    send: (body) => new Promise<void>((resolve, reject) => {
      const metadata = new grpc.Metadata();
      for (const [k, v] of Object.entries(headers)) metadata.set(k.toLowerCase(), v);
      client.makeUnaryRequest<Uint8Array, Buffer>(EXPORT_PATH, (b) => Buffer.from(b), (b) => b, body, metadata, { deadline: Date.now() + 10_000 },
        (err: GrpcJs.ServiceError | null) => (err === null ? resolve() : reject(new Error(`rpc error: code = ${GRPC_CODES[err.code] ?? err.code} desc = ${grpcDetails(err.details)}`))));
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

  constructor(config: OtelConfig, description: string, env: Readonly<Record<string, string>>, log: OutputLog, tls: OtelTls | undefined) {
    this.#config = config;
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
    this.#exporter = makeExporter(this.#config, this.#tls);
    this.#flusher = new PeriodicFlusher(this.#config.flushIntervalMs, async () => this.#flush());
    this.#reader = new PeriodicFlusher(this.#config.exportIntervalMs, () => this.#export());
  }

  add(samples: readonly PointSample[]): void {
    for (const s of samples) this.#buffer.push(s);
  }

  /** k6's StopWithTestError: the last flush, then the provider's shutdown (a last export). */
  async stop(): Promise<void> {
    await this.#flusher?.stop();
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
    try {
      await this.#exporter?.send(encodeExportRequest(this.#resource, metrics, Date.now()));
    } catch (e) {
      // The SDK hands export errors to OTel's global error handler, which logs them.
      this.#log.write('error', `failed to upload metrics: ${(e as Error).message}`, { output: 'opentelemetry' });
    }
  }
}
