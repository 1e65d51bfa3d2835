// PostgreSQL through a pg Pool. BIGINT (int8) columns hold ids, epoch-ms timestamps and counts, all
// far below 2^53, so this pool parses them to numbers (per pool, not pg's global type registry).
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { StampedeError } from '../core/index.ts';
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

/**
 * `onConnectionLost` hears of a pooled connection that failed (the database restarted, a proxy or the
 * network cut it) while no query of it was waiting for an answer. pg emits those as 'error' events,
 * which, unheard, would end the process; the pool drops that connection and opens a new one for the
 * next query.
 */
export async function connectPostgres(
  databaseUrl: string,
  schema?: string,
  onConnectionLost: (err: Error) => void = () => undefined,
  connectTimeoutMs = PG_CONNECT_TIMEOUT_MS,
): Promise<PostgresConnection> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StampedeError('STAMPEDE_ERR_VALIDATION', `invalid PostgreSQL schema name ${JSON.stringify(schema)}`, { target: 'pgSchema' });
  }
  if (schema !== undefined) {
    const setup = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: connectTimeoutMs });
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
  });
  pool.on('error', () => undefined);
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}
