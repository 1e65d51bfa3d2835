// Vitest setup (vitest.config.ts setupFiles): after each test file, removes the runner transpile cache
// its worker process made (transpile-cache.ts). The cache is removed on the process's 'exit', which a
// server reaches after its SIGTERM shutdown; vitest's fork pool stops a worker with a bare SIGTERM, so
// the handler never ran and every worker that started a runner left a `stampede-runner-cache-<pid>-…`
// folder behind (the next runner start's stale-folder sweep was the only thing removing them).
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { CACHE_FOLDER_PREFIX, ownedFolderPrefix } from '../stale-folders.ts';

afterAll(async () => {
  const own = ownedFolderPrefix(CACHE_FOLDER_PREFIX);
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(own)).map((n) => rm(join(tmpdir(), n), { recursive: true, force: true })));
});
