// k6/x/sql/driver/mysql: a mysql2 pool behaving as go-sql-driver/mysql under database/sql
// (xk6-sql-driver-mysql), for MySQL and MariaDB.
import type * as Mysql2Module from 'mysql2/promise';
import type { FieldPacket, Pool, PoolConnection, PoolOptions, ResultSetHeader } from 'mysql2/promise';
import { dialErrorText } from '../../ws/ws-errors.ts';
import type { SqlArg } from './sql-args.ts';
import { rowOf, type SqlConnector, type SqlExecOutcome, type SqlRow } from './sql-connector.ts';
import { raceDeadline } from './sql-deadline.ts';
import type { SqlPoolOptions } from './sql-options.ts';
import { parseMysqlDsn, type MysqlDsn } from './mysql-dsn.ts';
import { decodeMysqlText, type MysqlColumn } from './mysql-values.ts';
import { bindMysqlArgs } from './mysql-placeholders.ts';
import { registeredMysqlTls } from './mysql-tls.ts';

type Mysql2 = typeof Mysql2Module;

/** Every column as its raw bytes (null for NULL), decoded afterwards as go-sql-driver does. */
const RAW = (field: { buffer(): Buffer | null }): Buffer | null => field.buffer();

/** Opens (lazily, as sql.Open does) a pool for the DSN; a malformed DSN throws ParseDSN's error at once. */
export function openMysql(dsn: string, opts: SqlPoolOptions): SqlConnector {
  return new MysqlConnector(parseMysqlDsn(dsn), opts);
}

class MysqlConnector implements SqlConnector {
  readonly #dsn: MysqlDsn;
  readonly #opts: SqlPoolOptions;
  #pool: Promise<{ pool: Pool; mysql: Mysql2 }> | undefined;
  /** Gives up the connections in use: close() must not wait for a query the VU no longer waits for. */
  readonly #inUse = new Set<() => void>();

  constructor(dsn: MysqlDsn, opts: SqlPoolOptions) {
    this.#dsn = dsn;
    this.#opts = opts;
  }

  async exec(query: string, args: readonly SqlArg[], signal?: AbortSignal): Promise<SqlExecOutcome> {
    const [result] = await this.#run(query, args, signal);
    const list = Array.isArray(result) ? result : [result];
    // A multi-statement query reports its last statement, as go-sql-driver (v1.8+).
    const last = [...list].reverse().find((r) => isHeader(r)) as ResultSetHeader | undefined;
    return { rowsAffected: last?.affectedRows ?? 0, lastInsertId: last?.insertId ?? 0 };
  }

  async query(query: string, args: readonly SqlArg[], signal?: AbortSignal): Promise<SqlRow[]> {
    const [result, fields] = await this.#run(query, args, signal);
    let rows: unknown = result;
    let cols: unknown = fields;
    // Several result sets (multiStatements): database/sql's Rows read the first.
    if (Array.isArray(result) && result.length > 0 && (Array.isArray(result[0]) || isHeader(result[0])) && Array.isArray(fields) && Array.isArray(fields[0])) {
      rows = result[0];
      cols = fields[0];
    }
    if (!Array.isArray(rows) || !Array.isArray(cols)) return [];
    const columns = cols as Array<FieldPacket & MysqlColumn>;
    const names = columns.map((c) => c.name);
    const parseTime = this.#dsn.parseTime;
    return (rows as Array<Array<Buffer | null>>).map((raw) => rowOf(names, raw.map((v, i) => decodeMysqlText(columns[i] as MysqlColumn, v, parseTime))));
  }

  async close(): Promise<void> {
    const p = this.#pool;
    this.#pool = undefined;
    for (const destroy of [...this.#inUse]) destroy();
    if (p !== undefined) await (await p).pool.end();
  }

  async #run(query: string, args: readonly SqlArg[], signal?: AbortSignal): Promise<[unknown, unknown]> {
    const { pool, mysql } = await (this.#pool ??= this.#createPool());
    const sql = args.length === 0 ? query : bindMysqlArgs(query, args, (s) => mysql.escape(s));
    let conn: PoolConnection | undefined;
    let done = false;
    const release = (destroy: boolean): void => {
      if (conn === undefined || done) return;
      done = true;
      if (destroy || this.#opts.maxIdleConns <= 0) conn.destroy();
      else conn.release();
    };
    try {
      const connecting = pool.getConnection();
      conn = await raceDeadline(connecting, signal, () => {
        connecting.then((c) => c.destroy(), () => undefined);
      });
      const running = conn.query({ sql, rowsAsArray: true, typeCast: RAW as never });
      const destroy = (): void => release(true);
      this.#inUse.add(destroy);
      try {
        return await raceDeadline(running as Promise<[unknown, unknown]>, signal, destroy);
      } finally {
        this.#inUse.delete(destroy);
      }
    } catch (e) {
      release(!(typeof e === 'object' && e !== null && 'sqlMessage' in e && (e as { fatal?: unknown }).fatal !== true));
      throw mysqlError(e);
    } finally {
      release(false);
    }
  }

  async #createPool(): Promise<{ pool: Pool; mysql: Mysql2 }> {
    const mysql: Mysql2 = await import('mysql2/promise');
    const d = this.#dsn;
    const o = this.#opts;
    const [host, port] = splitHostPort(d.addr);
    const config: PoolOptions = {
      ...(d.net === 'unix' ? { socketPath: d.addr } : { host, port }),
      user: d.user,
      password: d.password,
      ...(d.dbname !== '' ? { database: d.dbname } : {}),
      multipleStatements: d.multiStatements,
      // go-sql-driver counts changed rows unless clientFoundRows=true; mysql2 asks for found rows by default.
      flags: d.clientFoundRows ? ['FOUND_ROWS'] : ['-FOUND_ROWS'],
      ...(d.timeoutMs > 0 ? { connectTimeout: d.timeoutMs } : {}),
      ...(d.charset !== undefined ? { charset: d.charset } : {}),
      ...sslOf(d.tls),
      connectionLimit: o.maxOpenConns > 0 ? o.maxOpenConns : 10_000,
      maxIdle: Math.max(0, o.maxIdleConns),
      idleTimeout: o.connMaxIdleTimeMs > 0 ? o.connMaxIdleTimeMs : 2_147_483_647,
      waitForConnections: true,
      queueLimit: 0,
    };
    const pool = mysql.createPool(config);
    const params = Object.entries(d.params);
    if (params.length > 0) {
      pool.pool.on('connection', (c) => {
        c.query(`SET ${params.map(([k, v]) => `${k}=${v}`).join(', ')}`);
      });
    }
    return { pool, mysql };
  }
}

/** The DSN's tls= as mysql2's `ssl` (a registered name: loadTLS's files; read when the pool is made). */
function sslOf(tls: string): Pick<PoolOptions, 'ssl'> {
  if (tls === 'false') return {};
  if (tls === 'true') return { ssl: {} };
  if (tls === 'skip-verify' || tls === 'preferred') return { ssl: { rejectUnauthorized: false } };
  const custom = registeredMysqlTls(tls);
  return custom === undefined ? {} : { ssl: { ...custom } };
}

function isHeader(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'affectedRows' in v;
}

function splitHostPort(addr: string): [string, number] {
  const m = /^\[(.*)\]:(\d+)$/.exec(addr) ?? /^(.*):(\d+)$/.exec(addr);
  return m === null ? [addr, 3306] : [m[1] as string, Number(m[2])];
}

interface MysqlErrorFields {
  message?: unknown;
  errno?: unknown;
  sqlState?: unknown;
  sqlMessage?: unknown;
  code?: unknown;
  address?: unknown;
  port?: unknown;
}

/** go-sql-driver's text: "Error 1146 (42S02): Table 'x' doesn't exist", or Go's dial errors. */
export function mysqlError(e: unknown): Error {
  const err = (typeof e === 'object' && e !== null ? e : {}) as MysqlErrorFields;
  const message = typeof err.message === 'string' ? err.message : String(e);
  if (message === 'context deadline exceeded' || message.startsWith('sql: ')) return e as Error;
  if (typeof err.sqlMessage === 'string' && typeof err.errno === 'number' && err.errno > 0) {
    const state = typeof err.sqlState === 'string' && err.sqlState !== '' ? ` (${err.sqlState})` : '';
    return new Error(`Error ${err.errno}${state}: ${err.sqlMessage}`);
  }
  if (typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code)) {
    return new Error(dialErrorText(e, String(err.address ?? ''), String(err.port ?? '')));
  }
  return new Error(message);
}
