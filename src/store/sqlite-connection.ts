// SQLite: one file in the data dir, WAL journal with synchronous=FULL so a transaction is on disk
// before it is acknowledged (kill -9 or power loss never loses an acknowledged write), foreign keys on,
// and a busy timeout so another process briefly holding the lock is waited for rather than failed.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database as Schema } from './schema.ts';

export interface SqliteConnection {
  db: Kysely<Schema>;
  /** The raw handle, for the bulk seeder's prepared-statement loop. */
  raw: Database.Database;
}

export function connectSqlite(dataDir: string): SqliteConnection {
  mkdirSync(dataDir, { recursive: true });
  const raw = new Database(join(dataDir, 'stampede.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('foreign_keys = ON');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: raw }) });
  return { db, raw };
}
