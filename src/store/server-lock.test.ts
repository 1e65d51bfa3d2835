// One server per database (server-lock.ts): a second server on a store another one is using is refused
// before it reconciles (and so aborts) that one's runs in flight; a lock left by a server that died is
// taken over. On both stores.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { StampedeError } from '../core/index.ts';
import { acquireServerLock, type ServerLock } from './server-lock.ts';
import type { StoreConfig } from './store.ts';
import { DEFAULT_TEST_DATABASE_URL, postgresReachable } from './test-stores.ts';

const pgUrl = process.env['STAMPEDE_TEST_DATABASE_URL'] ?? DEFAULT_TEST_DATABASE_URL;
const pgUp = await postgresReachable(pgUrl);

const dirs: string[] = [];
const held: ServerLock[] = [];
afterEach(async () => {
  for (const l of held.splice(0)) await l.release();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function newDataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'stampede-lock-'));
  dirs.push(d);
  return d;
}

async function refusal(config: StoreConfig): Promise<StampedeError> {
  const err = await acquireServerLock(config).then(
    (l) => {
      held.push(l);
      return null;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StampedeError);
  expect((err as StampedeError).code).toBe('STAMPEDE_ERR_CONFLICT');
  return err as StampedeError;
}

const CONFIGS: { name: string; skip: boolean; config: () => StoreConfig }[] = [
  { name: 'sqlite', skip: false, config: () => ({ dataDir: newDataDir() }) },
  {
    name: pgUp ? 'postgres' : `postgres (SKIPPED: PostgreSQL unreachable at ${pgUrl}; set STAMPEDE_TEST_DATABASE_URL)`,
    skip: !pgUp,
    config: () => ({ dataDir: newDataDir(), databaseUrl: pgUrl, pgSchema: `lock_${Math.random().toString(36).slice(2, 10)}` }),
  },
];

for (const { name, skip, config } of CONFIGS) {
  describe.skipIf(skip)(`server lock: ${name}`, () => {
    it('refuses a second server while the first holds the store, and lets one start once it released it', async () => {
      const c = config();
      const first = await acquireServerLock(c);
      held.push(first);
      expect((await refusal(c)).message).toMatch(/Another Stampede server .*run one server per database/);
      await first.release();
      held.push(await acquireServerLock(c));
    });

    it('does not hold another store', async () => {
      held.push(await acquireServerLock(config()));
      held.push(await acquireServerLock(config()));
    });
  });
}

describe.skipIf(!pgUp)('server lock: postgres session lost', () => {
  // Found by the dependency-failure QA pass: after a PostgreSQL restart the lock was gone for good, and
  // a second server started on the database (and would have aborted the first one's runs in flight).
  it('takes the lock again once the database answers after its session ended, so a second server is still refused', async () => {
    const c: StoreConfig = { dataDir: newDataDir(), databaseUrl: pgUrl, pgSchema: `lock_${Math.random().toString(36).slice(2, 10)}` };
    const seen: string[] = [];
    const first = await acquireServerLock(c, { lost: () => seen.push('lost'), retaken: () => seen.push('retaken') });
    held.push(first);
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = hashtext($1)::oid",
        [`stampede-server:${c.pgSchema}`],
      );
      expect(rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    for (let i = 0; i < 200 && !seen.includes('retaken'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(seen).toEqual(['lost', 'retaken']);
    expect((await refusal(c)).message).toMatch(/Another Stampede server/);
  });
});

describe('server lock: sqlite lock file', () => {
  it('names the holding server and the file to delete if none runs', async () => {
    const dataDir = newDataDir();
    held.push(await acquireServerLock({ dataDir }));
    const err = await refusal({ dataDir });
    expect(err.message).toContain(`pid ${process.pid}`);
    expect(err.message).toContain(join(dataDir, 'server.lock'));
  });

  it('takes over a lock left by a server that died, by one on another host, and by an earlier life of its own pid', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    for (const holder of [
      { pid: deadPid, host: (await import('node:os')).hostname() },
      { pid: 1, host: 'another-container' },
      { pid: process.pid, host: (await import('node:os')).hostname() },
      'not json',
    ]) {
      const dataDir = newDataDir();
      writeFileSync(join(dataDir, 'server.lock'), typeof holder === 'string' ? holder : JSON.stringify({ ...holder, since: '2026-01-01T00:00:00.000Z' }));
      const lock = await acquireServerLock({ dataDir });
      expect(JSON.parse(readFileSync(join(dataDir, 'server.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
      await lock.release();
      expect(() => readFileSync(join(dataDir, 'server.lock'))).toThrow(/ENOENT/);
    }
  });
});
