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
  store: Store;
  dispose(): Promise<void>;
}

export type TestTarget = { dialect: 'sqlite' } | { dialect: 'postgres'; url: string };

export async function openTestStore(target: TestTarget, extra: Partial<StoreConfig> = {}): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stampede-store-'));
  if (target.dialect === 'sqlite') {
    const store = await openStore({ ...extra, dataDir });
    return {
      store,
      async dispose() {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = `st_${Math.random().toString(36).slice(2, 12)}`;
  const store = await openStore({ ...extra, dataDir, databaseUrl: target.url, pgSchema: schema });
  return {
    store,
    async dispose() {
      await store.close();
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
