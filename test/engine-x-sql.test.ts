// k6/x/sql (grafana/xk6-sql) end to end: Stampede's own scripts under test/scripts/extensions/ run
// through the engine against the local PostgreSQL (127.0.0.1:5432, database `test`) and MariaDB/MySQL
// (127.0.0.1:3306, database `test`), and against a SQLite file in a temporary folder. Each run uses a
// table of its own and drops it. A database that does not answer skips its tests, saying so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricValues, runScript, type ScriptRun } from './scripts/engine-harness.ts';
import type { FromRunner } from '../src/runner/index.ts';
import { runInSandbox } from './scripts/sandboxed-run.ts';

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.setTimeout(1000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

const postgresUp = await answers(5432);
const mysqlUp = await answers(3306);
if (!postgresUp) console.warn('PostgreSQL does not answer on 127.0.0.1:5432: the k6/x/sql postgres tests are skipped');
if (!mysqlUp) console.warn('MySQL/MariaDB does not answer on 127.0.0.1:3306: the k6/x/sql mysql tests are skipped');

const PG_DSN = 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable';
const MYSQL_DSN = 'root@tcp(127.0.0.1:3306)/test';

const tableName = (kind: string): string => `stampede_${kind}_${process.pid}_${Date.now().toString(36)}`;

/** The console messages of a run, in order. */
function consoleLines(r: ScriptRun): string[] {
  return r.stderr.split('\n').flatMap((l) => {
    if (!l.includes('source=console')) return [];
    const m = / msg=("(?:[^"\\]|\\.)*"|\S*)/.exec(l);
    const v = m?.[1] ?? '';
    return [v.startsWith('"') ? (JSON.parse(v) as string) : v];
  });
}

describe.skipIf(!postgresUp)('k6/x/sql with k6/x/sql/driver/postgres', () => {
  it('opens a pool per VU in init, binds $n arguments, converts values as lib/pq and reports its errors', async () => {
    const r = await runScript('extensions/sql-postgres.js', { env: { SQL_TABLE: tableName('pg'), SQL_DSN: PG_DSN } });
    expect(r.exitCode).toBe(0);
    expect(metricValues(r, 'checks')).toMatchObject({ passes: 36, fails: 0 });
    expect(metricValues(r, 'iterations')?.count).toBe(6);
    expect(r.stdout).toContain('✓ timestamp as a Go time');
    expect(consoleLines(r)).toEqual([
      'rows: 6',
      'missing column: GoError: pq: column "nope" does not exist at column 8 (42703)',
      'timeout: GoError: context deadline exceeded',
      'canceled: GoError: pq: canceling statement due to user request (57014)',
      'updated: 6',
      'after close: GoError: sql: database is closed',
    ]);
  }, 60_000);

  it('a refused connection fails the call with Go\'s dial error, not sql.open', async () => {
    const r = await runScript('extensions/sql-unreachable.js', { env: { SQL_DRIVER: 'postgres', SQL_DSN: 'host=127.0.0.1 port=1 user=postgres sslmode=disable' } });
    expect(r.exitCode).toBe(0);
    // Every VU's init opened the pool without connecting (k6 runs the init once more to read options).
    const lines = consoleLines(r);
    expect(lines.filter((l) => l !== 'opened')).toEqual(['GoError: dial tcp 127.0.0.1:1: connect: connection refused']);
    expect(lines).toContain('opened');
  }, 30_000);
});

describe.skipIf(!mysqlUp)('k6/x/sql with k6/x/sql/driver/mysql', () => {
  it('reads go-sql-driver DSNs, binds ? arguments, gives text columns as bytes and reports server errors', async () => {
    const r = await runScript('extensions/sql-mysql.js', { env: { SQL_TABLE: tableName('my'), SQL_DSN: MYSQL_DSN } });
    expect(r.exitCode).toBe(0);
    expect(metricValues(r, 'checks')).toMatchObject({ passes: 16, fails: 0 });
    const lines = consoleLines(r);
    expect(lines).toEqual([
      'rows: 4',
      "missing table: GoError: Error 1146 (42S02): Table 'test.T_nope' doesn't exist",
      'arguments: GoError: sql: expected 1 arguments, got 2',
    ]);
  }, 60_000);

  it('a malformed DSN fails sql.open in the init context with ParseDSN\'s error (107)', async () => {
    const r = await runScript('extensions/sql-unreachable.js', { env: { SQL_DRIVER: 'mysql', SQL_DSN: 'root@tcp(127.0.0.1:3306/test' } });
    expect(r.exitCode).toBe(107);
    expect(r.stderr).toContain('GoError: invalid DSN: network address not terminated (missing closing brace)');
  }, 30_000);
});

describe.skipIf(!postgresUp && !mysqlUp)('k6/x/sql and the end of a scenario', () => {
  it('a query running at gracefulStop is broken off: the iterations are interrupted and the run does not wait for it', async () => {
    const started = Date.now();
    const r = await runScript('extensions/sql-interrupt.js', { env: { ...(postgresUp ? { PG_DSN: PG_DSN } : {}), ...(mysqlUp ? { MYSQL_DSN: MYSQL_DSN } : {}) } });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('No script iterations fully finished');
    // Without breaking the queries off, the VUs' pools would hold the workers until the engine kills them.
    expect(r.stderr).not.toContain('did not stop in time');
    expect(metricValues(r, 'iterations')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(25_000); // the queries sleep 30 s
  }, 60_000);
});

describe('k6/x/sql with k6/x/sql/driver/sqlite3', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stampede-sql-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a database file, converts values as go-sqlite3 and gives SQLite\'s own error text', async () => {
    const r = await runScript('extensions/sql-sqlite.js', { env: { SQL_DSN: join(dir, 'notes.db') } });
    expect(r.exitCode).toBe(0);
    expect(metricValues(r, 'checks')).toMatchObject({ passes: 9, fails: 0 });
    expect(consoleLines(r)).toEqual(['notes: 3', 'error: GoError: no such table: nowhere']);
  }, 60_000);

  it('refuses a driver id that is not a driver module\'s, with xk6-sql\'s error', async () => {
    const r = await runScript('extensions/sql-unreachable.js', { env: { SQL_DRIVER: 'symbol', SQL_DSN: ':memory:' } });
    expect(r.exitCode).toBe(107);
    expect(r.stderr).toContain('GoError: unsupported database: ');
  }, 30_000);
});

describe('k6/x/sql in a runner process (the server\'s sandbox)', () => {
  const logText = (seen: FromRunner[]): string => seen.map((m) => (m.type === 'log' ? m.text : m.type === 'error' ? m.message : '')).join('\n');

  it('sqlite3 says the native addon cannot load there', async () => {
    const seen = await runInSandbox([
      "import sql from 'k6/x/sql';",
      "import driver from 'k6/x/sql/driver/sqlite3';",
      "const db = sql.open(driver, ':memory:');",
      'export default function () { db.query("SELECT 1"); }',
    ].join('\n'));
    expect(logText(seen)).toContain('sqlite3: the SQLite driver needs a native addon (better-sqlite3) and this runner does not load native addons');
  }, 60_000);

  it.skipIf(!postgresUp)('postgres works there (pure JavaScript driver)', async () => {
    const seen = await runInSandbox([
      "import sql from 'k6/x/sql';",
      "import driver from 'k6/x/sql/driver/postgres';",
      "import { check } from 'k6';",
      `const db = sql.open(driver, '${PG_DSN}');`,
      'export const options = { iterations: 1 };',
      "export default function () { check(db.query('SELECT 40 + 2 AS n')[0], { 'answer': (r) => r.n === 42 }); }",
      'export function teardown() { db.close(); }',
    ].join('\n'));
    expect(seen.find((m) => m.type === 'finished')).toMatchObject({ exitCode: 0, checks: [{ name: 'answer', passes: 1, fails: 0 }] });
  }, 60_000);
});
