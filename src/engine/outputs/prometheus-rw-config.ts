// `--out experimental-prometheus-rw`: k6's Prometheus remote-write output config
// (internal/output/prometheusrw/remotewrite/config.go). Tiers as k6 consolidates them: defaults <
// the config file's `collectors["experimental-prometheus-rw"]` < K6_PROMETHEUS_RW_*; the `=arg` is
// ignored, as k6 ignores it. Headers from `headers` (JSON), K6_PROMETHEUS_RW_HEADERS_<Name> and
// K6_PROMETHEUS_RW_HTTP_HEADERS (`k:v,k:v`). Errors carry k6's texts.
import { formatDuration } from '../../core/index.ts';
import { readEnv, readJson, type EnvSpec, type JsonKind } from './env-config.ts';

export interface PrometheusRwConfig {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly insecureSkipTLSVerify: boolean;
  /** "1.2" allows TLS 1.2; anything else means TLS 1.3 at least (k6's default). */
  readonly tlsMinVersion: string | undefined;
  /** Basic auth when a username is set (even with no password). */
  readonly username: string | undefined;
  readonly password: string;
  readonly clientCertificate: string | undefined;
  readonly clientCertificateKey: string | undefined;
  readonly bearerToken: string;
  readonly pushIntervalMs: number;
  readonly trendAsNativeHistogram: boolean;
  readonly trendStats: readonly string[];
  readonly staleMarkers: boolean;
  readonly sigV4Region: string | undefined;
  readonly sigV4AccessKey: string | undefined;
  readonly sigV4SecretKey: string | undefined;
}

type Key = keyof PrometheusRwConfig;
type Tier = Partial<Record<Key, unknown>>;

const DEFAULTS: PrometheusRwConfig = {
  url: 'http://localhost:9090/api/v1/write',
  headers: {},
  insecureSkipTLSVerify: false,
  tlsMinVersion: undefined,
  username: undefined,
  password: '',
  clientCertificate: undefined,
  clientCertificateKey: undefined,
  bearerToken: '',
  pushIntervalMs: 5000,
  trendAsNativeHistogram: false,
  trendStats: ['p(99)'],
  staleMarkers: false,
  sigV4Region: undefined,
  sigV4AccessKey: undefined,
  sigV4SecretKey: undefined,
};

const ENV: readonly EnvSpec<Key>[] = [
  ['K6_PROMETHEUS_RW_SERVER_URL', 'url', 'string', 'ServerURL'],
  ['K6_PROMETHEUS_RW_INSECURE_SKIP_TLS_VERIFY', 'insecureSkipTLSVerify', 'bool', 'InsecureSkipTLSVerify'],
  ['K6_PROMETHEUS_RW_TLS_MINIMUM_VERSION', 'tlsMinVersion', 'string', 'TLSMinVersion'],
  ['K6_PROMETHEUS_RW_USERNAME', 'username', 'string', 'Username'],
  ['K6_PROMETHEUS_RW_PASSWORD', 'password', 'string', 'Password'],
  ['K6_PROMETHEUS_RW_CLIENT_CERTIFICATE', 'clientCertificate', 'string', 'ClientCertificate'],
  ['K6_PROMETHEUS_RW_CLIENT_CERTIFICATE_KEY', 'clientCertificateKey', 'string', 'ClientCertificateKey'],
  ['K6_PROMETHEUS_RW_BEARER_TOKEN', 'bearerToken', 'string', 'BearerToken'],
  ['K6_PROMETHEUS_RW_PUSH_INTERVAL', 'pushIntervalMs', 'duration', 'PushInterval'],
  ['K6_PROMETHEUS_RW_TREND_STATS', 'trendStats', 'list', 'TrendStats'],
  ['K6_PROMETHEUS_RW_STALE_MARKERS', 'staleMarkers', 'bool', 'StaleMarkers'],
  ['K6_PROMETHEUS_RW_SIGV4_REGION', 'sigV4Region', 'string', 'SigV4Region'],
  ['K6_PROMETHEUS_RW_SIGV4_ACCESS_KEY', 'sigV4AccessKey', 'string', 'SigV4AccessKey'],
  ['K6_PROMETHEUS_RW_SIGV4_SECRET_KEY', 'sigV4SecretKey', 'string', 'SigV4SecretKey'],
];

const JSON_KEYS: readonly (readonly [string, Key, JsonKind])[] = [
  ['url', 'url', 'string'], ['headers', 'headers', 'map'], ['insecureSkipTLSVerify', 'insecureSkipTLSVerify', 'bool'],
  ['tlsMinVersion', 'tlsMinVersion', 'string'], ['username', 'username', 'string'], ['password', 'password', 'string'],
  ['clientCertificate', 'clientCertificate', 'string'], ['clientCertificateKey', 'clientCertificateKey', 'string'],
  ['bearerToken', 'bearerToken', 'string'], ['pushInterval', 'pushIntervalMs', 'duration'],
  ['trendAsNativeHistogram', 'trendAsNativeHistogram', 'bool'], ['trendStats', 'trendStats', 'list'],
  ['staleMarkers', 'staleMarkers', 'bool'], ['sigV4Region', 'sigV4Region', 'string'],
  ['sigV4AccessKey', 'sigV4AccessKey', 'string'], ['sigV4SecretKey', 'sigV4SecretKey', 'string'],
];

/** k6's Config.Apply: set values win; headers merge; trendStats only when non-empty. */
function apply(base: PrometheusRwConfig, over: Tier): PrometheusRwConfig {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    if (k === 'headers') out.headers = { ...base.headers, ...(v as Record<string, string>) };
    else if (k === 'trendStats' && (v as string[]).length === 0) continue;
    else out[k] = v;
  }
  return out as unknown as PrometheusRwConfig;
}

/** k6's parseEnvs: envconfig, then the K6_PROMETHEUS_RW_HEADERS_* variables, then K6_PROMETHEUS_RW_HTTP_HEADERS. */
function envTier(env: Readonly<Record<string, string>>): Tier {
  const c = readEnv(env, ENV);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('K6_PROMETHEUS_RW_HEADERS_')) headers[k.slice('K6_PROMETHEUS_RW_HEADERS_'.length)] = v;
  const list = env.K6_PROMETHEUS_RW_HTTP_HEADERS;
  if (list !== undefined) {
    for (const pair of list.split(',')) {
      const parts = pair.split(':');
      if (parts.length !== 2) throw new Error(`the provided header (${pair}) does not respect the expected format <header key>:<value>`);
      headers[parts[0] as string] = parts[1] as string;
    }
  }
  if (Object.keys(headers).length > 0) c.headers = headers;
  return c;
}

/** A trend stat's series suffix: `p(99)` → `p99`, `p(99.9)` → `p999`, others as given. */
export function trendStatSuffix(stat: string): string {
  return stat.startsWith('p(') ? `p${stat.slice(2, -1).replace(/\./g, '')}` : stat;
}

/** k6's GetResolversForTrendColumns checks (plus `sum`, which the output adds). */
function checkTrendStats(stats: readonly string[]): void {
  for (const stat of stats) {
    if (['avg', 'min', 'med', 'max', 'count', 'sum'].includes(stat)) continue;
    if (!stat.startsWith('p(') || !stat.endsWith(')')) throw new Error(`invalid trend stat '${stat}', unknown format`);
    const text = stat.slice(2, -1);
    const p = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
    if (!(p >= 0 && p <= 100)) throw new Error(`invalid percentile trend stat value '${stat}', provide a number between 0 and 100`);
  }
}

const filled = (s: string | undefined): boolean => s !== undefined && s.trim() !== '';

/**
 * k6's GetConsolidatedConfig and New's checks; throws k6's error text. `nativeHistograms`: the
 * native-histograms feature (K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM is its alias).
 */
export function prometheusRwConfig(env: Readonly<Record<string, string>>, json: unknown, nativeHistograms: boolean): PrometheusRwConfig {
  let c = DEFAULTS;
  try {
    c = apply(c, readJson(json, 'remotewrite.Config', JSON_KEYS));
  } catch (e) {
    throw new Error(`parse JSON options failed: ${(e as Error).message}`);
  }
  try {
    c = apply(c, envTier(env));
  } catch (e) {
    throw new Error(`parse environment variables options failed: ${(e as Error).message}`);
  }
  if (nativeHistograms) c = { ...c, trendAsNativeHistogram: true };
  const sigv4 = [c.sigV4Region, c.sigV4AccessKey, c.sigV4SecretKey].map(filled);
  if (sigv4.some((x) => x) && !sigv4.every((x) => x)) {
    throw new Error('sigv4 seems to be partially configured. All of K6_PROMETHEUS_RW_SIGV4_REGION, K6_PROMETHEUS_RW_SIGV4_ACCESS_KEY, K6_PROMETHEUS_RW_SIGV4_SECRET_KEY must all be set. Unset all to bypass sigv4');
  }
  if (c.sigV4Region !== undefined && c.sigV4AccessKey !== undefined && c.sigV4SecretKey !== undefined) {
    throw new Error('sigv4 request signing (K6_PROMETHEUS_RW_SIGV4_*) is not supported by Stampede');
  }
  try {
    new URL(c.url);
  } catch {
    throw new Error(`failed to initialize the Prometheus remote write client: parse ${JSON.stringify(c.url)}: invalid URL`);
  }
  if (c.trendAsNativeHistogram) {
    throw new Error('trends as Prometheus native histograms (trendAsNativeHistogram, the native-histograms feature, K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM) are not supported by Stampede; trends are sent as gauges of K6_PROMETHEUS_RW_TREND_STATS');
  }
  checkTrendStats(c.trendStats);
  // k6's PeriodicFlusher refuses it when the output starts.
  if (c.pushIntervalMs <= 0) throw new Error(`metric flush period should be positive but was ${formatDuration(c.pushIntervalMs)}`);
  return c;
}
