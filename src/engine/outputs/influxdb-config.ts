// `--out influxdb[=URL]`: k6's InfluxDB v1 output config (internal/output/influxdb/config.go). Tiers
// as k6 consolidates them: defaults < the config file's `collectors.influxdb` < K6_INFLUXDB_* <
// the URL argument. URL forms: `http://host:8086/db`, `http://user:pass@host:8086/prefix/db` (the
// last path segment is the database, what precedes it stays in the address), `db` alone, and the
// query parameters insecure, payload_size, precision, retention, consistency, pushInterval,
// concurrentWrites, tagsAsFields (repeatable). Errors carry k6's texts.
import { formatDuration } from '../../core/index.ts';
import { goDuration, goInt, readEnv, readJson, type EnvSpec, type JsonKind } from './env-config.ts';

export type FieldKind = 'string' | 'int' | 'float' | 'bool';

export interface InfluxdbConfig {
  /** The server's address with any path prefix (no trailing /write), or udp://host:port. */
  readonly addr: string;
  readonly proxy: string | undefined;
  readonly username: string;
  readonly password: string;
  readonly insecure: boolean;
  readonly payloadSize: number;
  readonly pushIntervalMs: number;
  readonly concurrentWrites: number;
  readonly db: string;
  readonly precision: string;
  readonly retention: string;
  readonly consistency: string;
  /** Tags written as fields (k6 default vu, iter, url), with the type their text is read as. */
  readonly fieldKinds: ReadonlyMap<string, FieldKind>;
}

/** One tier: only what it sets (Go's null types' Valid). */
interface Tier {
  addr?: string;
  proxy?: string;
  username?: string;
  password?: string;
  insecure?: boolean;
  payloadSize?: number;
  pushIntervalMs?: number;
  concurrentWrites?: number;
  db?: string;
  precision?: string;
  retention?: string;
  consistency?: string;
  tagsAsFields?: string[];
}

const DEFAULTS: Required<Omit<Tier, 'proxy'>> = {
  addr: 'http://localhost:8086',
  username: '',
  password: '',
  insecure: false,
  payloadSize: 0,
  pushIntervalMs: 1000,
  concurrentWrites: 4,
  db: 'k6',
  precision: '',
  retention: '',
  consistency: '',
  tagsAsFields: ['vu', 'iter', 'url'],
};

/** k6's Config.Apply: a tier's values win; payloadSize only when positive, tagsAsFields only when non-empty. */
function apply(base: Tier, over: Tier): Tier {
  const out: Tier = { ...base };
  for (const [k, v] of Object.entries(over) as [keyof Tier, Tier[keyof Tier]][]) {
    if (v === undefined) continue;
    if (k === 'payloadSize' && (v as number) <= 0) continue;
    if (k === 'tagsAsFields' && (v as string[]).length === 0) continue;
    (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** k6's ParseURL (Go's url.Parse: `scheme://[user[:pass]@]host[/path][?query]`, or a bare path). */
export function parseInfluxdbUrl(text: string): Tier {
  const c: Tier = {};
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(text);
  let queryPart: string;
  if (m !== null) {
    const [, scheme = '', authority = '', rawPath = '', query = ''] = m;
    const at = authority.lastIndexOf('@');
    const host = authority.slice(at + 1);
    queryPart = query;
    if (host !== '') {
      const { prefix, db } = splitPrefixAndDb(decode(rawPath));
      c.addr = `${scheme.toLowerCase()}://${host}${prefix}`;
      if (db !== '') c.db = db;
    } else {
      const db = decode(rawPath).replace(/^\//, '');
      if (db !== '') c.db = db;
    }
    if (at >= 0) {
      const [user, pass] = splitOnce(authority.slice(0, at), ':');
      c.username = decode(user);
      c.password = decode(pass);
    }
  } else {
    const [rawPath, query] = splitOnce(text.split('#')[0] ?? '', '?');
    queryPart = query;
    // `scheme:opaque` has neither host nor path for Go.
    const db = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(rawPath) ? '' : decode(rawPath).replace(/^\//, '');
    if (db !== '') c.db = db;
  }
  const query = new URLSearchParams(queryPart);
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key);
    const first = values[0] ?? '';
    switch (key) {
      case 'insecure':
        if (first === 'false') c.insecure = false;
        else if (first === 'true') c.insecure = true;
        else if (first !== '') throw new Error(`insecure must be true or false, not ${first}`);
        break;
      case 'payload_size': c.payloadSize = goInt(first); break;
      case 'precision': c.precision = first; break;
      case 'retention': c.retention = first; break;
      case 'consistency': c.consistency = first; break;
      case 'pushInterval': if (first !== '') c.pushIntervalMs = goDuration(first); break;
      case 'concurrentWrites': c.concurrentWrites = goInt(first); break;
      case 'tagsAsFields': c.tagsAsFields = values; break;
      default: throw new Error(`unknown query parameter: ${key}`);
    }
  }
  return c;
}

/** The last path segment is the database; a trailing slash makes the whole path a prefix. */
function splitPrefixAndDb(path: string): { prefix: string; db: string } {
  if (path === '') return { prefix: '', db: '' };
  if (path.endsWith('/')) return { prefix: path.slice(0, -1), db: '' };
  const i = path.lastIndexOf('/');
  return { prefix: path.slice(0, Math.max(0, i)), db: path.slice(i + 1) };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new Error(`parse ${JSON.stringify(s)}: invalid URL escape`);
  }
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

const ENV: readonly EnvSpec<keyof Tier>[] = [
  ['K6_INFLUXDB_ADDR', 'addr', 'string', 'Addr'],
  ['K6_INFLUXDB_PROXY', 'proxy', 'string', 'Proxy'],
  ['K6_INFLUXDB_USERNAME', 'username', 'string', 'Username'],
  ['K6_INFLUXDB_PASSWORD', 'password', 'string', 'Password'],
  ['K6_INFLUXDB_INSECURE', 'insecure', 'bool', 'Insecure'],
  ['K6_INFLUXDB_PAYLOAD_SIZE', 'payloadSize', 'int', 'PayloadSize'],
  ['K6_INFLUXDB_PUSH_INTERVAL', 'pushIntervalMs', 'duration', 'PushInterval'],
  ['K6_INFLUXDB_CONCURRENT_WRITES', 'concurrentWrites', 'int', 'ConcurrentWrites'],
  ['K6_INFLUXDB_DB', 'db', 'string', 'DB'],
  ['K6_INFLUXDB_PRECISION', 'precision', 'string', 'Precision'],
  ['K6_INFLUXDB_RETENTION', 'retention', 'string', 'Retention'],
  ['K6_INFLUXDB_CONSISTENCY', 'consistency', 'string', 'Consistency'],
  ['K6_INFLUXDB_TAGS_AS_FIELDS', 'tagsAsFields', 'list', 'TagsAsFields'],
];

const JSON_KEYS: readonly (readonly [string, keyof Tier, JsonKind])[] = [
  ['addr', 'addr', 'string'], ['proxy', 'proxy', 'string'], ['username', 'username', 'string'],
  ['password', 'password', 'string'], ['insecure', 'insecure', 'bool'], ['payloadSize', 'payloadSize', 'int'],
  ['pushInterval', 'pushIntervalMs', 'duration'], ['concurrentWrites', 'concurrentWrites', 'int'], ['db', 'db', 'string'],
  ['precision', 'precision', 'string'], ['retention', 'retention', 'string'], ['consistency', 'consistency', 'string'],
  ['tagsAsFields', 'tagsAsFields', 'list'],
];

/** k6's MakeFieldKinds: `name[:type]`, type string (default), int, float or bool. */
export function fieldKinds(tags: readonly string[]): Map<string, FieldKind> {
  const out = new Map<string, FieldKind>();
  for (const entry of tags) {
    const [name, type] = splitOnce(entry, ':');
    const kind = type === '' ? 'string' : type;
    if (out.has(name)) throw new Error(`a tag name (${name}) shows up more than once in InfluxDB field type configurations`);
    if (kind !== 'string' && kind !== 'int' && kind !== 'float' && kind !== 'bool') {
      throw new Error(`an invalid type (${kind}) is specified for an InfluxDB field (${name})`);
    }
    out.set(name, kind);
  }
  return out;
}

/** k6's GetConsolidatedConfig and newOutput's checks; throws k6's error text. */
export function influxdbConfig(arg: string, env: Readonly<Record<string, string>>, json: unknown): InfluxdbConfig {
  let tier = apply(DEFAULTS, readJson(json, 'influxdb.Config', JSON_KEYS) as Tier);
  tier = apply(tier, readEnv(env, ENV) as Tier);
  if (arg !== '') tier = apply(tier, parseInfluxdbUrl(arg));
  const c = { ...DEFAULTS, ...tier };
  if (c.proxy !== undefined) {
    try {
      new URL(c.proxy);
    } catch {
      throw new Error(`failed to parse the http proxy URL: parse ${JSON.stringify(c.proxy)}: invalid URL`);
    }
  }
  if (c.concurrentWrites <= 0) throw new Error("influxdb's ConcurrentWrites must be a positive number");
  const kinds = fieldKinds(c.tagsAsFields);
  // k6's PeriodicFlusher refuses it when the output starts.
  if (c.pushIntervalMs <= 0) throw new Error(`metric flush period should be positive but was ${formatDuration(c.pushIntervalMs)}`);
  return {
    addr: c.addr === '' ? 'http://localhost:8086' : c.addr,
    proxy: c.proxy,
    username: c.username,
    password: c.password,
    insecure: c.insecure,
    payloadSize: c.payloadSize,
    pushIntervalMs: c.pushIntervalMs,
    concurrentWrites: c.concurrentWrites,
    db: c.db === '' ? 'k6' : c.db,
    precision: c.precision,
    retention: c.retention,
    consistency: c.consistency,
    fieldKinds: kinds,
  };
}
