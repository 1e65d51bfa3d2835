// `--out xk6-influxdb[=URL]`: the InfluxDB v2 output of grafana/xk6-output-influxdb, the extension
// k6's influxdb output points v2 users to (pkg/influxdb/config.go). Tiers: defaults < the config
// file's `collectors["xk6-influxdb"]` < K6_INFLUXDB_* < the URL (`http://host:8086/bucket`: the
// address is scheme and host, the whole path the bucket). Precision is a duration (`1ms`); tags as
// fields default to vu:int, iter:int, url. Errors carry the extension's texts.
import { formatDuration } from '../../core/index.ts';
import { readEnv, readJson, type EnvSpec, type JsonKind } from './env-config.ts';
import { fieldKinds, type FieldKind } from './influxdb-config.ts';

export interface Influxdb2Config {
  readonly addr: string;
  readonly organization: string;
  readonly bucket: string;
  readonly token: string;
  readonly insecureSkipTLSVerify: boolean;
  readonly pushIntervalMs: number;
  readonly concurrentWrites: number;
  /** The client's precision in nanoseconds (1 unless set). */
  readonly precisionNs: bigint;
  readonly fieldKinds: ReadonlyMap<string, FieldKind>;
}

interface Tier {
  addr?: string;
  organization?: string;
  bucket?: string;
  token?: string;
  insecureSkipTLSVerify?: boolean;
  pushIntervalMs?: number;
  concurrentWrites?: number;
  precisionMs?: number;
  tagsAsFields?: string[];
}

const ENV: readonly EnvSpec<keyof Tier>[] = [
  ['K6_INFLUXDB_ADDR', 'addr', 'string', 'Addr'],
  ['K6_INFLUXDB_ORGANIZATION', 'organization', 'string', 'Organization'],
  ['K6_INFLUXDB_BUCKET', 'bucket', 'string', 'Bucket'],
  ['K6_INFLUXDB_TOKEN', 'token', 'string', 'Token'],
  ['K6_INFLUXDB_INSECURE', 'insecureSkipTLSVerify', 'bool', 'InsecureSkipTLSVerify'],
  ['K6_INFLUXDB_PUSH_INTERVAL', 'pushIntervalMs', 'duration', 'PushInterval'],
  ['K6_INFLUXDB_CONCURRENT_WRITES', 'concurrentWrites', 'int', 'ConcurrentWrites'],
  ['K6_INFLUXDB_PRECISION', 'precisionMs', 'duration', 'Precision'],
  ['K6_INFLUXDB_TAGS_AS_FIELDS', 'tagsAsFields', 'list', 'TagsAsFields'],
];

const JSON_KEYS: readonly (readonly [string, keyof Tier, JsonKind])[] = [
  ['addr', 'addr', 'string'], ['organization', 'organization', 'string'], ['bucket', 'bucket', 'string'], ['token', 'token', 'string'],
  ['insecureSkipTLSVerify', 'insecureSkipTLSVerify', 'bool'], ['pushInterval', 'pushIntervalMs', 'duration'],
  ['concurrentWrites', 'concurrentWrites', 'int'], ['precision', 'precisionMs', 'duration'], ['tagsAsFields', 'tagsAsFields', 'list'],
];

function apply(base: Tier, over: Tier): Tier {
  const out: Tier = { ...base };
  for (const [k, v] of Object.entries(over) as [keyof Tier, unknown][]) {
    if (v === undefined || (k === 'tagsAsFields' && (v as string[]).length === 0)) continue;
    (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** The extension's parseURL: scheme://host as the address, the path (without its first /) as the bucket. */
export function parseInfluxdb2Url(text: string): Tier {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(?:[^/?#@]*@)?([^/?#]*)([^?#]*)/.exec(text);
  const c: Tier = {};
  const path = m === null ? (text.split(/[?#]/)[0] ?? '') : (m[3] ?? '');
  if (m !== null && (m[2] ?? '') !== '') c.addr = `${(m[1] ?? '').toLowerCase()}://${m[2] ?? ''}`;
  let bucket = path.replace(/^\//, '');
  try {
    bucket = decodeURIComponent(bucket);
  } catch {
    throw new Error(`parse ${JSON.stringify(text)}: invalid URL escape`);
  }
  if (bucket !== '') c.bucket = bucket;
  return c;
}

/** GetConsolidatedConfig and New's checks; throws the extension's error text. */
export function influxdb2Config(arg: string, env: Readonly<Record<string, string>>, json: unknown): Influxdb2Config {
  let t: Tier = { addr: 'http://localhost:8086', tagsAsFields: ['vu:int', 'iter:int', 'url'], concurrentWrites: 4, pushIntervalMs: 1000 };
  t = apply(t, readJson(json, 'influxdb.Config', JSON_KEYS) as Tier);
  t = apply(t, readEnv(env, ENV) as Tier);
  if (arg !== '') t = apply(t, parseInfluxdb2Url(arg));
  if ((t.bucket ?? '') === '') throw new Error('the Bucket option is required');
  if ((t.concurrentWrites ?? 0) <= 0) throw new Error('the ConcurrentWrites option must be a positive number');
  const kinds = fieldKinds(t.tagsAsFields ?? []);
  const push = t.pushIntervalMs ?? 1000;
  if (push <= 0) throw new Error(`metric flush period should be positive but was ${formatDuration(push)}`);
  const precisionNs = t.precisionMs === undefined ? 1n : BigInt(Math.max(1, Math.round(t.precisionMs * 1e6)));
  return {
    addr: t.addr ?? 'http://localhost:8086',
    organization: t.organization ?? '',
    bucket: t.bucket ?? '',
    token: t.token ?? '',
    insecureSkipTLSVerify: t.insecureSkipTLSVerify ?? false,
    pushIntervalMs: push,
    concurrentWrites: t.concurrentWrites ?? 4,
    precisionNs,
    fieldKinds: kinds,
  };
}

/** The client's `precision` query value: ns, us, ms or s. */
export function precisionParam(ns: bigint): string {
  return ns === 1_000n ? 'us' : ns === 1_000_000n ? 'ms' : ns === 1_000_000_000n ? 's' : 'ns';
}
