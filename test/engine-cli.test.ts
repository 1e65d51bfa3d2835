// `stampede run` as a user runs it: the real binary, its exit code, stdout and stderr.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, type CliRun } from './scripts/cli-process.ts';


/** Runs the CLI; with `interrupts`, sends that many SIGINTs once the progress line shows the run going. */
function stampede(args: string[], interrupts = 0, stdin?: string, env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, {
    env,
    ...(stdin === undefined ? {} : { stdin }),
    during(child) {
      if (interrupts === 0) return;
      let sent = false;
      let stdout = '';
      child.stdout?.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (sent || !stdout.includes('running (')) return;
        sent = true;
        for (let i = 0; i < interrupts; i++) setTimeout(() => child.kill('SIGINT'), 500 + i * 200);
      });
    },
  });
}

describe('stampede run', () => {
  it("runs from a k6 TypeScript project's folder whatever its tsconfig.json says (paths without baseUrl used to crash the command)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stampede-tsconfig-'));
    try {
      writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'es5', paths: { 'utils/*': ['src/utils/*'] } } }));
      writeFileSync(path.join(dir, 'script.ts'), "export const options = { iterations: 2 };\nexport default function (): void {}\n");
      const r = await runCli(['run', '--workers', '2', 'script.ts'], { cwd: dir });
      expect(r.stderr).not.toContain('baseUrl');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/iterations\.+: 2 /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the script in the banner as it was given, as k6 prints its argument (./dist/x.js, an absolute path)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stampede-banner-'));
    try {
      writeFileSync(path.join(dir, 'x.js'), 'export const options = { iterations: 1 };\nexport default function () {}\n');
      const dotted = await runCli(['run', '--workers', '1', './x.js'], { cwd: dir });
      expect(dotted.code).toBe(0);
      expect(dotted.stdout).toContain('        script: ./x.js\n');
      const absolute = await runCli(['run', '--workers', '1', path.join(dir, 'x.js')], { cwd: tmpdir() });
      expect(absolute.code).toBe(0);
      expect(absolute.stdout).toContain(`        script: ${path.join(dir, 'x.js')}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

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

  it('`stampede run -` reads the script from stdin', async () => {
    const script = `import { check } from 'k6';\nexport const options = { iterations: 3 };\nexport default function () { check(__ITER, { 'from stdin': () => true }); }\n`;
    const r = await stampede(['run', '-', '-q', '--workers', '1'], 0, script);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/iterations\.+: 3 /);
    expect(r.stdout).toContain('✓ from stdin');
  });

  it('--out json writes NDJSON to stdout without a file name, and gzips a .gz file as k6 does', async () => {
    const toStdout = await stampede(['run', 'test/scripts/basic-iterations.js', '-q', '--no-summary', '--workers', '1', '-o', 'json']);
    expect(toStdout.code).toBe(0);
    const lines = toStdout.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; metric: string });
    expect(lines.filter((l) => l.type === 'Point' && l.metric === 'iterations')).toHaveLength(6);
    const dir = mkdtempSync(path.join(tmpdir(), 'stampede-json-'));
    try {
      const file = path.join(dir, 'out.json.gz');
      const r = await stampede(['run', 'test/scripts/basic-iterations.js', '-q', '--workers', '1', '-o', `json=${file}`]);
      expect(r.code).toBe(0);
      const text = gunzipSync(readFileSync(file)).toString('utf8');
      expect(text.split('\n').filter((l) => l.includes('"type":"Point"') && l.includes('"metric":"iterations"'))).toHaveLength(6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an --out file that cannot be created fails the run before it starts, exit 255, as k6 (TestJsonOutputFileError)', async () => {
    const json = await stampede(['run', 'test/scripts/basic-iterations.js', '--workers', '1', '-o', 'json=no-such-dir/out.json']);
    expect(json.code).toBe(255);
    expect(json.stderr).toContain('level=error msg="open no-such-dir/out.json: no such file or directory"');
    expect(json.stdout).not.toMatch(/TOTAL RESULTS|running \(/);
    const csv = await stampede(['run', 'test/scripts/basic-iterations.js', '-q', '--workers', '1', '-o', 'csv=no-such-dir/out.csv']);
    expect(csv.code).toBe(255);
    expect(csv.stderr).toContain("could not create the 'csv' output: open no-such-dir/out.csv: no such file or directory");
  });

  it('--out json and csv stream points to their files while the run goes, not only at its end', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stampede-stream-'));
    try {
      const json = path.join(dir, 'points.json');
      const csv = path.join(dir, 'points.csv');
      const script = path.join(dir, 'slow.js');
      writeFileSync(script, "import { sleep } from 'k6';\nexport const options = { vus: 1, duration: '5s' };\nexport default function () { sleep(0.1); }\n");
      // The fewest iterations each file was seen with, once it had any: a file written only at the end
      // would first be seen complete.
      const first = { json: 0, csv: 0 };
      const r = await runCli(['run', script, '-q', '--workers', '1', '-o', `json=${json}`, '-o', `csv=${csv}`], {
        during(child) {
          const poll = setInterval(() => {
            const count = (file: string, re: RegExp): number => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => re.test(l)).length : 0);
            if (first.json === 0) first.json = count(json, /^{"metric":"iterations","type":"Point"/);
            if (first.csv === 0) first.csv = count(csv, /^iterations,/);
          }, 100);
          child.on('close', () => clearInterval(poll));
        },
      });
      expect(r.code).toBe(0);
      const total = readFileSync(json, 'utf8').split('\n').filter((l) => /^{"metric":"iterations","type":"Point"/.test(l)).length;
      expect(total).toBeGreaterThan(30);
      // Iterations of the first seconds were on disk while the run still had seconds to go.
      expect(first.json).toBeGreaterThan(0);
      expect(first.json).toBeLessThan(total - 10);
      expect(first.csv).toBeGreaterThan(0);
      expect(first.csv).toBeLessThan(total - 10);
      expect(readFileSync(csv, 'utf8').split('\n').filter((l) => l.startsWith('iterations,'))).toHaveLength(total);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('K6_OUT and K6_SUMMARY_EXPORT stand for --out and --summary-export, as in k6', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stampede-env-'));
    try {
      const csv = path.join(dir, 'out.csv');
      const exported = path.join(dir, 'summary.json');
      const r = await stampede(['run', 'test/scripts/basic-iterations.js', '-q', '--workers', '1'], 0, undefined, { K6_OUT: `csv=${csv}`, K6_SUMMARY_EXPORT: exported });
      expect(r.code).toBe(0);
      expect(readFileSync(csv, 'utf8').split('\n').filter((l) => l.startsWith('iterations,'))).toHaveLength(6);
      expect((JSON.parse(readFileSync(exported, 'utf8')) as { metrics: { iterations: { count: number } } }).metrics.iterations.count).toBe(6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--no-color, K6_NO_COLOR or NO_COLOR (even empty) set handleSummary\'s data.options.noColor, as k6\'s global flags', async () => {
    const script = "export const options = { iterations: 1 };\nexport default function () {}\nexport function handleSummary(d) { return { stdout: `noColor=${d.options.noColor}\\n` }; }\n";
    const run = (args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string }> =>
      stampede(['run', '-', '-q', '--workers', '1', ...args], 0, script, env);
    expect((await run([])).stdout).toBe('noColor=false\n');
    expect((await run(['--no-color'])).stdout).toBe('noColor=true\n');
    expect((await run([], { K6_NO_COLOR: '1' })).stdout).toBe('noColor=true\n');
    expect((await run([], { NO_COLOR: '' })).stdout).toBe('noColor=true\n');
  });

  it('a handleSummary file in a folder that does not exist: k6\'s Go error text, the other outputs still written', async () => {
    const script = "export const options = { iterations: 1 };\nexport default function () {}\n" +
      "export function handleSummary() { return { stdout: 'kept\\n', 'no-such-dir-4c1e/raw.json': '{}' }; }\n";
    const r = await stampede(['run', '-', '-q', '--workers', '1'], 0, script);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('kept\n');
    expect(r.stderr).toContain(
      "error=\"Could not save some summary information:\\n\\t- could not open 'no-such-dir-4c1e/raw.json': open no-such-dir-4c1e/raw.json: no such file or directory\"",
    );
    expect(existsSync('no-such-dir-4c1e')).toBe(false);
  });


  it('no finished iteration and a crossed threshold: the warning, then the threshold error, then the summary (k6\'s cmd/run.go order)', async () => {
    const script = "import { sleep } from 'k6';\n" +
      "export const options = { scenarios: { s: { executor: 'constant-vus', vus: 1, duration: '1s', gracefulStop: '0s' } }, thresholds: { iterations: ['count>0'] } };\n" +
      'export default function () { sleep(3); }\n' +
      "export function handleSummary() { return { stderr: 'the summary\\n' }; }\n";
    const r = await stampede(['run', '-', '-q', '--workers', '1'], 0, script);
    expect(r.code).toBe(99);
    const lines = r.stderr.trim().split('\n').map((l) => l.replace(/^time="[^"]*" /, ''));
    expect(lines).toEqual([
      'level=warning msg="No script iterations fully finished, consider making the test duration longer"',
      'level=error msg="thresholds on metrics \'iterations\' have been crossed"',
      'the summary',
    ]);
  });
  it('options with a field k6 does not know: k6\'s warning, Go\'s decoding error in its error field', async () => {
    const script = 'export const options = { iterations: 1, vusMax: 2 };\nexport default function () {}\n';
    const r = await stampede(['run', '-', '-q', '--workers', '1'], 0, script);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('level=warning msg="There were unknown fields in the options exported in the script" error="json: unknown field \\"vusMax\\""');
  });

  it("warnings in k6's cmd/run.go order: the options' before the logo, the vu/iter threshold ones after it and before the execution description", () => {
    // Both streams on one pipe (a terminal's view): the order of the writes is kept.
    const script = "export const options = { iterations: 1, vusMax: 2, thresholds: { 'iterations{iter:0}': ['count>=0'] } };\nexport default function () {}\n";
    const r = spawnSync('sh', ['-c', `"${process.execPath}" bin/stampede.js run - --workers 1 2>&1`], {
      cwd: ROOT, input: script, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' },
    });
    expect(r.status).toBe(0);
    const at = (needle: string): number => {
      const i = r.stdout.indexOf(needle);
      expect(i, needle).toBeGreaterThanOrEqual(0);
      return i;
    };
    const unknown = at('There were unknown fields in the options exported in the script');
    const logo = at('Stampede  /');
    const cardinality = at("The high-cardinality 'iter' metric tag");
    const execution = at('     execution: local');
    expect(unknown).toBeLessThan(logo);
    expect(logo).toBeLessThan(cardinality);
    expect(cardinality).toBeLessThan(execution);
  });

  it('--no-usage-report, common in CI invocations of k6, is accepted (Stampede sends no usage report)', async () => {
    const r = await stampede(['run', 'test/scripts/per-vu-state.js', '-q', '--no-usage-report']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('unknown option');
  });

  it('an unknown flag exits 255 as k6 (cobra\'s error carries no exit code)', async () => {
    const r = await stampede(['run', 'test/scripts/per-vu-state.js', '--no-such-flag']);
    expect(r.code).toBe(255);
    expect(r.stderr).toContain("unknown option '--no-such-flag'");
  });

  it('an invalid flag exits 255 (k6 attaches no exit code to it) with the problem on stderr', async () => {
    const r = await stampede(['run', 'test/scripts/per-vu-state.js', '-q', '--duration', 'soon']);
    expect(r.code).toBe(255);
    expect(r.stderr).toContain('level=error msg="invalid argument \\"soon\\" for \\"-d, --duration\\" flag: time: invalid duration \\"soon\\""');
  });

  it('a module whose name the script builds at run time is loaded when required, in init and in the VUs, as in k6', async () => {
    const script = [
      "const name = ['k6', 'x', 'faker'].join('/');",
      'const atInit = require(name);',
      'export default function () {',
      "  if (atInit === null || typeof atInit !== 'object') throw new Error('no module at init');",
      '}',
    ].join('\n');
    const r = await stampede(['run', '-q', '-i', '2', '-'], 0, script);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/iterations\.+: 2 /);
  });

  it('an exception in init is logged as k6 logs a script exception (bundle.go instantiate): the stack, hint and source', async () => {
    const r = await stampede(['run', 'test/scripts/init-error.js', '-q']);
    expect(r.code).toBe(107);
    expect(r.stderr).toMatch(/level=error msg="Error: broken init\\n\\tat file:\/\/\/[^"]*init-error\.js:2:7" hint="script exception" source=stacktrace\n/);
  });

  it('the first Ctrl+C stops gracefully (summary printed) and exits 105', async () => {
    const started = Date.now();
    const r = await stampede(['run', 'test/scripts/long-running.js', '--workers', '1', '-e', 'BASE=http://127.0.0.1:9'], 1);
    expect(r.code).toBe(105);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.stdout).toContain('TOTAL RESULTS');
    expect(r.stderr).toContain("Stopping the test in response to the 'interrupt' signal");
  });

  it('a SIGTERM stops gracefully as Ctrl+C does, and every line names it as k6 does (\'terminated\')', async () => {
    const r = await runCli(['run', 'test/scripts/long-running.js', '--workers', '1', '-e', 'BASE=http://127.0.0.1:9'], {
      during(child) {
        let sent = false;
        child.stdout?.on('data', (c: Buffer) => {
          if (sent || !c.toString().includes('running (')) return;
          sent = true;
          setTimeout(() => child.kill('SIGTERM'), 300);
        });
      },
    });
    expect(r.code).toBe(105);
    expect(r.stdout).toContain('TOTAL RESULTS');
    expect(r.stderr).toContain("Stopping the test in response to the 'terminated' signal");
    expect(r.stderr).toContain("test run was aborted because k6 received a 'terminated' signal");
    expect(r.stderr).not.toContain('interrupt');
  });

  it('a second Ctrl+C exits 105 at once, without waiting for teardown', async () => {
    const started = Date.now();
    const r = await stampede(['run', 'test/scripts/slow-teardown.js', '--workers', '1'], 2);
    expect(r.code).toBe(105);
    expect(Date.now() - started).toBeLessThan(9000);
    expect(r.stdout).not.toContain('TOTAL RESULTS');
  });
});
