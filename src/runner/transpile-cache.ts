// A read-only cache of the project's TypeScript, transpiled once per orchestrator process with native
// esbuild, so a runner starts without transpiling hundreds of files in WebAssembly. Entries are keyed
// by path and exact source, so a stale entry is never used; runners may read the folder, never write.
import { transform } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheKey, transpileOptions } from './sandbox/transpile-options.mjs';
import { CACHE_FOLDER_PREFIX, ownedFolderPrefix, removeStaleRunnerFoldersOnce } from './stale-folders.ts';

let warmed: Promise<string | null> | null = null;

async function tsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map(async (e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  }));
  return nested.flat();
}

async function warm(srcDir: string): Promise<string> {
  // A killed server's cache (named with its pid) goes before this one is made (stale-folders.ts).
  await removeStaleRunnerFoldersOnce(tmpdir());
  const dir = mkdtempSync(join(tmpdir(), ownedFolderPrefix(CACHE_FOLDER_PREFIX)));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const files = await tsFiles(srcDir);
  for (let i = 0; i < files.length; i += 16) {
    await Promise.all(files.slice(i, i + 16).map(async (path) => {
      const source = await readFile(path, 'utf8');
      const out = await transform(source, transpileOptions(path));
      await writeFile(join(dir, cacheKey(path, source)), out.code);
    }));
  }
  return dir;
}

/**
 * The cache folder for runners, warmed on first use; null when warming failed (runners then
 * transpile everything themselves, only slower).
 */
export function runnerTranspileCache(srcDir: string): Promise<string | null> {
  warmed ??= warm(srcDir).catch(() => null);
  return warmed;
}
