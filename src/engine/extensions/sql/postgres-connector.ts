// k6/x/sql/driver/postgres: a node-pg pool behaving as lib/pq under database/sql (xk6-sql-driver-postgres).
import type { Pool, PoolClient, PoolConfig, QueryArrayResult } from 'pg';
import { dialErrorText } from '../../ws/ws-errors.ts';
import type { SqlArg } from './sql-args.ts';
import { rowOf, type SqlConnector, type SqlExecOutcome, type SqlRow } from './sql-connector.ts';
import { deadlineExceeded, raceDeadline } from './sql-deadline.ts';
import { cancelPostgresQuery } from './postgres-cancel.ts';
import type { SqlPoolOptions } from './sql-options.ts';
import { parsePostgresDsn, type PostgresDsn } from './postgres-dsn.ts';
import { decodePostgresText } from './postgres-values.ts';

/** Every column arrives as text with its type OID, and is decoded as lib/pq decodes it. */
const TYPES = {
  getTypeParser: (oid: number) => (text: string) => decodePostgresText(oid, text),
};

/** database/sql's RowsAffected.LastInsertId: lib/pq never has one. */
const NO_LAST_INSERT_ID = 'LastInsertId is not supported by this driver';

/** Opens (lazily, as sql.Open does) a pool for the DSN; a malformed DSN throws lib/pq's error at once. */
export function openPostgres(dsn: string, opts: SqlPoolOptions): SqlConnector {
  return new PostgresConnector(parsePostgresDsn(dsn), opts);
}

class PostgresConnector implements SqlConnector {
  readonly #dsn: PostgresDsn;
  readonly #opts: SqlPoolOptions;
  #pool: Promise<Pool> | undefined;
  /** Gives up the connections in use: close() must not wait for a query the VU no longer waits for. */
  readonly #inUse = new Set<() => void>();

  constructor(dsn: PostgresDsn, opts: SqlPoolOptions) {
    this.#dsn = dsn;
    this.#opts = opts;
  }

  async exec(query: string, args: readonly SqlArg[], signal?: AbortSignal): Promise<SqlExecOutcome> {
    const res = await this.#run(query, args, signal);
    const results = Array.isArray(res) ? res as QueryArrayResult[] : [res];
    // A multi-statement simple query reports its last command, as lib/pq's simpleExec.
    const last = results[results.length - 1];
    // An empty query gets EmptyQueryResponse: lib/pq's noRows result.
    if (last === undefined || query.replace(/[\s;]/g, '') === '') {
      return {
        rowsAffected: new Error('no RowsAffected available after the empty statement'),
        lastInsertId: new Error('no LastInsertId available after the empty statement'),
      };
    }
    return { rowsAffected: last.rowCount ?? 0, lastInsertId: new Error(NO_LAST_INSERT_ID) };
  }

  async query(query: string, args: readonly SqlArg[], signal?: AbortSignal): Promise<SqlRow[]> {
    const res = await this.#run(query, args, signal);
    // database/sql's Rows read the first result set only.
    const first = (Array.isArray(res) ? res[0] : res) as QueryArrayResult | undefined;
    if (first === undefined) return [];
    const names = first.fields.map((f) => f.name);
    return first.rows.map((values) => rowOf(names, values));
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    for (const destroy of [...this.#inUse]) destroy();
    if (pool !== undefined) await (await pool).end();
  }

  async #run(query: string, args: readonly SqlArg[], signal?: AbortSignal): Promise<QueryArrayResult | QueryArrayResult[]> {
    const pool = await (this.#pool ??= this.#createPool());
    let client: PoolClient | undefined;
    let released = false;
    const release = (destroy: boolean): void => {
      if (client === undefined || released) return;
      released = true;
      client.release(destroy || this.#opts.maxIdleConns <= 0);
      // A broken-off call: end the socket now rather than after the server finished the query.
      if (destroy) (client as unknown as { connection?: { stream?: { destroy?: () => void } } }).connection?.stream?.destroy?.();
    };
    try {
      const connecting = pool.connect();
      client = await raceDeadline(connecting, signal, () => {
        connecting.then((c) => c.release(true), () => undefined);
      });
      const c = client;
      const destroy = (): void => release(true);
      this.#inUse.add(destroy);
      const values = args.map(toPgValue);
      const running = values.length === 0
        ? c.query({ text: query, rowMode: 'array', types: TYPES })
        : c.query({ text: query, values, rowMode: 'array', types: TYPES });
      try {
        return await untilCanceled(running as Promise<QueryArrayResult | QueryArrayResult[]>, c, signal, destroy);
      } finally {
        this.#inUse.delete(destroy);
      }
    } catch (e) {
      const fatal = e instanceof Error && !('severity' in e);
      release(fatal);
      throw postgresError(e, query);
    } finally {
      release(false);
    }
  }

  async #createPool(): Promise<Pool> {
    const pg = (await import('pg')).default;
    const d = this.#dsn;
    const o = this.#opts;
    const config: PoolConfig = {
      max: o.maxOpenConns > 0 ? o.maxOpenConns : 10_000,
      idleTimeoutMillis: o.connMaxIdleTimeMs > 0 ? o.connMaxIdleTimeMs : 0,
      maxLifetimeSeconds: o.connMaxLifetimeMs > 0 ? Math.max(1, Math.ceil(o.connMaxLifetimeMs / 1000)) : 0,
      allowExitOnIdle: true,
      ...(d.host !== undefined ? { host: d.host } : {}),
      ...(d.port !== undefined ? { port: d.port } : {}),
      ...(d.user !== undefined ? { user: d.user } : {}),
      ...(d.password !== undefined ? { password: d.password } : {}),
      ...(d.database !== undefined ? { database: d.database } : {}),
      ...(d.applicationName !== undefined ? { application_name: d.applicationName } : {}),
      ...(d.connectTimeoutSec !== undefined && d.connectTimeoutSec > 0 ? { connectionTimeoutMillis: d.connectTimeoutSec * 1000 } : {}),
      ssl: sslOf(d.sslmode),
    };
    const runtime = Object.entries(d.runtime);
    if (runtime.length > 0) config.options = runtime.map(([k, v]) => `-c ${k}=${v.replace(/([\\ ])/g, '\\$1')}`).join(' ');
    const pool = new pg.Pool(config);
    // A broken idle connection is dropped by the pool; nothing to report to a script.
    pool.on('error', () => undefined);
    return pool;
  }
}

/**
 * The query's outcome. When `signal` aborts first, the query is canceled on the server as lib/pq does,
 * and the call fails with the server's answer (`pq: canceling statement due to user request`); the
 * connection is then dropped (lib/pq marks it bad). Should no answer come within a second, the
 * connection is dropped at once and the call fails with context deadline exceeded.
 */
function untilCanceled<T>(running: Promise<T>, client: PoolClient, signal: AbortSignal | undefined, destroy: () => void): Promise<T> {
  if (signal === undefined) return running;
  if (signal.aborted) {
    destroy();
    running.catch(() => undefined);
    return Promise.reject(deadlineExceeded());
  }
  return new Promise<T>((resolve, reject) => {
    let fallback: NodeJS.Timeout | undefined;
    const abort = (): void => {
      cancelPostgresQuery(client);
      fallback = setTimeout(() => {
        destroy();
        reject(deadlineExceeded());
      }, 1000);
    };
    signal.addEventListener('abort', abort, { once: true });
    running.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        clearTimeout(fallback);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort);
        clearTimeout(fallback);
        if (signal.aborted) destroy();
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** sslmode as node-pg takes it. node-pg cannot fall back to plain text, so allow/prefer (lib/pq's default) try none. */
function sslOf(mode: string | undefined): PoolConfig['ssl'] {
  switch (mode) {
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca': case 'verify-full':
      return true;
    default:
      return false;
  }
}

/** Node values node-pg binds as lib/pq would (script-realm Dates and byte arrays become this realm's). */
function toPgValue(v: SqlArg): unknown {
  if (v instanceof Uint8Array || (typeof v === 'object' && v !== null && ArrayBuffer.isView(v))) return Buffer.from(v as Uint8Array);
  if (typeof v === 'object' && v !== null) return new Date((v as Date).getTime());
  return v;
}

interface PgErrorFields {
  message?: unknown;
  code?: unknown;
  position?: unknown;
  severity?: unknown;
}

/** lib/pq's text for a failure: "pq: <message>[ at column N] (<SQLSTATE>)", or Go's dial errors. */
export function postgresError(e: unknown, query: string): Error {
  const err = (typeof e === 'object' && e !== null ? e : {}) as PgErrorFields & { address?: unknown; port?: unknown };
  const message = typeof err.message === 'string' ? err.message : String(e);
  if (message === 'context deadline exceeded') return e as Error;
  if (typeof err.severity === 'string') {
    const bind = /^bind message supplies (\d+) parameters, but prepared statement "" requires (\d+)$/.exec(message);
    if (bind !== null) return new Error(`pq: got ${bind[1] as string} parameters but the statement requires ${bind[2] as string}`);
    let msg = message;
    const pos = Number(err.position);
    if (typeof err.position === 'string' && Number.isInteger(pos)) {
      const lines = query.split('\n');
      const [line, col] = posToLine(pos, lines);
      msg += lines.length === 1 ? ` at column ${col}` : ` at position ${line}:${col}`;
    }
    return new Error(typeof err.code === 'string' && err.code !== '' ? `pq: ${msg} (${err.code})` : `pq: ${msg}`);
  }
  if (message === 'The server does not support SSL connections') return new Error('pq: SSL is not enabled on the server');
  if (typeof (err as { code?: unknown }).code === 'string' && /^E[A-Z]+$/.test(err.code as string)) {
    return new Error(dialErrorText(e, String(err.address ?? ''), String(err.port ?? '')));
  }
  return new Error(message);
}

function posToLine(pos: number, lines: readonly string[]): [number, number] {
  let read = 0;
  let line = 0;
  let col = 0;
  for (const l of lines) {
    line++;
    const ll = [...l].length + 1;
    if (read + ll >= pos) {
      col = Math.max(pos - read, 1);
      break;
    }
    read += ll;
  }
  return [line, col];
}
