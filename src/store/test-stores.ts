// Test support: a fresh store per dialect. SQLite lives in a temp dir; PostgreSQL gets its own schema
// (dropped afterwards) at the URL the test passes in (tests read STAMPEDE_TEST_DATABASE_URL).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from './open-store.ts';
import type { Store, StoreConfig } from './store.ts';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface TestStore {
  /** The currently open store (replaced by `reopen`). */
  store: Store;
  /** The config it was opened with, e.g. to open the same database from another component. */
  config: StoreConfig;
  /** Closes the store and opens the same database again, as a restarted server would. */
  reopen(): Promise<Store>;
  /** Closes the store and deletes its database (temp dir / schema). */
  dispose(): Promise<void>;
}

export type TestTarget = { dialect: 'sqlite' } | { dialect: 'postgres'; url: string };

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export async function openTestStore(target: TestTarget, extra: Partial<StoreConfig> = {}): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stampede-store-'));
  const schema = `st_${Math.random().toString(36).slice(2, 12)}`;
  const config: StoreConfig = target.dialect === 'sqlite' ? { ...extra, dataDir } : { ...extra, dataDir, databaseUrl: target.url, pgSchema: schema };
  const cleanup = async () => {
    if (target.dialect === 'postgres') await dropSchema(target.url, schema);
    rmSync(dataDir, { recursive: true, force: true });
  };
  let store: Store;
  try {
    store = await openStore(config);
  } catch (err) {
    await cleanup().catch(() => undefined);
    throw err;
  }
  const handle: TestStore = {
    store,
    config,
    async reopen() {
      await handle.store.close();
      handle.store = await openStore(config);
      return handle.store;
    },
    async dispose() {
      await handle.store.close();
      await cleanup();
    },
  };
  return handle;
}
