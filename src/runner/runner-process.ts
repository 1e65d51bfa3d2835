// Starting a runner process: Node's permission model (read only the project's code and the run's
// own folder, write only that folder, worker threads allowed, no child processes, no addons), an
// environment with nothing of the server's in it, and the protocol on stdio.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { lstat, mkdtemp, opendir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpuSeconds, openFileHandles, residentBytes } from './process-usage.ts';
import { encodeMessage, lineSplitter } from './protocol.ts';
import type { FromRunner, ToRunner } from './protocol.ts';
import { deniedTcpRules, DENIED_TCP_ENV } from './network-denial.ts';
import type { ServerEndpoint } from './network-denial.ts';
import { lineVerifier, newRunnerKey, RUNNER_KEY_ENV } from './signed-lines.ts';
import { ownedFolderPrefix, removeStaleRunnerFoldersOnce, RUN_FOLDER_PREFIX } from './stale-folders.ts';
import { runnerTranspileCache } from './transpile-cache.ts';

const RUNNER_DIR = dirname(fileURLToPath(import.meta.url));
/**
 * Longest runner line read (a busy run's metrics second is megabytes of JSON). A script holding its
 * runner's `process` can write to its stdout without ending a line; past this the bytes are dropped.
 */
export const MAX_RUNNER_LINE_BYTES = 128 * 1024 * 1024;
const REPO_ROOT = resolve(RUNNER_DIR, '..', '..');

export interface SpawnRunnerOptions {
  /** Where the run's private folder is created (default: the OS temp folder). */
  tmpRoot?: string;
  /** Test seam: a module exporting `loadTest`, used instead of the engine. Must live under src/. */
  engineModule?: string;
  /** Extra variables for the runner's environment (never the server's own). */
  env?: Record<string, string>;
  /** The server's own services (its database): the runner's threads cannot connect to them. */
  deniedEndpoints?: readonly ServerEndpoint[];
}

export interface RunnerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunnerHandle {
  readonly pid: number;
  /** The run's private folder; removed after the process exits. */
  readonly workDir: string;
  send(message: ToRunner): void;
  onMessage(listener: (message: FromRunner) => void): void;
  /** Resolves once the process has exited and its folder is gone. */
  readonly exited: Promise<RunnerExit>;
  kill(signal?: NodeJS.Signals): void;
  /** The last few KB the runner wrote to stderr, for diagnosing a crash. */
  stderrTail(): string;
  /** What the runner holds now: its resident memory (null where the OS does not tell) and its folder's disk use. */
  usage(): Promise<RunnerUsage>;
}

export interface RunnerUsage {
  memoryBytes: number | null;
  diskBytes: number;
  /** CPU seconds the runner has taken since it started (all its threads). */
  cpuSeconds: number | null;
  fileHandles: number | null;
}

/** Entries of a run folder looked at when measuring it. */
const MAX_MEASURED_ENTRIES = 10_000;

/**
 * The disk a folder takes (allocated blocks, so a sparse file counts what it really uses), walked
 * breadth-first. A folder tree of more than MAX_MEASURED_ENTRIES entries is not walked to its end:
 * it counts as infinitely large, past any disk limit (no test needs that many files in its run folder).
 */
export async function folderDiskBytes(root: string): Promise<number> {
  let bytes = 0;
  let seen = 0;
  const folders = [root];
  for (let folder = folders.shift(); folder !== undefined && seen <= MAX_MEASURED_ENTRIES; folder = folders.shift()) {
    try {
      for await (const entry of await opendir(folder)) {
        const path = join(folder, entry.name);
        if (++seen > MAX_MEASURED_ENTRIES) break;
        const st = await lstat(path).catch(() => null);
        if (st === null) continue;
        bytes += st.blocks * 512;
        if (st.isDirectory()) folders.push(path);
      }
    } catch {
      // gone meanwhile
    }
  }
  // Not read to the end (a script can make millions of files): past any limit.
  return seen > MAX_MEASURED_ENTRIES ? Number.POSITIVE_INFINITY : bytes;
}

/** The node arguments that confine a runner; exported so the sandbox rules are visible and tested. */
export function sandboxArgs(workDir: string, cacheDir: string | null = null): string[] {
  const readable = [join(REPO_ROOT, 'src'), join(REPO_ROOT, 'node_modules'), join(REPO_ROOT, 'bin'), join(REPO_ROOT, 'package.json'), workDir];
  // The permission model checks resolved paths: a symlinked node_modules (a git worktree sharing
  // another checkout's, a linked install) is read where it really lives.
  const modules = realNodeModules();
  if (modules !== null && modules !== join(REPO_ROOT, 'node_modules')) readable.push(modules);
  if (cacheDir !== null) readable.push(cacheDir);
  return [
    '--experimental-permission',
    ...readable.map((p) => `--allow-fs-read=${p}`),
    `--allow-fs-write=${workDir}`,
    '--allow-worker',
    '--no-warnings',
    // esbuild's WebAssembly build is large; optimising it in the background costs seconds of CPU at
    // every start on a busy machine, while the baseline tier transpiles our files just as well.
    '--liftoff-only',
    '--import', pathToFileURL(join(RUNNER_DIR, 'sandbox', 'loader-bootstrap.mjs')).href,
  ];
}

function realNodeModules(): string | null {
  try {
    return realpathSync(join(REPO_ROOT, 'node_modules'));
  } catch {
    return null;
  }
}

export async function spawnRunner(options: SpawnRunnerOptions = {}): Promise<RunnerHandle> {
  const cacheDir = await runnerTranspileCache(join(REPO_ROOT, 'src'));
  const root = options.tmpRoot ?? tmpdir();
  // Folders left by a server that was killed go before this one makes its first (stale-folders.ts).
  await removeStaleRunnerFoldersOnce(root);
  const workDir = await mkdtemp(join(root, ownedFolderPrefix(RUN_FOLDER_PREFIX)));
  const args = [...sandboxArgs(workDir, cacheDir), join(RUNNER_DIR, 'runner-main.ts')];
  const key = newRunnerKey();
  const denied = await deniedTcpRules(options.deniedEndpoints ?? []);
  const verify = lineVerifier(key);
  if (options.engineModule !== undefined) args.push(`--engine-module=${resolve(options.engineModule)}`);
  let child: ChildProcessWithoutNullStreams;
  try {
    child = spawn(process.execPath, args, {
      cwd: workDir,
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: workDir, TMPDIR: workDir, ...(cacheDir === null ? {} : { STAMPEDE_RUNNER_CACHE: cacheDir }), ...options.env, [DENIED_TCP_ENV]: JSON.stringify(denied), [RUNNER_KEY_ENV]: key },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (err) {
    // Refused outright (an invalid argument, or an errno Node throws: E2BIG, ENOMEM…): no process
    // will close, so the folder goes now.
    await rm(workDir, { recursive: true, force: true });
    throw err;
  }
  // A process that could not start (EAGAIN, EMFILE, ENOENT…) is reported by an 'error' event on the
  // next tick; without a listener that event (or a later one, a kill that failed) would end the server.
  const startFailure = new Promise<Error>((res) => child.once('error', res));
  child.on('error', () => {});
  const listeners: ((m: FromRunner) => void)[] = [];
  let stderr = '';
  child.stdout.on('data', lineSplitter((line) => {
    const message = verify(line);
    if (message !== null) for (const l of listeners) l(message);
  }, { maxLineBytes: MAX_RUNNER_LINE_BYTES }));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8192);
  });
  // A runner that exits closes its stdin; writes after that must not crash the orchestrator.
  child.stdin.on('error', () => {});
  const exited = new Promise<RunnerExit>((res) => {
    child.on('close', (code, signal) => {
      void rm(workDir, { recursive: true, force: true }).finally(() => res({ code, signal }));
    });
  });
  if (child.pid === undefined) {
    const err = await startFailure;
    await rm(workDir, { recursive: true, force: true });
    throw err;
  }
  return {
    pid: child.pid,
    workDir,
    send: (message) => {
      if (child.stdin.writable) child.stdin.write(encodeMessage(message));
    },
    onMessage: (listener) => {
      listeners.push(listener);
    },
    exited,
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    stderrTail: () => stderr,
    usage: async () => {
      const pid = child.pid ?? 0;
      const [memoryBytes, cpu, fileHandles, diskBytes] = await Promise.all([residentBytes(pid), cpuSeconds(pid), openFileHandles(pid), folderDiskBytes(workDir)]);
      return { memoryBytes, cpuSeconds: cpu, fileHandles, diskBytes };
    },
  };
}
