// k6's global (persistent) flags before the command, `stampede version`, the help's examples and the
// summary-mode check, as a user runs them: the real binary, its exit code, stdout and stderr.
import { execFile } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, scratchCli } from './scripts/cli-process.ts';

const { dir, stampede, file, remove } = scratchCli('stampede-global-flags-');
afterAll(remove);

describe('k6 global flags before the command (internal/cmd/root.go persistent flags)', () => {
  it('`stampede --quiet run -` with a silent handleSummary prints nothing at all (k6 TestStdoutAndStderrAreEmptyWithQuietAndHandleSummary)', async () => {
    const r = await runCli(['--quiet', 'run', '--workers', '1', '-'], {
      cwd: dir,
      stdin: 'export default function () {}\nexport function handleSummary() { return {}; }\n',
    });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('-v, --no-color, --log-output, --log-format, -c before `run` act as after it', async () => {
    const script = file('debug.js', `export const options = { iterations: 2 };
export default function () { console.debug('debug ' + __VU); }\n`);
    file('two-vus.json', JSON.stringify({ vus: 2 }));
    const r = await stampede(['-v', '--no-color', '--log-output=file=app.log', '--log-format', 'raw', '-c', 'two-vus.json', '-q', 'run', '--summary-mode=disabled', '--workers', '1', script]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    const lines = readFileSync(path.join(dir, 'app.log'), 'utf8').trim().split('\n');
    // -v lets console.debug through; -c gave 2 VUs; raw format, the file from --log-output.
    expect(lines.filter((l) => l.startsWith('debug ')).sort()).toEqual(['debug 1', 'debug 2']);
  });

  it('-a before `run` starts the REST API (-v logs it); before `stats` it is the address read', async () => {
    const script = file('api.js', 'export default function () {}\n');
    const run = await stampede(['-a', '127.0.0.1:0', '-v', 'run', '-q', '--summary-mode=disabled', '--workers', '1', script]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Starting the REST API server on 127.0.0.1:0');

    const stats = await stampede(['-a', '127.0.0.1:1', 'stats']);
    expect(stats.code).toBe(255);
    expect(stats.stderr).toContain('Get \\"http://127.0.0.1:1/v1/metrics\\": dial tcp 127.0.0.1:1: connect: connection refused');
  });

  it('-c and --log-format before `archive` apply to it', async () => {
    const script = file('arch.js', 'export default function () {}\n');
    file('vus.json', JSON.stringify({ vus: 3, duration: 'x' }));
    const r = await stampede(['-c', 'vus.json', '--log-format', 'json', 'archive', '-O', 'a.tar', script]);
    // The file's bad duration is the config file's problem (104), logged as JSON.
    expect(r.code).toBe(104);
    expect(JSON.parse(r.stderr.trim().split('\n')[0] ?? '') as { level: string }).toMatchObject({ level: 'error' });
  });

  it('an unknown flag before the command, or an unknown command, exits 255, as cobra does for k6', async () => {
    const r = await stampede(['--no-such-flag', 'run', 'x.js']);
    expect(r.code).toBe(255);
    expect(r.stderr).toContain("unknown option '--no-such-flag'");
    const command = await stampede(['-q', 'nosuch']);
    expect(command.code).toBe(255);
    expect(command.stderr).toContain("unknown command 'nosuch'");
  });

  it('without a command (global flags alone too) the help goes to stdout, exit 0, as k6 prints its usage (TestBinaryNameStdout)', async () => {
    for (const args of [[], ['-q'], ['help'], ['--help']]) {
      const r = await stampede(args);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('Usage: stampede [options] [command]');
      // k6's root help (TestRootCommand, TestRootCommandHelpDisplayCommands): new, run and cloud first as
      // "Core Commands", the rest as "Additional Commands", and how to get a command's help.
      expect(r.stdout).toMatch(/\nCore Commands:\n {2}new .*\n(?: {3,}.*\n)* {2}run .*\n(?: {3,}.*\n)* {2}cloud .*\n(?: {3,}.*\n)*\nAdditional Commands:\n {2}archive /);
      expect(r.stdout).toMatch(/\n {2}inspect .*\n(?: {3,}.*\n)* {2}deps /);
      expect(r.stdout).toContain('Use "stampede [command] --help" for more information about a command.');
    }
  });
});

describe('stampede version (k6 internal/cmd/version.go)', () => {
  it('`version` and `--version` print the k6 version Stampede reproduces first, then Stampede\'s with the Node.js version, OS and arch; --json the same as JSON', async () => {
    // CI tools read the first vX.Y.Z of `k6 version` to choose their k6 command lines
    // (grafana/run-k6-action: below 0.54 it runs `k6 run --out=cloud`, which Stampede does not offer).
    const expected = `k6 v2.2.0 (stampede v0.1.0, node ${process.version}, ${process.platform}/${process.arch})\n`;
    expect(/v(\d+\.\d+\.\d+)/.exec(expected)?.[1]).toBe('2.2.0');
    for (const args of [['version'], ['--version'], ['-q', 'version']]) {
      const r = await stampede(args);
      expect(r).toEqual({ code: 0, stdout: expected, stderr: '' });
    }
    const json = await stampede(['version', '--json']);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(`${JSON.stringify({ node_arch: process.arch, node_os: process.platform, node_version: process.version, stampede_version: 'v0.1.0', version: 'v2.2.0' })}\n`);
  });
});

describe('help texts', () => {
  it("run, archive and cloud run show usage examples, and every command's help lists the global flags", async () => {
    const run = await stampede(['help', 'run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Examples:\n  # Run a single VU, once.\n  $ stampede run script.js\n');
    expect(run.stdout).toContain('$ stampede run -i 10 script.js');
    expect(run.stdout).toMatch(/Global Options:\n(?:.*\n)*\s+-q, --quiet/);
    const archive = await stampede(['archive', '--help']);
    expect(archive.stdout).toContain('$ stampede archive -u 10 -d 10s -O myarchive.tar script.js');
    const cloudRun = await stampede(['cloud', 'run', '--help']);
    expect(cloudRun.stdout).toContain('$ stampede cloud run script.js');
  });
});

describe('--summary-mode', () => {
  it("an unknown mode is k6's bare error before the script is read (255)", async () => {
    const r = await stampede(['run', '--summary-mode=unknown', '-']);
    expect(r.code).toBe(255);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^time="[^"]+" level=error msg="invalid summary mode"\n$/);
    const env = await stampede(['run', 'missing.js'], { K6_SUMMARY_MODE: 'legacy' });
    expect(env.code).toBe(255);
    expect(env.stderr).toContain('msg="invalid summary mode"');
  });
});

describe('stampede completion (k6\'s cobra completion command)', () => {
  it('bash: the sourced script completes commands, subcommands and flags through `stampede __complete`', async () => {
    // `stampede` on PATH, as an installed CLI is.
    chmodSync(file('stampede', `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin/stampede.js')}" "$@"\n`), 0o755);
    const complete = (words: string[]) => `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _stampede; echo "[\${COMPREPLY[*]}]"`;
    const script = ['source <(stampede completion bash)', complete(['stampede', 'clo']), complete(['stampede', 'cloud', '']), complete(['stampede', 'run', '--no-t'])].join('\n');
    const out = await new Promise<string>((resolve, reject) => {
      execFile('bash', ['-c', script], { cwd: dir, env: { PATH: `${dir}:${process.env.PATH ?? ''}` } }, (err, stdout) => (err === null ? resolve(stdout) : reject(err)));
    });
    expect(out.split('\n')).toEqual(['[cloud]', '[run upload login project test load-zone]', '[--no-teardown --no-thresholds]', '']);
    const zsh = await stampede(['completion', 'zsh']);
    expect(zsh.code).toBe(255);
    expect(zsh.stderr).toContain('unsupported shell "zsh"');
  });
});
