// `stampede run --secret-source …` as a user runs it (k6's global flag, repeatable).
import { describe, expect, it } from 'vitest';
import { runCli, type CliRun } from './scripts/cli-process.ts';

const stampede = (args: string[]): Promise<CliRun> => runCli(args);

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
