// `stampede run --secret-source …` as a user runs it (k6's global flag, repeatable).
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function stampede(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/stampede.js'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('stampede run --secret-source', () => {
  it('takes file and mock sources (repeatable) for k6/secrets and redacts what the script got', async () => {
    const r = await stampede(['run', 'test/scripts/compat/secrets.js', '-q', '--workers', '1',
      '--secret-source=file=name=files,default,filename=test/scripts/fixtures/compat.secret', '--secret-source', 'mock=name=cli,cool=cli-secret']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/checks_succeeded\.+: 100\.00% 16 out of 16/);
    expect(r.stderr).toContain('default: ***SECRET_REDACTED***, cli: ***SECRET_REDACTED***');
    expect(r.stderr).not.toContain('cli-secret');
  });

  it("'cloud' is refused with k6's message and exit code 104", async () => {
    const r = await stampede(['run', 'test/scripts/compat/secrets.js', '--secret-source=cloud']);
    expect(r.code).toBe(104);
    expect(r.stderr).toContain("'cloud' is not a valid value for --secret-source");
  });
});
