// PostgreSQL through a pg Pool. BIGINT (int8) columns hold ids, epoch-ms timestamps and counts, all
// far below 2^53, so this pool parses them to numbers (per pool, not pg's global type registry).
import { AsyncResource } from 'node:async_hooks';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { StampedeError } from '../core/index.ts';
import { PG_QUERY_TIMEOUT_MS, queryBoundMs } from './query-bounds.ts';
import type { Database as Schema } from './schema.ts';

const INT8_OID = 20;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresConnection {
  db: Kysely<Schema>;
  pool: pg.Pool;
}

/** A database server's address: a host name or IP, or a Unix socket folder (a path), and its port. */
export interface DatabaseEndpoint {
  host: string;
  port: number;
}

/** Where a connection string leads, read as pg reads it (PGHOST/PGPORT and the defaults included); nothing is dialled. */
export function postgresEndpoint(databaseUrl: string): DatabaseEndpoint {
  const client = new pg.Client({ connectionString: databaseUrl });
  return { host: client.host, port: client.port };
}

/**
 * Longest wait for a new PostgreSQL connection: a database that stalls (a host gone without a reset, a
 * proxy that stopped forwarding) would otherwise hold every request needing a new connection for as
 * long as it lasts. Past it the query fails as the store being unavailable (a 500 saying so; a run's
 * writes are held and retried).
 */
export const PG_CONNECT_TIMEOUT_MS = 10_000;

export interface PostgresConnectOptions {
  /**
   * Hears of a pooled connection that failed (the database restarted, a proxy or the network cut it)
   * while no query of it was waiting for an answer, and of a connection dropped because a query on it
   * got no answer within its bound. pg emits the former as 'error' events, which, unheard, would end
   * the process; the pool drops that connection and opens a new one for the next query.
   */
  onConnectionLost?: (err: Error) => void;
  connectTimeoutMs?: number;
  /** Bound of an ordinary statement (`query-bounds.ts`); 0 for none. */
  queryTimeoutMs?: number;
}

/**
 * A statement unanswered past its bound (`query-bounds.ts`) fails as the store being unavailable
 * (`ETIMEDOUT`: a 500 saying so; a run's writes are held and retried), and its connection is closed
 * at once, so the pool never hands it out again. (pg's own `query_timeout` rejects the query but, out
 * of pipeline mode, leaves it running on the connection, which then goes back to the pool busy: every
 * later query on it queues behind the stalled one.) `client.end()` with a query in flight destroys the
 * socket and marks the client ending before any release, and the pool removes an ending client.
 */
function boundQueries(client: pg.PoolClient, ordinaryMs: number, dropped: (err: Error) => void): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  // Past the bound: the statement fails as the store being unavailable and the connection is closed.
  const failAfter = (ms: number, fail: (err: Error) => void): NodeJS.Timeout =>
    setTimeout(() => {
      const err = new Error(`PostgreSQL gave no answer to a statement within ${ms / 1000} s; its connection was closed (the database or the network to it stalls)`);
      Object.assign(err, { code: 'ETIMEDOUT' });
      dropped(err);
      void client.end().catch(() => undefined);
      fail(err);
    }, ms);
  const bounded = (...args: unknown[]): unknown => {
    const ms = queryBoundMs(ordinaryMs);
    const last = args.length - 1;
    const callback = args[last];
    if (ms > 0 && typeof callback === 'function') {
      // pg-pool's `pool.query` form.
      let answered = false;
      const timer = failAfter(ms, (err) => {
        answered = true;
        (callback as (err: Error) => void)(err);
      });
      args[last] = (...results: unknown[]) => {
        clearTimeout(timer);
        if (!answered) (callback as (...r: unknown[]) => void)(...results);
      };
      return query(...args);
    }
    const result = query(...args);
    if (ms <= 0 || !(result instanceof Promise)) return result;
    return new Promise((resolve, reject) => {
      const timer = failAfter(ms, reject);
      result.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  };
  (client as unknown as { query: unknown }).query = bounded;
}

/**
 * A connection to PostgreSQL: a pool of 10, new connections bounded by `connectTimeoutMs`, statements
 * by `queryTimeoutMs` (or as their work says, `storeWork`).
 */
export async function connectPostgres(databaseUrl: string, schema?: string, opts: PostgresConnectOptions = {}): Promise<PostgresConnection> {
  const onConnectionLost = opts.onConnectionLost ?? (() => undefined);
  const connectTimeoutMs = opts.connectTimeoutMs ?? PG_CONNECT_TIMEOUT_MS;
  const queryTimeoutMs = opts.queryTimeoutMs ?? PG_QUERY_TIMEOUT_MS;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StampedeError('STAMPEDE_ERR_VALIDATION', `invalid PostgreSQL schema name ${JSON.stringify(schema)}`, { target: 'pgSchema' });
  }
  if (schema !== undefined) {
    const setup = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: connectTimeoutMs, ...(queryTimeoutMs > 0 && { query_timeout: queryTimeoutMs }) });
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    connectionTimeoutMillis: connectTimeoutMs,
    // Dead peers of idle connections found by TCP keepalive rather than by the next query.
    keepAlive: true,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // Every connection hears its own loss, idle in the pool or checked out between two queries (a
  // transaction, Kysely holding it): pg emits it as an 'error' event, which unheard ends the process.
  // The pool drops a connection that failed, idle or when released. Its own 'error' event repeats the
  // idle case, already told.
  // Told once per connection (a loss often arrives as the server's FATAL, then the socket's end).
  pool.on('connect', (client) => {
    let told = false;
    client.on('error', (err) => {
      if (!told) onConnectionLost(err);
      told = true;
    });
    boundQueries(client, queryTimeoutMs, (err) => {
      if (!told) onConnectionLost(err);
      told = true;
    });
  });
  pool.on('error', () => undefined);
  // A statement's bound follows the work that issued it (an AsyncLocalStorage), but pg-pool calls back a
  // caller waiting for a free connection from the releasing caller's context: bind it to its own.
  const connect = pool.connect.bind(pool) as (cb?: (...args: unknown[]) => void) => unknown;
  (pool as unknown as { connect: unknown }).connect = (cb?: (...args: unknown[]) => void) => (cb === undefined ? connect() : connect(AsyncResource.bind(cb)));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}
