// Test support for the client commands: a real server listening on 127.0.0.1 over a fresh SQLite store
// (its RunControl starts nothing: these tests never start or abort a run), and a runner for one
// command line that returns what the command printed on stdout.
import { Command } from 'commander';
import { vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, serverConfig } from '../server/index.ts';
import { createOrchestrator, type Orchestrator } from '../orchestrator/index.ts';
import type { RunControl } from '../server/index.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/index.ts';

const noRuns: RunControl = {
  start: () => Promise.reject(new Error('unused')),
  abort: () => Promise.reject(new Error('unused')),
  inspectScript: () => Promise.reject(new Error('unused')),
  planOptions: () => Promise.reject(new Error('unused')),
};

export interface CliTestServer {
  readonly store: Store;
  readonly url: string;
  /** The temp folder holding the store; free for config files too. */
  readonly dir: string;
  /** The first start's admin token, its stack and default project. */
  readonly token: string;
  readonly stackId: number;
  readonly projectId: number;
  close(): Promise<void>;
}

/**
 * `runs: true` gives the server the real orchestrator, so uploaded scripts are inspected and started
 * runs execute in runner processes (keep them tiny and off the network).
 */
export async function startCliTestServer(opts: { runs?: boolean } = {}): Promise<CliTestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'stampede-cli-'));
  const store = await openStore({ dataDir: dir });
  const seeded = await store.seedFirstStart();
  let orchestrator: Orchestrator | undefined;
  if (opts.runs === true) {
    const quiet = { info: () => {}, warn: () => {}, error: () => {} };
    orchestrator = createOrchestrator({ store, config: { maxConcurrentRuns: 2, abortGraceMs: 5_000 }, log: quiet });
    await orchestrator.open();
  }
  const app = await buildApp({ store, runs: orchestrator ?? noRuns, config: serverConfig(), logger: false });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    store,
    url,
    dir,
    token: seeded.token ?? '',
    stackId: seeded.stackId,
    projectId: seeded.projectId,
    async close() {
      await app.close();
      await orchestrator?.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `stampede …args` with the commands `register` adds; what it wrote to stdout. Throws on usage errors. */
export async function runCommand(register: (program: Command) => void, args: readonly string[]): Promise<string> {
  const program = new Command().exitOverride();
  register(program);
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(['node', 'stampede', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}

/** The URL a spawned `stampede server` prints once it listens, read from its growing output. */
export function listeningUrl(output: () => string, timeoutMs: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`server did not start: ${output()}`)), timeoutMs);
    const check = (): void => {
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output());
      if (m?.[1]) {
        clearTimeout(deadline);
        resolve(m[1]);
      } else setTimeout(check, 50);
    };
    check();
  });
}
