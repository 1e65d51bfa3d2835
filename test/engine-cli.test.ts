// `stampede run` as a user runs it: the real binary, its exit code, stdout and stderr.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function stampede(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/stampede.js'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('stampede run', () => {
  it('runs a script, prints the banner, the plan and the summary, and exits 0', async () => {
    const r = await stampede(['run', 'test/scripts/basic-iterations.js', '--workers', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('scenarios: (100.00%) 1 scenario, 2 max VUs');
    expect(r.stdout).toContain('* default: 6 iterations shared among 2 VUs');
    expect(r.stdout).toMatch(/iterations\.+: 6 /);
    expect(r.stdout).toContain('✓ positive');
  });

  it('CLI flags override the script: -i and -u, with -e reaching __ENV', async () => {
    const r = await stampede(['run', 'test/scripts/per-vu-state.js', '-q', '--workers', '1', '-u', '2', '-i', '5', '-e', 'X=1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/iterations\.+: 5 /);
    expect(r.stdout).not.toContain('scenarios:');
  });

  it('invalid flags and options exit 104 with the problems on stderr', async () => {
    const r = await stampede(['run', 'test/scripts/per-vu-state.js', '-q', '--duration', 'soon']);
    expect(r.code).toBe(104);
    expect(r.stderr).toContain('invalid duration "soon"');
  });
});
