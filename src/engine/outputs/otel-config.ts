// `--out opentelemetry` (and `experimental-opentelemetry`): k6's OpenTelemetry output config
// (internal/output/opentelemetry/config.go). Tiers: defaults < the config file's
// `collectors.opentelemetry` < OTEL_SERVICE_NAME < K6_OTEL_*; the argument is ignored, as in k6.
// Protocol `grpc` (default, endpoint localhost:4317) or `http/protobuf` (localhost:4318 + /v1/metrics,
// https unless K6_OTEL_HTTP_EXPORTER_INSECURE). Errors carry k6's texts.
import { K6_COMPAT_VERSION } from '../options/k6-options.ts';
import { formatDuration } from '../../core/index.ts';
import { readEnv, readJson, type EnvSpec, type JsonKind } from './env-config.ts';

export interface OtelConfig {
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly metricPrefix: string;
  readonly flushIntervalMs: number;
  readonly exporterProtocol: string;
  readonly exportIntervalMs: number;
  readonly headers: string | undefined;
  readonly tlsInsecureSkipVerify: boolean | undefined;
  readonly tlsCertificate: string | undefined;
  readonly tlsClientCertificate: string | undefined;
  readonly tlsClientKey: string | undefined;
  readonly httpExporterInsecure: boolean;
  readonly httpExporterEndpoint: string;
  readonly httpExporterURLPath: string;
  readonly httpUsername: string | undefined;
  readonly httpPassword: string;
  readonly grpcExporterEndpoint: string;
  readonly grpcExporterInsecure: boolean;
}

type Key = keyof OtelConfig;

const DEFAULTS: OtelConfig = {
  serviceName: 'k6',
  serviceVersion: K6_COMPAT_VERSION,
  metricPrefix: '',
  flushIntervalMs: 1000,
  exporterProtocol: 'grpc',
  exportIntervalMs: 10_000,
  headers: undefined,
  tlsInsecureSkipVerify: undefined,
  tlsCertificate: undefined,
  tlsClientCertificate: undefined,
  tlsClientKey: undefined,
  httpExporterInsecure: false,
  httpExporterEndpoint: 'localhost:4318',
  httpExporterURLPath: '/v1/metrics',
  httpUsername: undefined,
  httpPassword: '',
  grpcExporterEndpoint: 'localhost:4317',
  grpcExporterInsecure: false,
};

const FIELDS: readonly (readonly [string, string, Key, JsonKind, string])[] = [
  ['K6_OTEL_SERVICE_NAME', 'serviceName', 'serviceName', 'string', 'ServiceName'],
  ['K6_OTEL_SERVICE_VERSION', 'serviceVersion', 'serviceVersion', 'string', 'ServiceVersion'],
  ['K6_OTEL_METRIC_PREFIX', 'metricPrefix', 'metricPrefix', 'string', 'MetricPrefix'],
  ['K6_OTEL_FLUSH_INTERVAL', 'flushInterval', 'flushIntervalMs', 'duration', 'FlushInterval'],
  ['K6_OTEL_EXPORTER_PROTOCOL', 'exporterProtocol', 'exporterProtocol', 'string', 'ExporterProtocol'],
  ['K6_OTEL_EXPORT_INTERVAL', 'exportInterval', 'exportIntervalMs', 'duration', 'ExportInterval'],
  ['K6_OTEL_HEADERS', 'headers', 'headers', 'string', 'Headers'],
  ['K6_OTEL_TLS_INSECURE_SKIP_VERIFY', 'tlsInsecureSkipVerify', 'tlsInsecureSkipVerify', 'bool', 'TLSInsecureSkipVerify'],
  ['K6_OTEL_TLS_CERTIFICATE', 'tlsCertificate', 'tlsCertificate', 'string', 'TLSCertificate'],
  ['K6_OTEL_TLS_CLIENT_CERTIFICATE', 'tlsClientCertificate', 'tlsClientCertificate', 'string', 'TLSClientCertificate'],
  ['K6_OTEL_TLS_CLIENT_KEY', 'tlsClientKey', 'tlsClientKey', 'string', 'TLSClientKey'],
  ['K6_OTEL_HTTP_EXPORTER_INSECURE', 'httpExporterInsecure', 'httpExporterInsecure', 'bool', 'HTTPExporterInsecure'],
  ['K6_OTEL_HTTP_EXPORTER_ENDPOINT', 'httpExporterEndpoint', 'httpExporterEndpoint', 'string', 'HTTPExporterEndpoint'],
  ['K6_OTEL_HTTP_EXPORTER_URL_PATH', 'httpExporterURLPath', 'httpExporterURLPath', 'string', 'HTTPExporterURLPath'],
  ['K6_OTEL_HTTP_EXPORTER_USERNAME', 'username', 'httpUsername', 'string', 'HTTPUsername'],
  ['K6_OTEL_HTTP_EXPORTER_PASSWORD', 'password', 'httpPassword', 'string', 'HTTPPassword'],
  ['K6_OTEL_GRPC_EXPORTER_ENDPOINT', 'grpcExporterEndpoint', 'grpcExporterEndpoint', 'string', 'GRPCExporterEndpoint'],
  ['K6_OTEL_GRPC_EXPORTER_INSECURE', 'grpcExporterInsecure', 'grpcExporterInsecure', 'bool', 'GRPCExporterInsecure'],
];

const ENV: readonly EnvSpec<Key>[] = FIELDS.map(([env, , key, kind, field]) => [env, key, kind as EnvSpec<Key>[2], field]);
const JSON_KEYS: readonly (readonly [string, Key, JsonKind])[] = FIELDS.map(([, json, key, kind]) => [json, key, kind]);

const apply = (base: OtelConfig, over: Partial<Record<Key, unknown>>): OtelConfig =>
  ({ ...base, ...Object.fromEntries(Object.entries(over).filter(([, v]) => v !== undefined)) }) as OtelConfig;

/** k6's GetConsolidatedConfig and Validate; throws k6's error text. */
export function otelConfig(env: Readonly<Record<string, string>>, json: unknown): OtelConfig {
  let c = DEFAULTS;
  try {
    c = apply(c, readJson(json, 'opentelemetry.Config', JSON_KEYS));
  } catch (e) {
    throw new Error(`parse JSON options failed: ${(e as Error).message}`);
  }
  try {
    const fromEnv: Partial<Record<Key, unknown>> = {};
    // OTEL_SERVICE_NAME is read as given (even empty), under K6_OTEL_SERVICE_NAME.
    if (env.OTEL_SERVICE_NAME !== undefined) fromEnv.serviceName = env.OTEL_SERVICE_NAME;
    c = apply(c, { ...fromEnv, ...readEnv(env, ENV) });
  } catch (e) {
    throw new Error(`parse environment variables options failed: ${(e as Error).message}`);
  }
  const invalid = validate(c);
  if (invalid !== undefined) throw new Error(`error validating OpenTelemetry output config: ${invalid}`);
  // k6's PeriodicFlusher refuses it when the output starts; the SDK's reader takes a non-positive
  // export interval as its default.
  if (c.flushIntervalMs <= 0) throw new Error(`metric flush period should be positive but was ${formatDuration(c.flushIntervalMs)}`);
  if (c.exportIntervalMs <= 0) c = { ...c, exportIntervalMs: 60_000 };
  return c;
}

function validate(c: OtelConfig): string | undefined {
  if (c.serviceName === '') return 'providing service name is required';
  if (c.serviceVersion === '') return 'providing service version is required';
  const p = c.exporterProtocol;
  if (p === '') return undefined;
  if (p !== 'grpc' && p !== 'http/protobuf') return `unsupported exporter protocol ${JSON.stringify(p)}, only "grpc" and "http/protobuf" are supported`;
  if (p === 'grpc' && c.grpcExporterEndpoint === '') return 'gRPC exporter endpoint is required';
  if (p === 'http/protobuf') {
    if (c.httpExporterEndpoint === '') return 'HTTP exporter endpoint is required';
    if (/^https?:\/\//.test(c.httpExporterEndpoint)) return 'HTTP exporter endpoint must only be host and port, no scheme';
  }
  return undefined;
}

/** The HTTP exporter's URL. */
export function otelHttpUrl(c: OtelConfig): string {
  return `${c.httpExporterInsecure ? 'http' : 'https'}://${c.httpExporterEndpoint}${c.httpExporterURLPath}`;
}

/** k6's Config.String(): the banner's "opentelemetry (…)" text. */
export function otelDescription(c: OtelConfig): string {
  if (c.exporterProtocol === 'http/protobuf') return `opentelemetry (http/protobuf, ${otelHttpUrl(c)})`;
  return `opentelemetry (grpc${c.grpcExporterInsecure ? ' (insecure)' : ''}, ${c.grpcExporterEndpoint})`;
}

/** k6's parseHeaders: `k=v,k=v`, each side path-unescaped. */
export function parseOtelHeaders(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const header of raw.split(',')) {
    const eq = header.indexOf('=');
    if (eq < 0) throw new Error(`invalid header ${JSON.stringify(header)}, expected format key=value`);
    const unescape = (s: string, what: string): string => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw new Error(`failed to unescape header ${what} ${JSON.stringify(s)}: invalid URL escape`);
      }
    };
    out[unescape(header.slice(0, eq), 'key')] = unescape(header.slice(eq + 1), 'value');
  }
  return out;
}
