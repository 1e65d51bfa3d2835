// k6/x/sql/driver/sqlite3: better-sqlite3 (synchronous, as SQLite is) behaving as mattn/go-sqlite3
// under database/sql (xk6-sql-driver-sqlite3). better-sqlite3 is a native addon: where Node refuses
// addons (the runner's sandboxed server runs), sql.open() says so.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { SqlArg } from './sql-args.ts';
import { goBytes, rowOf, type SqlConnector, type SqlExecOutcome, type SqlRow } from './sql-connector.ts';
import { deadlineExceeded } from './sql-deadline.ts';
import { GoTime, parseWallClock } from './sql-go-time.ts';

type DatabaseCtor = typeof BetterSqlite3;

let loaded: DatabaseCtor | Error | undefined;

/** better-sqlite3's constructor, its addon loaded once (an in-memory database proves it); or why not. */
function sqliteClass(): DatabaseCtor | Error {
  if (loaded !== undefined) return loaded;
  try {
    const Database = createRequire(import.meta.url)('better-sqlite3') as DatabaseCtor;
    new Database(':memory:').close();
    loaded = Database;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    loaded = new Error(code === 'ERR_DLOPEN_DISABLED' || /addons? (?:is|are) disabled|loading addons/i.test(String((e as Error).message))
      ? 'sqlite3: the SQLite driver needs a native addon (better-sqlite3) and this runner does not load native addons'
        + ' (server runs are sandboxed); run the test with `stampede run` instead'
      : `sqlite3: the SQLite driver could not be loaded: ${(e as Error).message}`);
  }
  return loaded;
}

/** What mattn/go-sqlite3 reads from its DSN: a path or ":memory:", with `file:` URIs and `mode=`. */
interface SqliteDsn {
  readonly path: string;
  readonly readonly: boolean;
}

export function parseSqliteDsn(dsn: string): SqliteDsn {
  let path = dsn;
  let query = '';
  const q = dsn.indexOf('?');
  if (q >= 0) {
    path = dsn.slice(0, q);
    query = dsn.slice(q + 1);
  }
  if (path.startsWith('file:')) path = path.slice('file:'.length);
  const params = new URLSearchParams(query);
  const mode = params.get('mode');
  if (mode === 'memory' || path === '' ) path = ':memory:';
  return { path, readonly: mode === 'ro' };
}

/** Opens lazily (the file is created at the first call, as a Go connection would); throws when SQLite cannot load. */
export function openSqlite(dsn: string): SqlConnector {
  const Database = sqliteClass();
  if (Database instanceof Error) throw Database;
  return new SqliteConnector(Database, parseSqliteDsn(dsn));
}

class SqliteConnector implements SqlConnector {
  readonly #Database: DatabaseCtor;
  readonly #dsn: SqliteDsn;
  #db: BetterSqlite3.Database | undefined;

  constructor(Database: DatabaseCtor, dsn: SqliteDsn) {
    this.#Database = Database;
    this.#dsn = dsn;
  }

  exec(query: string, args: readonly SqlArg[], signal?: AbortSignal): SqlExecOutcome {
    const db = this.#open(signal);
    return sqliteCall(() => {
      if (args.length === 0) {
        db.exec(query);
      } else {
        const stmt = db.prepare(query);
        if (stmt.reader) stmt.safeIntegers(true).all(...bind(stmt, args));
        else stmt.run(...bind(stmt, args));
      }
      const [changes, id] = db.prepare('SELECT changes(), last_insert_rowid()').raw(true).safeIntegers(true).get() as [bigint, bigint];
      return { rowsAffected: Number(changes), lastInsertId: Number(id) };
    });
  }

  query(query: string, args: readonly SqlArg[], signal?: AbortSignal): SqlRow[] {
    const db = this.#open(signal);
    return sqliteCall(() => {
      const stmt = db.prepare(query);
      if (!stmt.reader) {
        stmt.run(...bind(stmt, args));
        return [];
      }
      const columns = stmt.columns();
      const names = columns.map((c) => c.name);
      const decl = columns.map((c) => (c.type ?? '').toLowerCase());
      const rows = stmt.raw(true).safeIntegers(true).all(...bind(stmt, args)) as unknown[][];
      return rows.map((values) => rowOf(names, values.map((v, i) => decodeSqlite(v, decl[i] ?? ''))));
    });
  }

  close(): void {
    const db = this.#db;
    this.#db = undefined;
    db?.close();
  }

  #open(signal?: AbortSignal): BetterSqlite3.Database {
    if (signal?.aborted === true) throw deadlineExceeded();
    if (this.#db !== undefined) return this.#db;
    const { path, readonly } = this.#dsn;
    if (path !== ':memory:' && !existsSync(dirname(resolve(path)))) {
      throw new Error('unable to open database file: no such file or directory');
    }
    return sqliteCall(() => (this.#db = new this.#Database(path, { readonly, fileMustExist: readonly })));
  }
}

/** Runs a call, giving SQLite's own error text as mattn/go-sqlite3 does (no "SqliteError:" prefix). */
function sqliteCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new Error(e instanceof Error ? e.message : String(e));
  }
}

/**
 * Arguments as mattn/go-sqlite3 binds them: integers as INTEGER, bool as 0/1, times as text, bytes as
 * BLOB. Positional (`?`) or numbered/named (`$1`, `?2`, `:a`): names get the arguments in order.
 */
function bind(stmt: BetterSqlite3.Statement, args: readonly SqlArg[]): unknown[] {
  const values = args.map(toSqliteValue);
  const named = /[$:@][A-Za-z0-9_]/.test(stmt.source.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, ''));
  if (!named) return values;
  const names = [...stmt.source.matchAll(/[$:@]([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
  const unique = [...new Set(names)];
  const obj: Record<string, unknown> = {};
  unique.forEach((name, i) => {
    obj[name] = /^\d+$/.test(name) ? values[Number(name) - 1] ?? null : values[i] ?? null;
  });
  return [obj];
}

function toSqliteValue(v: SqlArg): unknown {
  if (v === null || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : v;
  if (v instanceof Uint8Array || ArrayBuffer.isView(v)) return Buffer.from(v as Uint8Array);
  return goTimeText(new Date((v as Date).getTime()));
}

/** mattn/go-sqlite3's time format for a bound time.Time, in UTC: "2006-01-02 15:04:05.999999999-07:00". */
function goTimeText(d: Date): string {
  const iso = d.toISOString();
  const ms = d.getUTCMilliseconds();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms === 0 ? '' : `.${String(ms).padStart(3, '0').replace(/0+$/, '')}`}+00:00`;
}

const TIME_DECLS = new Set(['date', 'datetime', 'timestamp']);
const UTC = { offsetSec: 0, name: 'UTC' };

/** mattn/go-sqlite3's column value by storage class and declared type, as k6 shows it. */
function decodeSqlite(v: unknown, decl: string): unknown {
  if (v === null) return null;
  if (typeof v === 'bigint') {
    if (TIME_DECLS.has(decl)) return new GoTime(Number(v) * 1000, 0, 0, 'UTC');
    if (decl === 'boolean') return v > 0n;
    return Number(v);
  }
  if (typeof v === 'number') return TIME_DECLS.has(decl) ? new GoTime(Math.round(v * 1000), 0, 0, 'UTC') : v;
  if (typeof v === 'string') {
    if (TIME_DECLS.has(decl)) return parseWallClock(v.replace(/Z$/, '+00:00'), UTC, UTC) ?? v;
    return v;
  }
  if (Buffer.isBuffer(v)) return goBytes(v);
  return v;
}
