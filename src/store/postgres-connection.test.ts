// A pooled PostgreSQL connection lost while idle (the database restarted, a proxy or the network cut it)
// must not end the server: pg's pool reports it as an 'error' event, which unheard is thrown as an
// uncaught exception. Found by the dependency-failure QA pass (test/dependency-failure-qa.md), as was a
// database that stalls holding requests for as long as it stalls.
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { connectPostgres } from './postgres-connection.ts';
import { isStoreUnavailable } from './sql-errors.ts';
import { DEFAULT_TEST_DATABASE_URL, postgresReachable } from './test-stores.ts';

const pgUrl = process.env['STAMPEDE_TEST_DATABASE_URL'] ?? DEFAULT_TEST_DATABASE_URL;
const pgUp = await postgresReachable(pgUrl);
const schema = `pc_${Math.random().toString(36).slice(2, 12)}`;

afterAll(async () => {
  if (!pgUp) return;
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.end();
});

/** Ends a PostgreSQL session from another one, as a restart or an operator would, and waits for the loss to be heard. */
async function terminateBackend(pid: number | undefined, lost: Error[]): Promise<void> {
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  await admin.end();
  for (let i = 0; i < 100 && lost.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
}

describe.skipIf(!pgUp)('connectPostgres', () => {
  it('survives an idle pooled connection being terminated, says so, and reconnects for the next query', async () => {
    const lost: Error[] = [];
    const { db, pool } = await connectPostgres(pgUrl, schema, (err) => lost.push(err));
    try {
      const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db);
      expect(pool.idleCount).toBe(1);
      await terminateBackend(rows[0]?.pid, lost);
      expect(lost).toHaveLength(1);
      const again = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
      expect(again.rows[0]?.one).toBe(1);
    } finally {
      await db.destroy();
    }
  });

  it('survives a connection checked out between two queries being terminated (a transaction in progress)', async () => {
    const lost: Error[] = [];
    const { db, pool } = await connectPostgres(pgUrl, schema, (err) => lost.push(err));
    try {
      const client = await pool.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await terminateBackend(rows[0]?.pid, lost);
      expect(lost).toHaveLength(1);
      client.release(lost[0]);
      const again = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
      expect(again.rows[0]?.one).toBe(1);
    } finally {
      await db.destroy();
    }
  });
});

describe('connectPostgres against a database that stalls', () => {
  it('fails a query needing a new connection after the connect timeout, as the store being unavailable, instead of hanging', async () => {
    // Accepts TCP connections and never answers: a host gone without a reset, a proxy that stopped forwarding.
    const held: Socket[] = [];
    const stalled = createServer((socket) => held.push(socket));
    await new Promise<void>((r) => stalled.listen(0, '127.0.0.1', r));
    const { port } = stalled.address() as AddressInfo;
    const { db } = await connectPostgres(`postgres://postgres@127.0.0.1:${port}/test`, undefined, () => undefined, 300);
    try {
      const started = Date.now();
      const err = await sql`SELECT 1`.execute(db).then(() => null, (e: unknown) => e);
      expect(isStoreUnavailable(err)).toBe(true);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await db.destroy();
      for (const s of held) s.destroy();
      stalled.close();
    }
  });
});
