// A damaged SQLite file (overwritten, truncated) stops the server at start with a message naming the
// file and what to do, instead of "Database migration failed" or SQLite's bare "file is not a database".
// Found by the dependency-failure QA pass (test/dependency-failure-qa.md).
import { closeSync, mkdtempSync, openSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from './open-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function storedDir(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stampede-damaged-'));
  dirs.push(dataDir);
  const store = await openStore({ dataDir });
  await store.seedFirstStart();
  await store.close();
  return dataDir;
}

async function startError(dataDir: string): Promise<string> {
  const err = await openStore({ dataDir }).then(
    async (s) => {
      await s.close();
      return null;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return (err as Error).message;
}

describe('openStore on a damaged SQLite file', () => {
  it('names the file and says what to do when it is not a database at all', async () => {
    const dataDir = await storedDir();
    const fd = openSync(join(dataDir, 'stampede.db'), 'r+');
    writeSync(fd, Buffer.alloc(100, 0x5a), 0, 100, 0);
    closeSync(fd);
    const message = await startError(dataDir);
    expect(message).toContain(`${join(dataDir, 'stampede.db')} is damaged (file is not a database)`);
    expect(message).toMatch(/restore it .* from a backup/);
  });

  it('says so for pages overwritten in the middle (what SQLite found in the message)', async () => {
    const dataDir = await storedDir();
    const file = join(dataDir, 'stampede.db');
    const fd = openSync(file, 'r+');
    const size = statSync(file).size;
    writeSync(fd, Buffer.alloc(Math.min(4 * 4096, size - 3 * 4096), 0xa5), 0, Math.min(4 * 4096, size - 3 * 4096), 3 * 4096);
    closeSync(fd);
    expect(await startError(dataDir)).toMatch(/is damaged \(.+\): restore it/);
  });

  it('says so for a truncated file', async () => {
    const dataDir = await storedDir();
    const file = join(dataDir, 'stampede.db');
    truncateSync(file, Math.floor(statSync(file).size / 2));
    expect(await startError(dataDir)).toMatch(/is damaged \(database disk image is malformed\)/);
  });

  it('still starts on an empty file (a new store)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stampede-damaged-'));
    dirs.push(dataDir);
    writeFileSync(join(dataDir, 'stampede.db'), '');
    const store = await openStore({ dataDir });
    await store.close();
  });
});
