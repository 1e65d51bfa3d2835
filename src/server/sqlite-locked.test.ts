// Found by the dependency-failure QA pass (test/dependency-failure-qa.md): while another process held
// the SQLite database's write lock, a write waiting for it (up to 5 s) froze the whole server, reads
// included, because better-sqlite3 waits synchronously. Now the wait happens off the event loop: other
// requests answer meanwhile, and the write answers as before once the wait is over.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { holdWriteLock, openStore, type Store } from '../store/index.ts';
import { buildApp } from './app.ts';
import { serverConfig } from './config.ts';
import { STORE_UNAVAILABLE_MESSAGE } from './error-response.ts';
import { TestRunControl } from './test-support/api-harness.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(): Promise<{ app: FastifyInstance; store: Store; dir: string; headers: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'stampede-locked-'));
  const store = await openStore({ dataDir: dir });
  const seeded = await store.seedFirstStart();
  const app = await buildApp({ store, runs: new TestRunControl(store), config: serverConfig(), logger: false });
  cleanups.push(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { app, store, dir, headers: { authorization: `Bearer ${seeded.token ?? ''}`, 'x-stack-id': String(seeded.stackId) } };
}

describe('server on SQLite locked by another process', () => {
  it('answers reads at once while a write waits for the lock; the write answers 500 "unavailable" after the 5 s wait, and succeeds once the lock is gone', async () => {
    const { app, dir, headers } = await server();
    const holder = await holdWriteLock(join(dir, 'stampede.db'), 15_000);
    cleanups.push(() => holder.release());

    const started = Date.now();
    const write = app.inject({ method: 'POST', url: '/cloud/v6/projects', headers, payload: { name: 'while locked' } });
    await new Promise((r) => setTimeout(r, 200));
    const readStarted = Date.now();
    const read = await app.inject({ method: 'GET', url: '/cloud/v6/projects', headers });
    const readMs = Date.now() - readStarted;
    expect(read.statusCode).toBe(200);
    expect(readMs).toBeLessThan(1_000);
    expect(Date.now() - started).toBeLessThan(2_000);

    const refused = await write;
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    expect(refused.statusCode).toBe(500);
    expect(refused.json()).toMatchObject({ error: { code: 'error', message: STORE_UNAVAILABLE_MESSAGE } });

    await holder.release();
    const created = await app.inject({ method: 'POST', url: '/cloud/v6/projects', headers, payload: { name: 'after the lock' } });
    expect(created.statusCode).toBe(201);
  }, 30_000);
});
