// SQLite rolls a transaction back by itself when the disk fills (SQLITE_FULL) or a write fails; the
// ROLLBACK Kysely then sends must not replace that error with "cannot rollback - no transaction is
// active" (which the API could only answer as a bare internal error). Found by the dependency-failure
// QA pass (test/dependency-failure-qa.md), on a data dir whose filesystem filled up; as was another
// process holding the write lock freezing the whole server while a statement waited for it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { isStoreUnavailable } from './sql-errors.ts';
import { connectSqlite } from './sqlite-connection.ts';
import { holdWriteLock } from './sqlite-lock-holder.test-helper.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('connectSqlite', () => {
  it('reports a full database as SQLITE_FULL from a transaction, and works again once there is room', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stampede-sqlite-full-'));
    dirs.push(dir);
    const { db, raw } = connectSqlite(dir);
    try {
      await sql`CREATE TABLE t (b BLOB)`.execute(db);
      // As a filesystem with no room left: the file may not grow past its current pages.
      const pages = raw.pragma('page_count', { simple: true }) as number;
      raw.pragma(`max_page_count = ${pages + 2}`);
      const err = await db
        .transaction()
        .execute(async (tx) => {
          for (let i = 0; i < 20; i++) await sql`INSERT INTO t (b) VALUES (zeroblob(65536))`.execute(tx);
        })
        .then(() => null, (e: unknown) => e);
      expect((err as { code?: string } | null)?.code).toBe('SQLITE_FULL');
      expect(isStoreUnavailable(err)).toBe(true);
      expect(raw.inTransaction).toBe(false);
      raw.pragma('max_page_count = 1073741823');
      await db.transaction().execute(async (tx) => {
        await sql`INSERT INTO t (b) VALUES (zeroblob(65536))`.execute(tx);
      });
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM t`.execute(db);
      expect(rows[0]?.n).toBe(1);
    } finally {
      await db.destroy();
    }
  });
});

describe('connectSqlite, the database locked by another process', () => {
  it('keeps the event loop and reads going while a write waits for the lock, then fails the write as unavailable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stampede-sqlite-busy-'));
    dirs.push(dir);
    const { db } = connectSqlite(dir, { busyWaitMs: 1_500 });
    const holder = { release: async () => undefined };
    try {
      await sql`CREATE TABLE t (n INTEGER)`.execute(db);
      await sql`INSERT INTO t (n) VALUES (1)`.execute(db);
      Object.assign(holder, await holdWriteLock(join(dir, 'stampede.db'), 10_000));

      // The longest the event loop went without running a 10 ms timer while the write waited.
      let lastTick = Date.now();
      let worstGap = 0;
      const ticker = setInterval(() => {
        worstGap = Math.max(worstGap, Date.now() - lastTick);
        lastTick = Date.now();
      }, 10);
      const started = Date.now();
      const write = sql`INSERT INTO t (n) VALUES (2)`.execute(db).then(() => null, (e: unknown) => e);
      const inTransaction = db
        .transaction()
        .execute((trx) => sql`INSERT INTO t (n) VALUES (3)`.execute(trx))
        .then(() => null, (e: unknown) => e);
      await new Promise((r) => setTimeout(r, 100));
      const readStarted = Date.now();
      const { rows } = await sql<{ n: number }>`SELECT n FROM t`.execute(db);
      const readMs = Date.now() - readStarted;
      const [writeErr, trxErr] = await Promise.all([write, inTransaction]);
      const waited = Date.now() - started;
      clearInterval(ticker);

      expect(rows).toEqual([{ n: 1 }]);
      expect(readMs).toBeLessThan(300);
      expect(worstGap).toBeLessThan(300);
      for (const err of [writeErr, trxErr]) {
        expect((err as { code?: string } | null)?.code).toBe('SQLITE_BUSY');
        expect(isStoreUnavailable(err)).toBe(true);
      }
      expect(waited).toBeGreaterThanOrEqual(1_400);
    } finally {
      await holder.release();
      await db.destroy();
    }
  });

  it('lets a waiting write through once the other process lets go', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stampede-sqlite-busy-'));
    dirs.push(dir);
    const { db } = connectSqlite(dir, { busyWaitMs: 5_000 });
    try {
      await sql`CREATE TABLE t (n INTEGER)`.execute(db);
      const holder = await holdWriteLock(join(dir, 'stampede.db'), 10_000);
      const write = sql`INSERT INTO t (n) VALUES (1)`.execute(db);
      const inTransaction = db.transaction().execute((trx) => sql`INSERT INTO t (n) VALUES (2)`.execute(trx));
      await new Promise((r) => setTimeout(r, 300));
      await holder.release();
      await Promise.all([write, inTransaction]);
      const { rows } = await sql<{ n: number }>`SELECT n FROM t ORDER BY n`.execute(db);
      expect(rows).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await db.destroy();
    }
  });
});
