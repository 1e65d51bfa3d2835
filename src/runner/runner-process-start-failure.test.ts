// A runner that cannot be started leaves no private folder behind (a busy server out of processes or
// descriptors would otherwise fill the temp folder, one `stampede-run-…` per attempt) and its failure
// rejects spawnRunner instead of ending the server with an unhandled 'error' event.
import type * as ChildProcess from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { spawnRunner } from './runner-process.ts';

const FAKE_ENGINE = fileURLToPath(new URL('./test-support/fake-engine.ts', import.meta.url));

// The program is swapped for one that does not exist: Node reports that as it does EAGAIN or EMFILE
// (no pid, then an 'error' event on the next tick).
const missingProgram = vi.hoisted(() => ({ on: false }));
vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof ChildProcess>();
  const spawn = (command: string, args: readonly string[], options: ChildProcess.SpawnOptions) =>
    actual.spawn(missingProgram.on ? '/nonexistent/stampede-no-such-node' : command, args, options);
  return { ...actual, spawn };
});

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'stampede-start-failure-'));
});
afterEach(async () => {
  missingProgram.on = false;
  await rm(root, { recursive: true, force: true });
});

describe('a runner that cannot be started', () => {
  it('rejects with the reason and removes its folder when the process cannot be created', async () => {
    missingProgram.on = true;
    await expect(spawnRunner({ engineModule: FAKE_ENGINE, tmpRoot: root })).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(root)).toEqual([]);
  });

  it('removes its folder when Node refuses the spawn outright', async () => {
    await expect(spawnRunner({ engineModule: FAKE_ENGINE, tmpRoot: root, env: { BROKEN: 'a\0b' } })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    expect(await readdir(root)).toEqual([]);
  });
});
