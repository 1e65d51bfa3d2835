// SQLite rolls a transaction back by itself when the disk fills (SQLITE_FULL) or a write fails; the
// ROLLBACK Kysely then sends must not replace that error with "cannot rollback - no transaction is
// active" (which the API could only answer as a bare internal error). Found by the dependency-failure
// QA pass (test/dependency-failure-qa.md), on a data dir whose filesystem filled up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { isStoreUnavailable } from './sql-errors.ts';
import { connectSqlite } from './sqlite-connection.ts';

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
