// A kill -9 of the process holding the SQLite store must neither corrupt the file nor lose a write
// the store had acknowledged.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './open-store.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'stampede-durable-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('sqlite durability', () => {
  it('keeps every acknowledged write after SIGKILL', async () => {
    const child = spawn(process.execPath, [resolve('bin/run-ts.js'), resolve('src/store/sqlite-durability.fixture.ts'), dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`child made no progress: ${stderr}`)), 30_000);
      let buffer = '';
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) acked.push(Number(line.slice(4)));
        if (acked.length >= 25) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          done();
        }
      });
      child.on('exit', (code) => {
        if (acked.length < 25) {
          clearTimeout(timer);
          fail(new Error(`child exited early (${code}): ${stderr}`));
        }
      });
    });
    await new Promise((r) => child.once('exit', r));

    const raw = new Database(join(dataDir, 'stampede.db'));
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    const store = await openStore({ dataDir });
    try {
      for (const id of acked) expect((await store.testRuns.getById(id))?.status).toBe('queued');
    } finally {
      await store.close();
    }
  }, 60_000);
});
