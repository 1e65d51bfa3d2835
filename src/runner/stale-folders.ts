// The folders a server makes in the temp folder for its runners: each runner's private folder
// (`stampede-run-…`, up to STAMPEDE_RUNNER_DISK_MB of whatever the script wrote) and the transpile cache
// (`stampede-runner-cache-…`, about 10 MB). The server removes them when a runner exits and when it
// exits itself; a server that is killed (SIGKILL, the OOM killer, a stop timing out) cannot, so their
// names carry the creating process's pid and the next server on the machine removes the folders of
// pids that no longer run. A folder whose pid runs (this process's own, another server's, or a reused
// pid) is left alone, and so is any folder named otherwise.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const RUN_FOLDER_PREFIX = 'stampede-run-';
export const CACHE_FOLDER_PREFIX = 'stampede-runner-cache-';

/** The mkdtemp prefix of a folder owned by `pid`: `<base><pid>-` (mkdtemp appends six characters). */
export function ownedFolderPrefix(base: string, pid: number = process.pid): string {
  return `${base}${pid}-`;
}

const OWNED = new RegExp(`^(?:${RUN_FOLDER_PREFIX}|${CACHE_FOLDER_PREFIX})(\\d+)-[A-Za-z0-9]{6}$`);

/** The pid in a folder name made with ownedFolderPrefix, or null for any other name. */
export function folderOwner(name: string): number | null {
  const m = OWNED.exec(name);
  if (m === null) return null;
  const pid = Number(m[1]);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

export function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the runner folders in `root` whose creating process no longer runs; resolves with their names. */
export async function removeStaleRunnerFolders(root: string, runs: (pid: number) => boolean = pidRuns): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  const stale = names.filter((name) => {
    const pid = folderOwner(name);
    return pid !== null && pid !== process.pid && !runs(pid);
  });
  await Promise.all(stale.map((name) => rm(join(root, name), { recursive: true, force: true }).catch(() => {})));
  return stale;
}

const swept = new Map<string, Promise<unknown>>();

/** removeStaleRunnerFolders once per folder per process (before its first runner starts). */
export function removeStaleRunnerFoldersOnce(root: string): Promise<unknown> {
  let done = swept.get(root);
  if (done === undefined) {
    done = removeStaleRunnerFolders(root).catch(() => []);
    swept.set(root, done);
  }
  return done;
}
