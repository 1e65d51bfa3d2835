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
 * `onConnectionLost` hears of a pooled connection that failed while idle (the database restarted, a
 * proxy or the network cut it). pg's pool emits those as 'error' events, which, unheard, would end the
 * process; the pool has dropped that connection already and opens a new one for the next query.
 */
export async function connectPostgres(databaseUrl: string, schema?: string, onConnectionLost: (err: Error) => void = () => undefined): Promise<PostgresConnection> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StampedeError('STAMPEDE_ERR_VALIDATION', `invalid PostgreSQL schema name ${JSON.stringify(schema)}`, { target: 'pgSchema' });
  }
  if (schema !== undefined) {
    const setup = new pg.Client({ connectionString: databaseUrl });
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
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', (err) => onConnectionLost(err));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}
