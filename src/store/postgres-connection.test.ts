// A pooled PostgreSQL connection lost while idle (the database restarted, a proxy or the network cut it)
// must not end the server: pg's pool reports it as an 'error' event, which unheard is thrown as an
// uncaught exception. Found by the dependency-failure QA pass (test/dependency-failure-qa.md), as was a
// database that stalls holding requests for as long as it stalls: a new connection (connect timeout),
// and a statement already sent on a connection that then stalls (statement bound, the connection closed).
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { connectPostgres } from './postgres-connection.ts';
import { storeWork } from './query-bounds.ts';
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

const pgName = pgUp ? 'postgres' : `postgres (SKIPPED: PostgreSQL unreachable at ${pgUrl}; set STAMPEDE_TEST_DATABASE_URL)`;

describe.skipIf(!pgUp)(`connectPostgres: ${pgName}`, () => {
  it('survives an idle pooled connection being terminated, says so, and reconnects for the next query', async () => {
    const lost: Error[] = [];
    const { db, pool } = await connectPostgres(pgUrl, schema, { onConnectionLost: (err) => lost.push(err) });
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
    const { db, pool } = await connectPostgres(pgUrl, schema, { onConnectionLost: (err) => lost.push(err) });
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
    const { db } = await connectPostgres(`postgres://postgres@127.0.0.1:${port}/test`, undefined, { connectTimeoutMs: 300 });
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

/**
 * A TCP proxy to PostgreSQL that can stop forwarding while keeping every connection open (the peer
 * still ACKs, so keepalive sees nothing): what it receives then is dropped, and the connections it had
 * stay black holes after `resume()` (a flow lost in a NAT or a proxy); new ones forward again.
 */
async function stallProxy(target: { host: string; port: number }, port: number) {
  let stalled = false;
  const pairs: { client: Socket; upstream: Socket; dead: boolean }[] = [];
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    const pair = { client, upstream, dead: stalled };
    pairs.push(pair);
    client.on('data', (d) => void (pair.dead || upstream.write(d)));
    upstream.on('data', (d) => void (pair.dead || client.write(d)));
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  return {
    stall() {
      stalled = true;
      for (const p of pairs) p.dead = true;
    },
    resume() {
      stalled = false;
    },
    async close() {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream.destroy();
      }
      await new Promise((r) => server.close(r));
    },
  };
}

/** `work`'s outcome, or 'hung' when it has none within `ms`. */
async function within<T>(ms: number, work: Promise<T>): Promise<{ value: T } | { error: unknown } | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), ms)));
  try {
    return await Promise.race([work.then((value) => ({ value }), (error: unknown) => ({ error })), hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe.skipIf(!pgUp)(`connectPostgres, a statement on a connection that stalls: ${pgName}`, () => {
  const PROXY_PORT = 19410;

  it('fails after the statement bound as the store being unavailable, and the stalled connection is closed, not reused', async () => {
    const target = new URL(pgUrl);
    const proxy = await stallProxy({ host: target.hostname, port: Number(target.port || 5432) }, PROXY_PORT);
    const proxied = new URL(pgUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(PROXY_PORT);
    const lost: Error[] = [];
    const { db, pool } = await connectPostgres(proxied.toString(), schema, { queryTimeoutMs: 400, connectTimeoutMs: 2_000, onConnectionLost: (err) => lost.push(err) });
    try {
      expect(await within(3_000, sql`SELECT 1 AS one`.execute(db))).toMatchObject({ value: { rows: [{ one: 1 }] } });
      expect(pool.totalCount).toBe(1);

      proxy.stall();
      const started = Date.now();
      const stalled = await within(5_000, sql`SELECT 2 AS two`.execute(db));
      expect(stalled).not.toBe('hung');
      expect(isStoreUnavailable((stalled as { error: unknown }).error)).toBe(true);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(lost.map((e) => e.message)).toEqual([expect.stringMatching(/no answer to a statement within 0.4 s/)]);

      // The database answers again on new connections: the next statements get one, not the stalled one.
      proxy.resume();
      expect(await within(3_000, sql`SELECT 3 AS three`.execute(db))).toMatchObject({ value: { rows: [{ three: 3 }] } });
      expect(await within(3_000, pool.query('SELECT 4 AS four'))).toMatchObject({ value: { rows: [{ four: 4 }] } });
      expect(pool.totalCount).toBe(1);

      // The same through pg-pool's own `pool.query` (the run lists' path) and inside a transaction.
      proxy.stall();
      const viaPool = await within(5_000, pool.query('SELECT 5'));
      expect(viaPool).not.toBe('hung');
      expect(isStoreUnavailable((viaPool as { error: unknown }).error)).toBe(true);
      proxy.resume();
      await within(3_000, sql`SELECT 1`.execute(db));
      proxy.stall();
      const inTransaction = await within(5_000, db.transaction().execute((trx) => sql`SELECT 6`.execute(trx)));
      expect(inTransaction).not.toBe('hung');
      expect(isStoreUnavailable((inTransaction as { error: unknown }).error)).toBe(true);
      proxy.resume();
      expect(await within(3_000, sql`SELECT 7 AS seven`.execute(db))).toMatchObject({ value: { rows: [{ seven: 7 }] } });
      expect(pool.totalCount).toBe(1);
    } finally {
      proxy.resume();
      await db.destroy();
      await proxy.close();
    }
  });

  it('does not cut work known to be long (storeWork), which an ordinary statement of the same length is', async () => {
    const { db } = await connectPostgres(pgUrl, schema, { queryTimeoutMs: 300 });
    try {
      const ordinary = await within(5_000, sql`SELECT pg_sleep(0.8)`.execute(db));
      expect(isStoreUnavailable((ordinary as { error: unknown }).error)).toBe(true);
      expect(await within(5_000, storeWork('long', () => sql`SELECT pg_sleep(0.8), 1 AS one`.execute(db)))).toMatchObject({ value: { rows: [{ one: 1 }] } });
      expect(await within(5_000, storeWork('unbounded', () => sql`SELECT pg_sleep(0.8), 1 AS one`.execute(db)))).toMatchObject({ value: { rows: [{ one: 1 }] } });
    } finally {
      await db.destroy();
    }
  });
});
