// The script's `redis.Client` (xk6-redis redis/client.go): every command method returns a Promise of
// the script's realm, settled from a callback of the VU's event loop (k6's promises.New: the loop, and
// so the iteration, stays open until it is). Arguments convert as sobek converts them to the Go
// method's parameters; a value of an unsupported type, a command issued in the init context and every
// failure reject with a Go error value (String(e) and e.error() give its text), a missing key with
// go-redis' "redis: nil".
import type { VuHost } from '../../vu/vu-host.ts';
import type { VuEventLoop } from '../../vu/vu-event-loop.ts';
import { goError } from '../../vu/go-error.ts';
import { availableParallelism } from 'node:os';
import { RedisConnection, backoffMs, retriesOf } from './redis-connection.ts';
import { RedisPool, type RedisLink } from './redis-pool.ts';
import { readRedisOptions, RedisOptionsError, type RedisConfig } from './redis-options.ts';
import type { RedisNetwork } from './redis-network.ts';
import { goInt, goString, replyNumber, replyText, replyTexts, valueArgs, type RawReply } from './redis-values.ts';
import { goErrorValue } from '../../vu/go-error-value.ts';

export interface RedisRealm {
  readonly Promise: PromiseConstructor;
  object(entries?: Record<string, unknown>): Record<string, unknown>;
  parseJson(text: string): unknown;
}

export interface RedisClientDeps {
  readonly host: VuHost;
  readonly loop: VuEventLoop;
  readonly realm: RedisRealm;
  readonly network: RedisNetwork;
  /** The links of the VU's clients that sent a command, closed when the VU ends. */
  readonly live: Set<RedisLink>;
}

/** go-redis' error for a nil reply. */
export const REDIS_NIL = 'redis: nil';

/** k6's InitContextError text for commands issued in the init context. */
export const INIT_CONTEXT = 'connecting to a redis server in the init context is not supported';

/** What a command turns its reply into; throwing a string rejects with that text. */
type Shape = (reply: RawReply, realm: RedisRealm) => unknown;

const text: Shape = (r) => {
  const t = replyText(r);
  if (t === null) throw new NilReply();
  return t;
};
const integer: Shape = (r) => replyNumber(r);
const flag: Shape = (r) => replyNumber(r) === 1;
const texts: Shape = (r, realm) => realmArray(realm, replyTexts(r).map((t) => t ?? ''));
const nullableTexts: Shape = (r, realm) => realmArray(realm, replyTexts(r));
/** go-redis' DurationCmd with second precision, given to the script as Duration.Seconds(): -1 and -2 stay nanoseconds. */
const seconds: Shape = (r) => {
  const n = replyNumber(r);
  return n === -1 || n === -2 ? n / 1e9 : n;
};
const hash: Shape = (r, realm) => {
  const out = realm.object();
  const items = replyTexts(r);
  for (let i = 0; i + 1 < items.length; i += 2) {
    Object.defineProperty(out, items[i] ?? '', { value: items[i + 1] ?? '', enumerable: true, writable: true, configurable: true });
  }
  return out;
};
/** sendCommand: go-redis' Do() result, a nil reply being "redis: nil"; nested nils are null. */
const anyReply: Shape = (r, realm) => {
  if (r === null) throw new NilReply();
  return toScript(r, realm);
};

class NilReply extends Error {
  constructor() {
    super(REDIS_NIL);
  }
}

function toScript(r: RawReply, realm: RedisRealm): unknown {
  if (r === null || typeof r === 'number') return r;
  if (Buffer.isBuffer(r) || typeof r === 'string') return replyText(r);
  if (r instanceof Error) return goErrorValue(realm, r.message);
  return realmArray(realm, r.map((x) => toScript(x, realm)));
}

function realmArray<T>(realm: RedisRealm, items: readonly T[]): T[] {
  const arr = realm.parseJson('[]') as T[];
  for (const item of items) arr.push(item);
  return arr;
}

/** A command to send, or the rejection text for arguments the extension refuses. */
type Request = { name: string; args: string[] } | { error: string };

function request(name: string, head: readonly string[], values?: { list: readonly unknown[]; offset: number }, tail: readonly string[] = []): Request {
  if (values === undefined) return { name, args: [...head, ...tail] };
  const checked = valueArgs(values.list, values.offset);
  if (!Array.isArray(checked)) return checked;
  return { name, args: [...head, ...checked, ...tail] };
}

const s = goString;
const i = (v: unknown): string => goInt(v).toString();

/** The command each method sends, from its arguments as the script passed them. */
const METHODS: Readonly<Record<string, { build: (a: unknown[]) => Request; shape: Shape }>> = {
  set: {
    build: (a) => {
      const exp = goInt(a[2]);
      return request('SET', [s(a[0])], { list: [a[1]], offset: 1 }, exp > 0n ? ['ex', exp.toString()] : []);
    },
    shape: text,
  },
  get: { build: (a) => request('GET', [s(a[0])]), shape: text },
  getSet: { build: (a) => request('GETSET', [s(a[0])], { list: [a[1]], offset: 1 }), shape: text },
  del: { build: (a) => request('DEL', a.map(s)), shape: integer },
  getDel: { build: (a) => request('GETDEL', [s(a[0])]), shape: text },
  exists: { build: (a) => request('EXISTS', a.map(s)), shape: integer },
  incr: { build: (a) => request('INCR', [s(a[0])]), shape: integer },
  incrBy: { build: (a) => request('INCRBY', [s(a[0]), i(a[1])]), shape: integer },
  decr: { build: (a) => request('DECR', [s(a[0])]), shape: integer },
  decrBy: { build: (a) => request('DECRBY', [s(a[0]), i(a[1])]), shape: integer },
  randomKey: { build: () => request('RANDOMKEY', []), shape: text },
  mget: { build: (a) => request('MGET', a.map(s)), shape: nullableTexts },
  expire: { build: (a) => request('EXPIRE', [s(a[0]), i(a[1])]), shape: flag },
  ttl: { build: (a) => request('TTL', [s(a[0])]), shape: seconds },
  persist: { build: (a) => request('PERSIST', [s(a[0])]), shape: flag },
  lpush: { build: (a) => request('LPUSH', [s(a[0])], { list: a.slice(1), offset: 1 }), shape: integer },
  rpush: { build: (a) => request('RPUSH', [s(a[0])], { list: a.slice(1), offset: 1 }), shape: integer },
  lpop: { build: (a) => request('LPOP', [s(a[0])]), shape: text },
  rpop: { build: (a) => request('RPOP', [s(a[0])]), shape: text },
  lrange: { build: (a) => request('LRANGE', [s(a[0]), i(a[1]), i(a[2])]), shape: texts },
  lindex: { build: (a) => request('LINDEX', [s(a[0]), i(a[1])]), shape: text },
  lset: { build: (a) => request('LSET', [s(a[0]), i(a[1]), s(a[2])]), shape: text },
  lrem: { build: (a) => request('LREM', [s(a[0]), i(a[1]), s(a[2])]), shape: integer },
  llen: { build: (a) => request('LLEN', [s(a[0])]), shape: integer },
  hset: { build: (a) => request('HSET', [s(a[0]), s(a[1])], { list: [a[2]], offset: 2 }), shape: integer },
  hsetnx: { build: (a) => request('HSETNX', [s(a[0]), s(a[1]), s(a[2])]), shape: flag },
  hget: { build: (a) => request('HGET', [s(a[0]), s(a[1])]), shape: text },
  hdel: { build: (a) => request('HDEL', [s(a[0]), ...a.slice(1).map(s)]), shape: integer },
  hgetall: { build: (a) => request('HGETALL', [s(a[0])]), shape: hash },
  hkeys: { build: (a) => request('HKEYS', [s(a[0])]), shape: texts },
  hvals: { build: (a) => request('HVALS', [s(a[0])]), shape: texts },
  hlen: { build: (a) => request('HLEN', [s(a[0])]), shape: integer },
  hincrby: { build: (a) => request('HINCRBY', [s(a[0]), s(a[1]), i(a[2])]), shape: integer },
  sadd: { build: (a) => request('SADD', [s(a[0])], { list: a.slice(1), offset: 1 }), shape: integer },
  srem: { build: (a) => request('SREM', [s(a[0])], { list: a.slice(1), offset: 1 }), shape: integer },
  sismember: { build: (a) => request('SISMEMBER', [s(a[0])], { list: [a[1]], offset: 1 }), shape: flag },
  smembers: { build: (a) => request('SMEMBERS', [s(a[0])]), shape: texts },
  srandmember: { build: (a) => request('SRANDMEMBER', [s(a[0])]), shape: text },
  spop: { build: (a) => request('SPOP', [s(a[0])]), shape: text },
  sendCommand: { build: (a) => request(s(a[0]), [], { list: a.slice(1), offset: 1 }), shape: anyReply },
};

/** The method names a Client has (for tests and docs). */
export const CLIENT_METHODS = Object.keys(METHODS);

interface ClientState {
  readonly config: RedisConfig;
  connection: RedisLink | undefined;
}

/**
 * A single server's commands go through go-redis' pool (one connection per command in flight, 10 per
 * CPU by default); a cluster or sentinel client is one ioredis client, which routes and reconnects itself.
 */
function linkFor(config: RedisConfig, network: RedisNetwork): RedisLink {
  if (config.mode !== 'single') return new RedisConnection(config, network);
  const read = config.readTimeout === 0 ? 3000 : config.readTimeout;
  return new RedisPool({
    size: config.poolSize > 0 ? config.poolSize : 10 * availableParallelism(),
    timeoutMs: config.poolTimeout !== 0 ? Math.max(0, config.poolTimeout) : read > 0 ? read + 1000 : 30_000,
    retries: retriesOf(config.maxRetries),
    backoffMs,
  }, () => new RedisConnection(config, network));
}

export function createClientClass(deps: RedisClientDeps): new (...args: unknown[]) => object {
  const { host, loop, realm } = deps;
  const states = new WeakMap<object, ClientState>();

  const stateOf = (self: unknown): ClientState => {
    const st = typeof self === 'object' && self !== null ? states.get(self) : undefined;
    if (st === undefined) throw goError('redis client method called on an object that is not a redis.Client');
    return st;
  };

  /**
   * Runs `fn` as a callback of the VU's loop: at once when the VU is not inside a blocking call and
   * needs no hook before script code resumes (a zero timer would add a millisecond to every command),
   * else as a zero-delay loop callback, deferred until the blocking call returned.
   */
  const onLoop = (fn: () => void): void => {
    if (loop.syncDepth === 0 && !host.resumeHooks) fn();
    else loop.setTimer(fn, 0, false);
  };

  /** A realm promise settled on the VU's loop; dropped when its iteration was interrupted meanwhile. */
  const settle = (work: Promise<unknown>): Promise<unknown> => new realm.Promise((resolve, reject) => {
    const release = loop.keepAlive();
    const signal = host.signal;
    work.then((value) => {
      if (!signal.aborted) onLoop(() => resolve(value));
      release();
    }, (e: unknown) => {
      if (!signal.aborted) onLoop(() => reject(goErrorValue(realm, (e as Error).message)));
      release();
    });
  });

  const run = (self: unknown, method: string, args: unknown[]): Promise<unknown> => {
    const st = stateOf(self);
    const spec = METHODS[method];
    if (spec === undefined) throw goError(`unknown redis method ${method}`);
    if (host.state.phase === 'init') return settle(Promise.reject(new Error(INIT_CONTEXT)));
    if (st.connection === undefined) {
      st.connection = linkFor(st.config, deps.network);
      deps.live.add(st.connection);
    }
    const req = spec.build(args);
    if ('error' in req) return settle(Promise.reject(new Error(req.error)));
    const connection = st.connection;
    return settle(connection.send(req.name, req.args).then((reply) => spec.shape(reply, realm)));
  };

  class Client {
    constructor(...args: unknown[]) {
      if (args.length !== 1) throw goError('must specify one argument');
      let config: RedisConfig;
      try {
        config = readRedisOptions(args[0]);
      } catch (e) {
        if (e instanceof RedisOptionsError) throw goError(e.message);
        throw e;
      }
      states.set(this, { config, connection: undefined });
    }

    /** True once a command was issued outside the init context (the extension then has its go-redis client). */
    isConnected(): boolean {
      return stateOf(this).connection !== undefined;
    }
  }
  for (const name of CLIENT_METHODS) {
    const method = function (this: unknown, ...args: unknown[]): Promise<unknown> {
      return run(this, name, args);
    };
    Object.defineProperty(method, 'name', { value: name });
    Object.defineProperty(Client.prototype, name, { value: method, writable: true, configurable: true });
  }
  return Client as unknown as new (...args: unknown[]) => object;
}
