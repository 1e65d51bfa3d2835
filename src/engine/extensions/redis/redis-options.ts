// The Client constructor's argument, read as xk6-redis reads it (redis/options.go): a `redis://` or
// `rediss://` URL (go-redis ParseURL), or an options object decoded the way Go's encoding/json decodes
// it into the extension's structs (keys matched ignoring case, unknown keys refused, numbers for ints
// must be integers, null ignored). Errors carry the extension's texts, prefixed with
// "invalid options; reason: ".
import { goTypeName } from '../../vu/go-error.ts';

export interface RedisAddress {
  readonly host: string;
  readonly port: number;
}

export interface RedisTls {
  readonly ca: readonly string[];
  readonly cert?: string;
  readonly key?: string;
  /** rediss:// URLs verify the URL's host name. */
  readonly serverName?: string;
}

export interface RedisConfig {
  /** go-redis' UniversalClient: a master name makes a failover client, several addresses a cluster client. */
  readonly mode: 'single' | 'cluster' | 'sentinel';
  /** The server (single), the nodes (cluster) or the sentinels (sentinel). */
  readonly addrs: readonly RedisAddress[];
  readonly db: number;
  readonly username: string;
  readonly password: string;
  readonly clientName: string;
  readonly tls: RedisTls | undefined;
  /** go-redis MaxRetries as given: 0 means its default (3), -1 none. */
  readonly maxRetries: number;
  /** Milliseconds as given (0: go-redis' default, -1: none). */
  readonly dialTimeout: number;
  readonly readTimeout: number;
  readonly writeTimeout: number;
  /** go-redis PoolSize (0: its default, 10 per CPU) and PoolTimeout in milliseconds (0: readTimeout + 1 s). */
  readonly poolSize: number;
  readonly poolTimeout: number;
  readonly masterName: string;
  readonly sentinelUsername: string;
  readonly sentinelPassword: string;
  readonly cluster: { readonly maxRedirects: number; readonly readOnly: boolean; readonly routeByLatency: boolean; readonly routeRandomly: boolean };
}

/** An error of the constructor: thrown as a GoError with this text. */
export class RedisOptionsError extends Error {}

/** One node's settings, before the cluster consistency checks fold them into one config. */
interface NodeSettings {
  addr: RedisAddress;
  db: number;
  username: string;
  password: string;
  clientName: string;
  tls: RedisTls | undefined;
  maxRetries: number;
  dialTimeout: number;
  readTimeout: number;
  writeTimeout: number;
  poolSize: number;
  poolTimeout: number;
}

export function readRedisOptions(arg: unknown): RedisConfig {
  try {
    if (typeof arg === 'string') return fromUrlString(arg);
    if (arg !== null && typeof arg === 'object' && !Array.isArray(arg) && typeof arg !== 'function') {
      return fromObject(arg as Record<string, unknown>);
    }
    throw new RedisOptionsError(`invalid options type: ${goTypeName(arg)}; expected string or object`);
  } catch (e) {
    if (e instanceof RedisOptionsError && e.message.startsWith('invalid options type: ')) throw e;
    throw new RedisOptionsError(`invalid options; reason: ${(e as Error).message}`);
  }
}

// ---- URLs (go-redis ParseURL) ----

/** go-redis' query parameters that name a duration: a Go duration ("5s") or whole seconds. */
const DURATION_PARAMS = new Set(['dial_timeout', 'read_timeout', 'write_timeout', 'pool_timeout', 'min_retry_backoff',
  'max_retry_backoff', 'conn_max_idle_time', 'conn_max_lifetime', 'idle_timeout', 'max_conn_age', 'idle_check_frequency']);
const INT_PARAMS = new Set(['protocol', 'db', 'max_retries', 'pool_size', 'min_idle_conns', 'max_idle_conns', 'max_active_conns']);
const BOOL_PARAMS = new Set(['pool_fifo', 'skip_verify', 'context_timeout_enabled']);

export function parseRedisUrl(text: string): NodeSettings {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RedisOptionsError(`parse ${JSON.stringify(text)}: invalid URL`);
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== 'redis' && scheme !== 'rediss') throw new RedisOptionsError(`redis: invalid URL scheme: ${scheme}`);
  const host = url.hostname === '' ? 'localhost' : url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? 6379 : Number(url.port);
  const path = decodeURIComponent(url.pathname);
  const segments = path.split('/').filter((s) => s !== '');
  let db = 0;
  if (segments.length === 1) {
    const seg = segments[0] ?? '';
    if (!/^[+-]?\d+$/.test(seg)) throw new RedisOptionsError(`redis: invalid database number: ${JSON.stringify(seg)}`);
    db = Number(seg);
  } else if (segments.length > 1) {
    throw new RedisOptionsError(`redis: invalid URL path: ${path}`);
  }
  const settings: NodeSettings = {
    addr: { host, port },
    db,
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    clientName: '',
    tls: scheme === 'rediss' ? { ca: [], serverName: host } : undefined,
    maxRetries: 0,
    dialTimeout: 0,
    readTimeout: 0,
    writeTimeout: 0,
    poolSize: 0,
    poolTimeout: 0,
  };
  const unknown: string[] = [];
  const seen = new Set<string>();
  for (const [name, value] of url.searchParams) {
    if (seen.has(name)) continue; // go-redis reads the first value
    seen.add(name);
    if (name === 'client_name') settings.clientName = value;
    else if (INT_PARAMS.has(name)) {
      const n = goAtoi(name, value);
      if (name === 'db' && value !== '') settings.db = n;
      if (name === 'max_retries') settings.maxRetries = n;
      if (name === 'pool_size') settings.poolSize = n;
    } else if (DURATION_PARAMS.has(name)) {
      const ms = goDurationParam(name, value);
      if (name === 'dial_timeout') settings.dialTimeout = ms;
      if (name === 'read_timeout') settings.readTimeout = ms;
      if (name === 'write_timeout') settings.writeTimeout = ms;
      if (name === 'pool_timeout') settings.poolTimeout = ms;
    } else if (BOOL_PARAMS.has(name)) {
      if (value !== '' && !/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(value)) {
        throw new RedisOptionsError(`redis: invalid ${name} boolean: expected true/false/1/0 or an empty string, got ${JSON.stringify(value)}`);
      }
    } else unknown.push(name);
  }
  if (unknown.length > 0) throw new RedisOptionsError(`redis: unexpected option: ${unknown.sort().join(', ')}`);
  return settings;
}

function goAtoi(name: string, value: string): number {
  if (value === '') return 0;
  if (!/^[+-]?\d+$/.test(value)) throw new RedisOptionsError(`redis: invalid ${name} number: strconv.Atoi: parsing ${JSON.stringify(value)}: invalid syntax`);
  return Number(value);
}

/** A Go duration string or whole seconds, in milliseconds; "-1" (no timeout) stays -1. */
function goDurationParam(name: string, value: string): number {
  if (value === '') return 0;
  if (/^[+-]?\d+$/.test(value)) {
    const n = Number(value);
    return n === -1 ? -1 : n * 1000;
  }
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  const sign = value.startsWith('-') ? -1 : 1;
  const body = value.replace(/^[+-]/, '');
  let total = 0;
  let pos = 0;
  re.lastIndex = 0;
  for (let m = re.exec(body); m !== null; m = re.exec(body)) {
    total += Number(m[1]) * (units[m[2] ?? ''] ?? 0);
    pos = re.lastIndex;
  }
  if (pos !== body.length || body === '') {
    throw new RedisOptionsError(`redis: invalid ${name} duration: time: invalid duration ${JSON.stringify(value)}`);
  }
  return sign * total;
}

// ---- Objects (encoding/json into the extension's structs) ----

type FieldType = 'string' | 'int' | 'bool' | 'strings' | Schema;
interface Schema {
  readonly name: string;
  readonly fields: Readonly<Record<string, FieldType>>;
}

const TLS_SCHEMA: Schema = { name: 'tlsOptions', fields: { ca: 'strings', cert: 'string', key: 'string' } };
const SOCKET_SCHEMA: Schema = {
  name: 'socketOptions',
  fields: {
    host: 'string', port: 'int', tls: TLS_SCHEMA, dialTimeout: 'int', readTimeout: 'int', writeTimeout: 'int',
    poolSize: 'int', minIdleConns: 'int', maxConnAge: 'int', poolTimeout: 'int', idleTimeout: 'int', idleCheckFrequency: 'int',
  },
};
const SINGLE_FIELDS: Record<string, FieldType> = {
  socket: SOCKET_SCHEMA, username: 'string', password: 'string', clientName: 'string', database: 'int',
  maxRetries: 'int', minRetryBackoff: 'int', maxRetryBackoff: 'int',
};
const SINGLE_SCHEMA: Schema = { name: 'singleNodeOptions', fields: SINGLE_FIELDS };
const SENTINEL_SCHEMA: Schema = {
  name: 'sentinelOptions',
  fields: { ...SINGLE_FIELDS, masterName: 'string', sentinelUsername: 'string', sentinelPassword: 'string' },
};
const CLUSTER_COMMON: Record<string, FieldType> = { maxRedirects: 'int', readOnly: 'bool', routeByLatency: 'bool', routeRandomly: 'bool' };

type Decoded = Record<string, unknown>;

/** Go's json kind of a value, as its UnmarshalTypeError names it ("number 1.5" for a fraction into an int). */
function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function typeName(t: FieldType): string {
  if (t === 'strings') return '[]string';
  if (typeof t === 'string') return t;
  return `redis.${t.name}`;
}

/** Decodes `value` into `schema` (Go's json.Decoder with DisallowUnknownFields). `root` names the top struct in errors. */
function decode(value: Record<string, unknown>, schema: Schema, root: string, path: string): Decoded {
  const out: Decoded = {};
  const names = Object.keys(schema.fields);
  for (const [key, raw] of Object.entries(value)) {
    const field = names.find((n) => n === key) ?? names.find((n) => n.toLowerCase() === key.toLowerCase());
    if (field === undefined) throw new RedisOptionsError(`json: unknown field ${JSON.stringify(key)}`);
    const type = schema.fields[field];
    if (raw === null || raw === undefined || typeof raw === 'function' || type === undefined) continue;
    const where = path === '' ? field : `${path}.${field}`;
    out[field] = decodeField(raw, type, root, where);
  }
  return out;
}

function decodeField(raw: unknown, type: FieldType, root: string, where: string): unknown {
  const mismatch = (kind = jsonKind(raw)): RedisOptionsError =>
    new RedisOptionsError(`json: cannot unmarshal ${kind} into Go struct field ${root}.${where} of type ${typeName(type)}`);
  if (type === 'string') {
    if (typeof raw !== 'string') throw mismatch();
    return raw;
  }
  if (type === 'int') {
    if (typeof raw !== 'number') throw mismatch();
    if (!Number.isInteger(raw)) throw mismatch(`number ${String(raw)}`);
    return raw;
  }
  if (type === 'bool') {
    if (typeof raw !== 'boolean') throw mismatch();
    return raw;
  }
  if (type === 'strings') {
    if (!Array.isArray(raw)) throw mismatch();
    return raw.map((item) => {
      if (item === null || item === undefined) return '';
      if (typeof item !== 'string') throw new RedisOptionsError(`json: cannot unmarshal ${jsonKind(item)} into Go struct field ${root}.${where} of type string`);
      return item;
    });
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) throw mismatch();
  return decode(raw as Record<string, unknown>, type, root, where);
}

function str(d: Decoded, k: string): string {
  const v = d[k];
  return typeof v === 'string' ? v : '';
}

function num(d: Decoded, k: string): number {
  const v = d[k];
  return typeof v === 'number' ? v : 0;
}

function sub(d: Decoded, k: string): Decoded | undefined {
  const v = d[k];
  return typeof v === 'object' && v !== null ? (v as Decoded) : undefined;
}

/** A singleNodeOptions as the extension turns it into go-redis options (its clientName is read as documented). */
function nodeFromDecoded(d: Decoded): NodeSettings {
  const socket = sub(d, 'socket');
  if (socket === undefined) throw new RedisOptionsError('empty socket options');
  const tls = sub(socket, 'tls');
  return {
    addr: { host: str(socket, 'host'), port: num(socket, 'port') },
    db: num(d, 'database'),
    username: str(d, 'username'),
    password: str(d, 'password'),
    clientName: str(d, 'clientName'),
    tls: tls === undefined ? undefined : {
      ca: Array.isArray(tls.ca) ? (tls.ca as string[]) : [],
      ...(str(tls, 'cert') !== '' && str(tls, 'key') !== '' ? { cert: str(tls, 'cert'), key: str(tls, 'key') } : {}),
    },
    maxRetries: num(d, 'maxRetries'),
    dialTimeout: num(socket, 'dialTimeout'),
    readTimeout: num(socket, 'readTimeout'),
    writeTimeout: num(socket, 'writeTimeout'),
    poolSize: num(socket, 'poolSize'),
    poolTimeout: num(socket, 'poolTimeout'),
  };
}

function fromUrlString(text: string): RedisConfig {
  return fold('single', [parseRedisUrl(text)], {});
}

function fromObject(obj: Record<string, unknown>): RedisConfig {
  const cluster = obj.cluster;
  if (cluster !== null && typeof cluster === 'object' && !Array.isArray(cluster)) {
    const c = cluster as Record<string, unknown>;
    const nodes = c.nodes;
    if (!Array.isArray(nodes)) throw new RedisOptionsError(`cluster nodes property must be an array; got ${goTypeName(nodes)}`);
    if (nodes.length === 0) throw new RedisOptionsError('cluster nodes property cannot be empty');
    const first: unknown = nodes[0];
    const byUrl = typeof first === 'string';
    if (!byUrl && (first === null || typeof first !== 'object' || Array.isArray(first))) {
      throw new RedisOptionsError(`cluster nodes array must contain string or object elements; got ${goTypeName(first)}`);
    }
    const root = byUrl ? 'clusterNodesStringOptions' : 'clusterNodesMapOptions';
    const nodeType: FieldType = byUrl ? 'string' : SINGLE_SCHEMA;
    const d = decode({ ...c, nodes: [] }, { name: root, fields: { ...CLUSTER_COMMON, nodes: 'strings' } }, root, '');
    const settings = nodes.map((n) => {
      if (n === null || n === undefined) return byUrl ? parseRedisUrl('') : nodeFromDecoded({});
      const decoded = decodeField(n, nodeType, root, 'nodes');
      return typeof decoded === 'string' ? parseRedisUrl(decoded) : nodeFromDecoded(decoded as Decoded);
    });
    return fold('cluster', settings, {
      cluster: {
        maxRedirects: num(d, 'maxRedirects'),
        readOnly: d.readOnly === true,
        routeByLatency: d.routeByLatency === true,
        routeRandomly: d.routeRandomly === true,
      },
    });
  }
  if (Object.hasOwn(obj, 'masterName')) {
    const d = decode(obj, SENTINEL_SCHEMA, SENTINEL_SCHEMA.name, '');
    return fold('sentinel', [nodeFromDecoded(d)], {
      masterName: str(d, 'masterName'),
      sentinelUsername: str(d, 'sentinelUsername'),
      sentinelPassword: str(d, 'sentinelPassword'),
    });
  }
  return fold('single', [nodeFromDecoded(decode(obj, SINGLE_SCHEMA, SINGLE_SCHEMA.name, ''))], {});
}

/** go-redis' UniversalOptions from the nodes' options, refusing settings that differ between nodes (setConsistentOptions). */
function fold(kind: 'single' | 'cluster' | 'sentinel', nodes: readonly NodeSettings[], extra: Partial<RedisConfig>): RedisConfig {
  let db = 0;
  let username = '';
  let password = '';
  let clientName = '';
  let maxRetries = 0;
  let dialTimeout = 0;
  let readTimeout = 0;
  let writeTimeout = 0;
  let poolSize = 0;
  let poolTimeout = 0;
  let tls: RedisTls | undefined;
  const consistentNumber = (name: string, prev: number, next: number): number => {
    if (prev !== 0 && next !== 0 && prev !== next) throw new RedisOptionsError(`inconsistent ${name} option: ${prev} != ${next}`);
    return next;
  };
  const consistentString = (name: string, prev: string, next: string, shown = true): string => {
    if (prev !== '' && next !== '' && prev !== next) {
      throw new RedisOptionsError(shown ? `inconsistent ${name} option: ${prev} != ${next}` : `inconsistent ${name} option`);
    }
    return next;
  };
  for (const n of nodes) {
    tls ??= n.tls;
    db = consistentNumber('db', db, n.db);
    username = consistentString('username', username, n.username);
    password = consistentString('password', password, n.password, false);
    clientName = consistentString('clientName', clientName, n.clientName);
    maxRetries = consistentNumber('maxRetries', maxRetries, n.maxRetries);
    dialTimeout = consistentNumber('dialTimeout', dialTimeout, n.dialTimeout);
    readTimeout = consistentNumber('readTimeout', readTimeout, n.readTimeout);
    writeTimeout = consistentNumber('writeTimeout', writeTimeout, n.writeTimeout);
    poolSize = consistentNumber('poolSize', poolSize, n.poolSize);
    poolTimeout = consistentNumber('poolTimeout', poolTimeout, n.poolTimeout);
  }
  const addrs = nodes.map((n) => n.addr);
  const mode = kind === 'sentinel' && (extra.masterName ?? '') !== '' ? 'sentinel' : addrs.length > 1 ? 'cluster' : 'single';
  return {
    mode,
    addrs,
    db,
    username,
    password,
    clientName,
    tls,
    maxRetries,
    dialTimeout,
    readTimeout,
    writeTimeout,
    poolSize,
    poolTimeout,
    masterName: extra.masterName ?? '',
    sentinelUsername: extra.sentinelUsername ?? '',
    sentinelPassword: extra.sentinelPassword ?? '',
    cluster: extra.cluster ?? { maxRedirects: 0, readOnly: false, routeByLatency: false, routeRandomly: false },
  };
}
