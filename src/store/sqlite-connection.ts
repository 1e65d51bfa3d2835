// SQLite: one file in the data dir, WAL journal with synchronous=FULL so a transaction is on disk
// before it is acknowledged (kill -9 or power loss never loses an acknowledged write), foreign keys on,
// and another process briefly holding the write lock waited for (up to SQLITE_BUSY_WAIT_MS) rather
// than failed, without blocking the event loop while waiting.
import { mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type SqliteDatabase,
  type SqliteStatement,
} from 'kysely';
import type { Database as Schema } from './schema.ts';

export interface SqliteConnection {
  db: Kysely<Schema>;
  /** The raw handle, for the bulk seeder's prepared-statement loop. */
  raw: Database.Database;
}

// Kysely prepares every query afresh; reusing prepared statements roughly halves the cost of the
// hot single-row reads. Statements are only ever run to completion synchronously (all/run), so one
// statement is never in use twice at once. Bounded, oldest evicted first, because `IN (?, ?, …)`
// lists make many distinct SQL texts.
const STATEMENT_CACHE_SIZE = 500;

// SQLite itself rolls a transaction back on some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY in
// a write, out of memory), and Kysely's ROLLBACK after it then fails with "cannot rollback - no
// transaction is active", which replaces the error that says what happened (a full disk) with one that
// says nothing. A ROLLBACK with no transaction open is a no-op here.
function rollbackIfOpen(raw: Database.Database): SqliteStatement {
  const rollback = raw.prepare('rollback') as unknown as SqliteStatement;
  return {
    reader: false,
    all: (parameters) => (raw.inTransaction ? rollback.all(parameters) : []),
    run: (parameters) => (raw.inTransaction ? rollback.run(parameters) : { changes: 0, lastInsertRowid: 0 }),
    iterate: (parameters) => (raw.inTransaction ? rollback.iterate(parameters) : [][Symbol.iterator]()),
  };
}

function withStatementCache(raw: Database.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(sql) {
      if (sql === 'rollback') return rollbackIfOpen(raw);
      let stmt = cache.get(sql);
      if (stmt === undefined) {
        stmt = raw.prepare(sql) as unknown as SqliteStatement;
        if (cache.size >= STATEMENT_CACHE_SIZE) {
          const oldest = cache.keys().next();
          if (oldest.done !== true) cache.delete(oldest.value);
        }
        cache.set(sql, stmt);
      }
      return stmt;
    },
    close() {
      cache.clear();
      raw.close();
    },
  };
}

/**
 * Size the write-ahead log is cut back to once it has been checkpointed. Without it the -wal file keeps
 * the size of the largest burst of writes until the server stops: a retention sweep of a long run's
 * metrics left 48 MB there (test/soak-qa.md).
 */
export const WAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * How long a statement waits for another process holding the database's write lock (a backup tool, a
 * second process on the same file) before failing with SQLITE_BUSY, i.e. as the store being
 * unavailable (a 500 saying so; a run's writes are held and retried).
 */
export const SQLITE_BUSY_WAIT_MS = 5_000;

/** Longest pause between two tries of a statement the lock refused. */
const BUSY_RETRY_MAX_DELAY_MS = 100;

/** Locked by another connection (a retry may succeed); not SQLITE_BUSY_SNAPSHOT, which a retry never cures. */
function isBusy(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_RECOVERY' || code === 'SQLITE_BUSY_TIMEOUT' || code === 'SQLITE_LOCKED';
}

/** Hands the one connection to one caller at a time, first come first served. */
class Mutex {
  #held = false;
  readonly #waiting: (() => void)[] = [];
  async lock(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
  unlock(): void {
    const next = this.#waiting.shift();
    if (next === undefined) this.#held = false;
    else next();
  }
}

/**
 * Kysely's SQLite driver (one connection, one caller at a time), except for the wait on another
 * process's lock. better-sqlite3 runs statements synchronously, so SQLite's own busy timeout would
 * stop the whole event loop while it waits: every request, reads included, stalled up to 5 s per
 * blocked statement (test/dependency-failure-qa.md). Here SQLite's busy timeout is 0 and a statement
 * the lock refuses is tried again after a pause (2 ms doubling to 100 ms), for up to `busyWaitMs`, then
 * fails with SQLITE_BUSY as before. Outside a transaction the connection is handed to other callers
 * during the pause, so reads (which WAL never blocks on a writer) answer meanwhile. Transactions begin
 * IMMEDIATE, taking the write lock up front: a locked database refuses the BEGIN, with nothing yet
 * done, rather than a statement in the middle (whose transaction would have to hold the connection,
 * and every reader, while it waits).
 */
class BusyWaitingDriver implements Driver {
  readonly #mutex = new Mutex();
  readonly #connection: DatabaseConnection;
  constructor(
    private readonly raw: Database.Database,
    private readonly database: SqliteDatabase,
    private readonly busyWaitMs: number,
  ) {
    this.#connection = {
      executeQuery: <R>(query: CompiledQuery) => this.#execute<R>(query),
      streamQuery: () => {
        throw new Error('streaming is not used with SQLite');
      },
    };
  }

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return this.#connection;
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }
  async destroy(): Promise<void> {
    this.database.close();
  }

  #run<R>(query: CompiledQuery): QueryResult<R> {
    const stmt = this.database.prepare(query.sql);
    const parameters = query.parameters as unknown[];
    if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  async #execute<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const started = Date.now();
    for (let delay = 2; ; delay = Math.min(delay * 2, BUSY_RETRY_MAX_DELAY_MS)) {
      try {
        return this.#run<R>(query);
      } catch (err) {
        const left = this.busyWaitMs - (Date.now() - started);
        if (!isBusy(err) || left <= 0) throw err;
        // Inside a transaction the statement is retried as is, the connection kept (SQLite keeps the
        // transaction open on SQLITE_BUSY); outside one, others may use the connection meanwhile.
        const inTransaction = this.raw.inTransaction;
        if (!inTransaction) this.#mutex.unlock();
        await sleep(Math.min(delay, left));
        if (!inTransaction) await this.#mutex.lock();
      }
    }
  }
}

function busyWaitingDialect(raw: Database.Database, busyWaitMs: number): Dialect {
  return {
    createDriver: () => new BusyWaitingDriver(raw, withStatementCache(raw), busyWaitMs),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createAdapter: () => new SqliteAdapter(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
}

export function connectSqlite(dataDir: string, opts: { busyWaitMs?: number } = {}): SqliteConnection {
  mkdirSync(dataDir, { recursive: true });
  const raw = new Database(join(dataDir, 'stampede.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  // Waits for another process's lock happen in BusyWaitingDriver, off the event loop.
  raw.pragma('busy_timeout = 0');
  raw.pragma('foreign_keys = ON');
  raw.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  const db = new Kysely<Schema>({ dialect: busyWaitingDialect(raw, opts.busyWaitMs ?? SQLITE_BUSY_WAIT_MS) });
  return { db, raw };
}

/** How often the server checks that the SQLite files it has open are still the ones at their paths. */
export const SQLITE_FILE_CHECK_INTERVAL_MS = 10_000;

export interface SqliteFileLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A file's identity (device and inode), or null when nothing is at the path. */
async function fileId(path: string): Promise<string | null> {
  try {
    const st = await stat(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

/**
 * Every `intervalMs`, two `stat` calls: are `stampede.db` and its `-wal` still the files this
 * connection has open? SQLite keeps both open while the server runs and never replaces them itself.
 * A write-ahead log deleted (or replaced) under the server (test/dependency-failure-qa.md) goes on
 * taking writes in the unlinked file: a clean stop still writes it into the database, but `kill -9`,
 * a crash or a power cut would lose every write since the last checkpoint, silently. So the server
 * says so (an error naming the file), writes the open log into the database (a checkpoint) and starts a
 * new one at the path (journal mode DELETE, then WAL again), after which nothing is at risk. Writes
 * are not refused meanwhile: refusing would lose them for sure (a run's held writes are dropped after
 * `storeRetryMs`) where the open log keeps them until the repair, moments later. When the repair
 * cannot be done (another process has the database open) the error says to restart the server
 * cleanly; the checkpoint is repeated every check, so at most `intervalMs` of writes are at risk.
 * A database file moved or deleted is said once; nothing is done about it (the server goes on with the
 * file it opened).
 */
export async function watchSqliteFiles(conn: SqliteConnection, dataDir: string, log: SqliteFileLog, intervalMs = SQLITE_FILE_CHECK_INTERVAL_MS): Promise<{ stop(): void }> {
  const dbFile = join(dataDir, 'stampede.db');
  const walFile = `${dbFile}-wal`;
  // The log is open once a read has run (the migrations did); one more makes sure.
  await conn.db.connection().execute(async () => conn.raw.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get());
  const dbId = await fileId(dbFile);
  let walId = await fileId(walFile);
  let dbTold = false;
  let repairFailedTold = false;
  let checking = false;
  const check = async (): Promise<void> => {
    const [dbNow, walNow] = await Promise.all([fileId(dbFile), fileId(walFile)]);
    if (dbNow !== dbId && !dbTold) {
      dbTold = true;
      log.error({ file: dbFile }, `The SQLite database ${dbFile} was moved, deleted or replaced while the server had it open: the server goes on with the file it opened, which the next start will not find there. Put it back, or stop the server (SIGTERM) before moving its files`);
    }
    if (walNow === walId) return;
    if (!repairFailedTold) {
      log.error({ file: walFile }, `The SQLite write-ahead log ${walFile} was deleted or replaced while the server had it open (not by Stampede): the writes since the last checkpoint were only in the open, deleted file and a kill -9 or crash would have lost them. Writing it into the database and starting a new log`);
    }
    try {
      await conn.db.connection().execute(async () => {
        conn.raw.pragma('wal_checkpoint(TRUNCATE)');
        const off = conn.raw.pragma('journal_mode = DELETE', { simple: true });
        if (off !== 'delete') throw new Error(`the journal mode stayed ${String(off)} (another process has the database open)`);
        const on = conn.raw.pragma('journal_mode = WAL', { simple: true });
        if (on !== 'wal') throw new Error(`the journal mode is ${String(on)}, not wal`);
        conn.raw.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
      });
      walId = await fileId(walFile);
      repairFailedTold = false;
      log.info({ file: walFile }, `A new SQLite write-ahead log ${walFile} is in use; the deleted one was written into the database, nothing was lost`);
    } catch (err) {
      if (!repairFailedTold) {
        log.error({ file: walFile, err }, `Could not start a new SQLite write-ahead log at ${walFile}: stop the server with SIGTERM (it writes the open log into the database as it closes) and start it again. Until then the open log is written into the database every ${intervalMs / 1000} s`);
      }
      repairFailedTold = true;
    }
  };
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    check()
      .catch((err: unknown) => log.error({ err }, 'checking the SQLite files failed'))
      .finally(() => {
        checking = false;
      });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
