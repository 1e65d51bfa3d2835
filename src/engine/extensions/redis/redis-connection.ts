// One connection to Redis, on ioredis (RESP2, as xk6-redis asks go-redis for protocol 2); a single
// server's Client has a pool of them (redis-pool.ts), a cluster or sentinel Client one. The ioredis
// client is made at the first command, as the extension makes its go-redis client then. For a single
// server the connection is managed here the way a go-redis pooled connection behaves: a command
// (re)connects when there is no connection, a failed dial or a dropped connection is retried
// `maxRetries` times (default 3) with go-redis' backoff (8 ms doubling, at most 512 ms), and the last
// failure rejects the command in Go's words (`dial tcp 127.0.0.1:1: connect: connection refused`).
// As go-redis drops a pooled connection whose read timed out, and hands the next command another one
// while a command is still out on the first, a command that timed out and the commands an interrupted
// iteration left waiting take their connection with them: what comes next dials a fresh one rather
// than queueing behind a reply the server may hold back (a BLPOP) for as long as it likes.
// Replies stay raw: the methods shape them as go-redis' typed commands do.
import { createRequire } from 'node:module';
import type * as IoRedis from 'ioredis';
import type { Socket } from 'node:net';
import { dialErrorText } from '../../ws/ws-errors.ts';
import type { RedisConfig } from './redis-options.ts';
import { RedisDialError, type RedisNetwork } from './redis-network.ts';
import type { RawReply } from './redis-values.ts';
import type { RedisLink } from './redis-pool.ts';

type IoRedisLib = typeof IoRedis;
let ioredis: IoRedisLib | undefined;
const require = createRequire(import.meta.url);

/** ioredis, loaded when a script imports k6/x/redis. */
export function ioredisLib(): IoRedisLib {
  ioredis ??= require('ioredis') as IoRedisLib;
  return ioredis;
}

/** What ioredis says when a connection closed under a command, or could not be made. */
const CONNECTION_CLOSED = 'Connection is closed.';

/** A failure with the text the script sees (go-redis' words). */
export class RedisCommandError extends Error {}

interface Sendable {
  status: string;
  sendCommand(command: IoRedis.Command): unknown;
  connect(): Promise<void>;
  disconnect(): void;
  on(event: 'error', fn: (e: Error) => void): unknown;
}

/** ioredis' rejection of a command whose reply did not come within `commandTimeout` (go-redis' read timeout). */
function isTimeout(e: unknown): boolean {
  return (e as { message?: unknown }).message === 'Command timed out';
}

/** go-redis' MaxRetries: 0 is its default of 3, a negative value none. */
export function retriesOf(maxRetries: number): number {
  return maxRetries === 0 ? 3 : Math.max(0, maxRetries);
}

/** go-redis' RetryBackoff(attempt, 8ms, 512ms). */
export function backoffMs(attempt: number): number {
  const d = 8 * 2 ** Math.min(attempt, 16);
  return Math.min(512, 8 + Math.floor(Math.random() * d));
}

/** A command whose reply ioredis leaves as the parser gave it (no hgetall → object, no decoding). */
function rawCommandClass(lib: IoRedisLib): new (name: string, args: string[]) => IoRedis.Command {
  class RawCommand extends lib.Command {
    // Typed by ioredis as buffers or strings; the parser also gives numbers, null and nested arrays.
    override transformReply(result: Buffer | Buffer[]): Buffer | Buffer[] {
      return result;
    }
  }
  return RawCommand as unknown as new (name: string, args: string[]) => IoRedis.Command;
}

export class RedisConnection implements RedisLink {
  readonly #config: RedisConfig;
  readonly #network: RedisNetwork;
  #client: Sendable | undefined;
  #RawCommand: (new (name: string, args: string[]) => IoRedis.Command) | undefined;
  #connecting: Promise<void> | undefined;
  #lastError: Error | undefined;
  #socket: Socket | undefined;
  /** The socket the handshake was made on: a new connection needs its own. */
  #handshaken: Socket | undefined;
  #closed = false;
  /** Numbers the commands sent; those at or below `#abandonedUpTo` belong to an interrupted iteration. */
  #sent = 0;
  #abandonedUpTo = 0;
  readonly #inFlight = new Set<number>();

  constructor(config: RedisConfig, network: RedisNetwork) {
    this.#config = config;
    this.#network = network;
  }

  /** Sends one command; resolves with its raw reply, rejects with a RedisCommandError or the server's ReplyError. */
  async send(name: string, args: readonly string[]): Promise<RawReply> {
    const seq = ++this.#sent;
    this.#inFlight.add(seq);
    try {
      return await this.#send(seq, name, args);
    } finally {
      this.#inFlight.delete(seq);
    }
  }

  /**
   * The iteration ended (interrupted) with commands still waiting for their replies: nobody will read
   * them, so their connection is dropped and they are not retried; the next command connects again.
   */
  abandonInFlight(): void {
    if (this.#inFlight.size === 0) return;
    this.#abandonedUpTo = this.#sent;
    this.#client?.disconnect();
  }

  async #send(seq: number, name: string, args: readonly string[]): Promise<RawReply> {
    const client = this.#ensureClient();
    if (this.#config.mode !== 'single') return this.#exec(client, name, args).catch((e: unknown) => {
      throw this.#describe(e);
    });
    const retries = retriesOf(this.#config.maxRetries);
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, backoffMs(attempt - 1)));
      try {
        await this.#ready(client);
        return await this.#exec(client, name, args);
      } catch (e) {
        // A connection whose read timed out is out of step with the server: go-redis discards it.
        if (isTimeout(e) && client.status === 'ready') client.disconnect();
        if (!this.#retryable(e) || attempt >= retries || this.#closed || seq <= this.#abandonedUpTo) throw this.#describe(e);
      }
    }
  }

  /** Ends the connection (the VU is done). */
  close(): void {
    this.#closed = true;
    this.#client?.disconnect();
  }

  #exec(client: Sendable, name: string, args: readonly string[]): Promise<RawReply> {
    const RawCommand = this.#RawCommand ?? rawCommandClass(ioredisLib());
    this.#RawCommand = RawCommand;
    const cmd = new RawCommand(name.toLowerCase(), [...args]);
    client.sendCommand(cmd);
    return cmd.promise as Promise<RawReply>;
  }

  /** Connects when there is no connection, then authenticates, selects the database and names the connection. */
  #ready(client: Sendable): Promise<void> {
    if (client.status === 'ready' && this.#handshaken === this.#socket) return Promise.resolve();
    this.#connecting ??= (async () => {
      this.#lastError = undefined;
      try {
        if (client.status !== 'ready') await client.connect();
        await this.#handshake(client);
      } catch (e) {
        throw this.#lastError ?? e;
      } finally {
        this.#connecting = undefined;
      }
    })();
    return this.#connecting;
  }

  /**
   * go-redis' connection setup, done here rather than by ioredis (which only warns when a password
   * is refused): AUTH when there is a password, SELECT, CLIENT SETNAME. A refusal fails the command
   * with the server's error and drops the connection.
   */
  async #handshake(client: Sendable): Promise<void> {
    const c = this.#config;
    const socket = this.#socket;
    try {
      if (c.password !== '') await this.#exec(client, 'AUTH', c.username === '' ? [c.password] : [c.username, c.password]);
      if (c.db > 0) await this.#exec(client, 'SELECT', [String(c.db)]);
      if (c.clientName !== '') await this.#exec(client, 'CLIENT', ['SETNAME', c.clientName]);
    } catch (e) {
      client.disconnect();
      throw e;
    }
    this.#handshaken = socket;
  }

  #retryable(e: unknown): boolean {
    if (e instanceof RedisDialError) return false;
    const err = e as { name?: unknown; message?: unknown; code?: unknown };
    if (err.name === 'ReplyError') return false;
    if (isTimeout(e)) return false;
    return true;
  }

  /** The rejection text for a failure, as go-redis would word it. */
  #describe(e: unknown): Error {
    if (e instanceof RedisDialError) return new RedisCommandError(e.message);
    const err = e as { name?: unknown; message?: unknown; code?: unknown };
    if (err.name === 'ReplyError') return e as Error;
    const addr = this.#config.addrs[0];
    const host = addr?.host ?? '';
    const port = String(addr?.port ?? '');
    if (isTimeout(e)) {
      const s = this.#socket;
      const local = s?.localAddress === undefined ? '' : `${s.localAddress}:${String(s.localPort)}->`;
      return new RedisCommandError(`read tcp ${local}${s?.remoteAddress ?? host}:${String(s?.remotePort ?? port)}: i/o timeout`);
    }
    if (typeof err.code === 'string') return new RedisCommandError(dialErrorText(e, host, port));
    if (err.message === CONNECTION_CLOSED || err.name === 'AbortError') return new RedisCommandError('EOF');
    return new RedisCommandError(typeof err.message === 'string' ? err.message : String(e));
  }

  #ensureClient(): Sendable {
    // A cluster or sentinel client that gave up reconnecting stays ended: the next command starts a new one.
    if (this.#client !== undefined && this.#config.mode !== 'single' && this.#client.status === 'end' && !this.#closed) {
      this.#client = undefined;
    }
    if (this.#client !== undefined) return this.#client;
    const lib = ioredisLib();
    const c = this.#config;
    const network = this.#network;
    const secure = c.tls;
    const onSocket = (socket: Socket): void => {
      this.#socket = socket;
    };
    class VuConnector extends lib.AbstractConnector {
      readonly #host: string;
      readonly #port: number;
      constructor(opts: unknown) {
        const options = opts as { host?: string; port?: number; disconnectTimeout?: number };
        super(options.disconnectTimeout ?? 2000);
        this.#host = options.host ?? 'localhost';
        this.#port = options.port ?? 6379;
      }
      override async connect(): Promise<Socket> {
        this.connecting = true;
        const socket = await network.dial(this.#host, this.#port, secure);
        if (!this.connecting) {
          socket.destroy();
          throw new Error(CONNECTION_CLOSED);
        }
        socket.once('error', (err) => {
          this.firstError = err;
        });
        this.stream = socket;
        onSocket(socket);
        return socket;
      }
    }
    const readTimeout = c.readTimeout === 0 ? 3000 : c.readTimeout < 0 ? undefined : c.readTimeout;
    const common = {
      Connector: VuConnector,
      protocol: 2 as const,
      lazyConnect: true,
      enableReadyCheck: false,
      disableClientInfo: true,
      // A command lost with its connection is retried by send() (as go-redis does), not again by ioredis.
      autoResendUnfulfilledCommands: false,
      connectTimeout: c.dialTimeout > 0 ? c.dialTimeout : 5000,
      ...(readTimeout === undefined ? {} : { commandTimeout: readTimeout }),
      ...(secure === undefined ? {} : { tls: {} }),
    };
    // Cluster nodes and sentinel masters authenticate through ioredis; a single server through #handshake.
    const credentials = {
      db: c.db,
      ...(c.username === '' ? {} : { username: c.username }),
      ...(c.password === '' ? {} : { password: c.password }),
      ...(c.clientName === '' ? {} : { connectionName: c.clientName }),
    };
    let client: Sendable;
    if (c.mode === 'cluster') {
      const retries = retriesOf(c.maxRetries);
      client = new lib.Cluster(c.addrs.map((a) => ({ host: a.host, port: a.port })), {
        lazyConnect: true,
        enableReadyCheck: false,
        maxRedirections: c.cluster.maxRedirects === 0 ? 3 : Math.max(0, c.cluster.maxRedirects),
        scaleReads: c.cluster.readOnly || c.cluster.routeRandomly || c.cluster.routeByLatency ? 'all' : 'master',
        clusterRetryStrategy: (times: number) => (times > retries ? null : backoffMs(times)),
        redisOptions: { ...common, ...credentials, maxRetriesPerRequest: retries },
      }) as unknown as Sendable;
    } else if (c.mode === 'sentinel') {
      // The sentinels are reached with ioredis' own connector (Node's resolver, no byte counting).
      const { Connector: _connector, ...rest } = common;
      client = new lib.Redis({
        ...rest,
        ...credentials,
        sentinels: c.addrs.map((a) => ({ host: a.host, port: a.port })),
        name: c.masterName,
        ...(c.sentinelUsername === '' ? {} : { sentinelUsername: c.sentinelUsername }),
        ...(c.sentinelPassword === '' ? {} : { sentinelPassword: c.sentinelPassword }),
        ...(secure === undefined ? {} : { tls: { ca: [...secure.ca], ...(secure.cert === undefined ? {} : { cert: secure.cert, key: secure.key }) } }),
        maxRetriesPerRequest: retriesOf(c.maxRetries),
        sentinelRetryStrategy: (times: number) => (times > retriesOf(c.maxRetries) ? null : backoffMs(times)),
      }) as unknown as Sendable;
    } else {
      const addr = c.addrs[0] ?? { host: 'localhost', port: 6379 };
      client = new lib.Redis({
        ...common,
        host: addr.host === '' ? 'localhost' : addr.host,
        port: addr.port,
        retryStrategy: () => null,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
      }) as unknown as Sendable;
    }
    client.on('error', (e) => {
      this.#lastError = e;
    });
    this.#client = client;
    return client;
  }
}
