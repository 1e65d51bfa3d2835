// Found by the dependency-failure QA pass (test/dependency-failure-qa.md): the SQLite write-ahead log
// deleted while the server ran went unnoticed, and the writes since the last checkpoint, kept only in
// the deleted file the server still had open, were lost at the next kill -9.
import { copyFileSync, existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from './open-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The project names a `kill -9` right now would leave: the database file and the log at its path, as they are on disk. */
function namesAfterKill(dataDir: string): string[] {
  const copy = mkdtempSync(join(tmpdir(), 'stampede-killed-'));
  dirs.push(copy);
  copyFileSync(join(dataDir, 'stampede.db'), join(copy, 'stampede.db'));
  if (existsSync(join(dataDir, 'stampede.db-wal'))) copyFileSync(join(dataDir, 'stampede.db-wal'), join(copy, 'stampede.db-wal'));
  const db = new Database(join(copy, 'stampede.db'));
  try {
    return (db.prepare('SELECT name FROM projects ORDER BY id').all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

async function until(check: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
}

describe('SQLite files watched while the store is open', () => {
  it('notices its write-ahead log deleted, says so naming the file, and writes it into the database so a kill -9 loses nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stampede-wal-deleted-'));
    dirs.push(dataDir);
    const logs: { level: string; msg: string; file?: string }[] = [];
    const log = {
      info: (obj: { file?: string }, msg: string) => logs.push({ level: 'info', msg, ...obj }),
      error: (obj: { file?: string }, msg: string) => logs.push({ level: 'error', msg, ...obj }),
    };
    const store = await openStore({ dataDir, log, sqliteFileCheckMs: 50 });
    try {
      const { stackId } = await store.seedFirstStart();
      await store.projects.create(stackId, 'before');
      const wal = join(dataDir, 'stampede.db-wal');
      unlinkSync(wal);
      await store.projects.create(stackId, 'after the deletion');

      await until(() => logs.some((l) => l.level === 'info'), 3_000);
      expect(logs).toEqual([
        expect.objectContaining({ level: 'error', file: wal, msg: expect.stringContaining(`The SQLite write-ahead log ${wal} was deleted or replaced while the server had it open`) }),
        expect.objectContaining({ level: 'info', file: wal, msg: expect.stringContaining('nothing was lost') }),
      ]);
      await store.projects.create(stackId, 'after the repair');
      expect(existsSync(wal)).toBe(true);
      expect(namesAfterKill(dataDir)).toEqual(expect.arrayContaining(['before', 'after the deletion', 'after the repair']));
    } finally {
      await store.close();
    }
  });

  it('says nothing while the files are the ones it opened', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stampede-wal-kept-'));
    dirs.push(dataDir);
    const logs: string[] = [];
    const store = await openStore({ dataDir, log: { info: (_o, msg) => logs.push(msg), error: (_o, msg) => logs.push(msg) }, sqliteFileCheckMs: 20 });
    try {
      const { stackId } = await store.seedFirstStart();
      for (let i = 0; i < 10; i++) {
        await store.projects.create(stackId, `p${i}`);
        await new Promise((r) => setTimeout(r, 15));
      }
      expect(logs).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
