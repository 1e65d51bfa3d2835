// A single-server Client's connections, as go-redis' ConnPool gives them to commands: each command in
// flight has a connection to itself, so a blocking one (BLPOP) holds up nothing else. A command takes
// the connection used last (LIFO, go-redis' default), or dials a new one while fewer than `size` are
// in use; beyond that it waits its turn for up to `timeoutMs`, then fails with go-redis'
// "redis: connection pool timeout", retried like a dropped connection (go-redis shouldRetry).
import { RedisCommandError, type RedisConnection } from './redis-connection.ts';
import type { RawReply } from './redis-values.ts';

/** go-redis' pool.ErrPoolTimeout. */
export const POOL_TIMEOUT = 'redis: connection pool timeout';

/** What a Client sends its commands through: one connection, or a pool of them. */
export interface RedisLink {
  send(name: string, args: readonly string[]): Promise<RawReply>;
  /** The iteration was interrupted: what it left waiting is dropped (see RedisConnection). */
  abandonInFlight(): void;
  /** The VU is done. */
  close(): void;
}

export interface RedisPoolSettings {
  /** Connections in use at most (go-redis PoolSize). */
  readonly size: number;
  /** How long a command waits for a connection (go-redis PoolTimeout), in milliseconds. */
  readonly timeoutMs: number;
  /** Extra attempts after a pool timeout, and the wait before each (go-redis MaxRetries and backoff). */
  readonly retries: number;
  readonly backoffMs: (attempt: number) => number;
}

interface Waiter {
  readonly grant: (c: RedisConnection) => void;
  readonly fail: (e: Error) => void;
}

export class RedisPool implements RedisLink {
  readonly #settings: RedisPoolSettings;
  readonly #dial: () => RedisConnection;
  readonly #all: RedisConnection[] = [];
  readonly #idle: RedisConnection[] = [];
  readonly #waiters = new Set<Waiter>();
  #inUse = 0;
  #closed = false;

  constructor(settings: RedisPoolSettings, dial: () => RedisConnection) {
    this.#settings = settings;
    this.#dial = dial;
  }

  /** Connections made so far (each connects at its first command and reconnects when dropped). */
  get size(): number {
    return this.#all.length;
  }

  async send(name: string, args: readonly string[]): Promise<RawReply> {
    const connection = await this.#acquire();
    try {
      return await connection.send(name, args);
    } finally {
      this.#release(connection);
    }
  }

  abandonInFlight(): void {
    for (const c of this.#all) c.abandonInFlight();
    this.#failWaiters(new RedisCommandError('context canceled'));
  }

  close(): void {
    this.#closed = true;
    for (const c of this.#all) c.close();
    this.#failWaiters(new RedisCommandError('redis: client is closed'));
  }

  async #acquire(): Promise<RedisConnection> {
    const { retries, backoffMs } = this.#settings;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, backoffMs(attempt - 1)));
      try {
        return await this.#turn();
      } catch (e) {
        if (!(e instanceof RedisCommandError) || e.message !== POOL_TIMEOUT || attempt >= retries || this.#closed) throw e;
      }
    }
  }

  #turn(): Promise<RedisConnection> {
    if (this.#closed) return Promise.reject(new RedisCommandError('redis: client is closed'));
    if (this.#inUse < this.#settings.size) {
      this.#inUse++;
      return Promise.resolve(this.#idle.pop() ?? this.#fresh());
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new RedisCommandError(POOL_TIMEOUT));
      }, this.#settings.timeoutMs);
      const waiter: Waiter = {
        grant: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
        fail: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  #fresh(): RedisConnection {
    const c = this.#dial();
    this.#all.push(c);
    return c;
  }

  /** The connection goes to the longest waiting command, else back on the idle stack. */
  #release(connection: RedisConnection): void {
    for (const waiter of this.#waiters) {
      this.#waiters.delete(waiter);
      waiter.grant(connection);
      return;
    }
    this.#inUse--;
    this.#idle.push(connection);
  }

  #failWaiters(e: Error): void {
    const waiting = [...this.#waiters];
    this.#waiters.clear();
    for (const w of waiting) w.fail(e);
  }
}
