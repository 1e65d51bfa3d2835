// SQLite: one file in the data dir, WAL journal with synchronous=FULL so a transaction is on disk
// before it is acknowledged (kill -9 or power loss never loses an acknowledged write), foreign keys on,
// and a busy timeout so another process briefly holding the lock is waited for rather than failed.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
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

export function connectSqlite(dataDir: string): SqliteConnection {
  mkdirSync(dataDir, { recursive: true });
  const raw = new Database(join(dataDir, 'stampede.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('foreign_keys = ON');
  raw.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  return { db, raw };
}
