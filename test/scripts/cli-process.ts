// `stampede <args>` as a user runs it: the real binary in a child process, with only PATH and the
// given environment; its exit code, stdout and stderr.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Working directory (default: the repository). */
  cwd?: string;
  env?: Record<string, string>;
  stdin?: string;
  /** Sees the live child and its output so far (to signal it, say). */
  during?: (child: ChildProcess, output: () => string) => void;
}

export function runCli(args: string[], opts: CliRunOptions = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/stampede.js'), ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', ...opts.env },
    });
    child.stdin.end(opts.stdin ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    opts.during?.(child, () => stdout + stderr);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A scratch directory for a CLI test file: `stampede(args)` runs there, `file(name, text)` writes a file
 * there and returns its path, `remove()` deletes it (call it from afterAll).
 */
export function scratchCli(prefix: string): {
  dir: string;
  stampede(args: string[], env?: Record<string, string>): Promise<CliRun>;
  file(name: string, text: string): string;
  remove(): void;
} {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return {
    dir,
    stampede: (args, env = {}) => runCli(args, { cwd: dir, env }),
    file(name, text) {
      const p = path.join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
