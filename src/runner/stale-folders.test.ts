import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnRunner } from './runner-process.ts';
import { folderOwner, removeStaleRunnerFolders } from './stale-folders.ts';

const FAKE_ENGINE = fileURLToPath(new URL('./test-support/fake-engine.ts', import.meta.url));

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid as number;
}

async function folder(root: string, name: string): Promise<string> {
  const path = join(root, name);
  await mkdir(path);
  await writeFile(join(path, 'data.bin'), Buffer.alloc(1024));
  return path;
}

describe('runner folders left by a killed server', () => {
  it('names its owner only in the form ownedFolderPrefix makes', () => {
    expect(folderOwner('stampede-run-1234-aB3xYz')).toBe(1234);
    expect(folderOwner('stampede-runner-cache-77-Qq0000')).toBe(77);
    expect(folderOwner('stampede-run-aB3xYz')).toBeNull();
    expect(folderOwner('stampede-run-12-abc')).toBeNull();
    expect(folderOwner('other-12-aB3xYz')).toBeNull();
  });

  it('removes the folders of pids that no longer run and keeps the rest', async () => {
    const root = await mkdtemp(join(tmpdir(), 'stale-folders-'));
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const dead = deadPid();
      const gone = [await folder(root, `stampede-run-${dead}-abcdef`), await folder(root, `stampede-runner-cache-${dead}-ABC123`)];
      const kept = [
        await folder(root, `stampede-run-${process.pid}-abcdef`),
        await folder(root, `stampede-run-${live.pid}-abcdef`),
        await folder(root, 'stampede-run-abcdef'),
        await folder(root, `unrelated-${dead}-abcdef`),
      ];
      const removed = await removeStaleRunnerFolders(root);
      expect(removed.sort()).toEqual(gone.map((p) => basename(p)).sort());
      for (const p of gone) expect(existsSync(p)).toBe(false);
      for (const p of kept) expect(existsSync(p)).toBe(true);
    } finally {
      live.kill('SIGKILL');
      await rm(root, { recursive: true, force: true });
    }
  });

  it('a server starting its first runner removes the run folders of a server that was killed, and names its own with its pid', async () => {
    const root = await mkdtemp(join(tmpdir(), 'stale-folders-'));
    try {
      const stale = await folder(root, `stampede-run-${deadPid()}-Zz9Zz9`);
      const runner = await spawnRunner({ engineModule: FAKE_ENGINE, tmpRoot: root });
      try {
        expect(basename(runner.workDir).startsWith(`stampede-run-${process.pid}-`)).toBe(true);
        expect(existsSync(stale)).toBe(false);
      } finally {
        runner.kill();
        await runner.exited;
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);
});
