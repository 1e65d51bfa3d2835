// `stampede run` with k6's config-file, logging, network and runtime flags, as a user runs it: the real
// binary, its exit code, stdout, stderr and the files it writes.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchCli } from './scripts/cli-process.ts';

const { dir, stampede, file, remove } = scratchCli('stampede-run-flags-');
afterAll(remove);

const read = (name: string): string => readFileSync(path.join(dir, name), 'utf8');

describe('stampede run -c/--config and K6_CONFIG', () => {
  it('the file is the lowest tier: its vus apply, the script and flags win; a missing or bad file exits 104', async () => {
    const script = file('config.js', `export const options = { iterations: 4 };
export default function () { console.log('vu=' + __VU); }\n`);
    file('k6.json', JSON.stringify({ vus: 2, iterations: 99, out: ['json=points.json'], collectors: { cloud: { token: 't' } } }));
    const r = await stampede(['run', script, '-c', 'k6.json', '-q', '--no-summary', '--workers', '1', '--log-format', 'raw']);
    expect(r.code).toBe(0);
    // vus 2 from the file, iterations 4 from the script.
    expect(r.stderr.trim().split('\n').sort()).toEqual(['vu=1', 'vu=1', 'vu=2', 'vu=2']);
    // The file's `out` is used when neither -o nor K6_OUT gives an output (k6 Config.Out).
    expect(read('points.json').split('\n').filter((l) => l.includes('"type":"Point"') && l.includes('"metric":"iterations"'))).toHaveLength(4);

    const env = await stampede(['run', script, '-q', '--no-summary', '--workers', '1', '--log-format', 'raw', '-u', '1'], { K6_CONFIG: path.join(dir, 'k6.json') });
    expect(env.stderr.trim().split('\n')).toEqual(['vu=1', 'vu=1', 'vu=1', 'vu=1']);

    const missing = await stampede(['run', script, '--config', 'nope.json', '-q']);
    expect(missing.code).toBe(104);
    expect(missing.stderr).toContain('failed to load the configuration file from the local file system: stat nope.json: no such file or directory');
  });
});

describe('stampede run --console-output, --log-output, --log-format', () => {
  it("VUs' console lines go to the console file; the log (json) to its file; nothing on stderr", async () => {
    const script = file('console.js', `console.log('init ' + __VU);
export const options = { iterations: 1 };
export default function () { console.warn('iteration <1>'); }\n`);
    file('console.log', 'kept\n');
    const r = await stampede(['run', script, '-q', '--no-summary', '--workers', '1', '--console-output', 'console.log', '--log-output', 'file=app.log', '--log-format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    // Appended, in the log's format, without source=console (k6 newFileConsole).
    const consoleLines = read('console.log').trim().split('\n');
    expect(consoleLines[0]).toBe('kept');
    const entries = consoleLines.slice(1).map((l) => JSON.parse(l) as Record<string, string>);
    expect(entries.map((e) => [e.level, e.msg])).toEqual([['info', 'init 1'], ['warning', 'iteration <1>']]);
    expect(entries.every((e) => e.source === undefined)).toBe(true);
    // VU 0 reads the options before the file is open: its init line stays in the log.
    const log = read('app.log').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(log).toContainEqual(expect.objectContaining({ level: 'info', msg: 'init 0', source: 'console' }));

    const bad = await stampede(['run', script, '--log-output', 'file']);
    expect(bad.code).toBe(255);
    expect(bad.stderr).toContain('error while parsing logfile configuration key `file` with no value');
  });
});

describe('stampede run --blacklist-ip, --block-hostnames, --local-ips', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((req, res) => res.end(req.socket.remoteAddress));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('blocked hostnames fail with 1111 and blacklisted IPs with 1110; a bad range is k6 error, exit 255', async () => {
    const script = file('blocked.js', `import http from 'k6/http';
export default function () {
  console.log(http.get('http://api.blocked.test/').error_code + ' ' + http.get('http://127.0.0.1:${port}/').error_code);
}\n`);
    const r = await stampede(['run', script, '-q', '--no-summary', '--workers', '1', '--log-format', 'raw', '--block-hostnames', '*.blocked.test', '--blacklist-ip', '10.0.0.0/8,127.0.0.0/8']);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('1111 1110');
    const bad = await stampede(['run', script, '--blacklist-ip', '127.0.0.1']);
    expect(bad.code).toBe(255);
    expect(bad.stderr).toContain("error parsing blacklist-ip '127.0.0.1': invalid CIDR address: 127.0.0.1");
  });

  it('each VU dials from its address of the pool, round robin by VU id (K6_LOCAL_IPS too)', async () => {
    const script = file('local-ips.js', `import http from 'k6/http';
export const options = { vus: 3, iterations: 3 };
export default function () { console.log(__VU + ' ' + http.get('http://127.0.0.1:${port}/').body); }\n`);
    const r = await stampede(['run', script, '-q', '--no-summary', '--workers', '2', '--log-format', 'raw', '--local-ips', '127.0.0.2-127.0.0.3']);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n').sort()).toEqual(['1 127.0.0.2', '2 127.0.0.3', '3 127.0.0.2']);
    const env = await stampede(['run', script, '-q', '--no-summary', '--workers', '1', '--log-format', 'raw', '-u', '1', '-i', '1'], { K6_LOCAL_IPS: '127.0.0.4' });
    expect(env.stderr.trim()).toBe('1 127.0.0.4');
  });
});

describe('stampede run runtime flags', () => {
  it('--compatibility-mode base has no `global`, extended (default) has it; another mode exits 255', async () => {
    const script = file('global.js', `export const options = { iterations: 1 };
export default function () { console.log(typeof global); }\n`);
    const base = await stampede(['run', script, '-q', '--no-summary', '--workers', '1', '--log-format', 'raw', '--compatibility-mode', 'base']);
    expect(base.stderr.trim()).toBe('undefined');
    const extended = await stampede(['run', script, '-q', '--no-summary', '--workers', '1', '--log-format', 'raw'], { K6_COMPATIBILITY_MODE: 'extended' });
    expect(extended.stderr.trim()).toBe('object');
    const bad = await stampede(['run', script, '--compatibility-mode', 'es6']);
    expect(bad.code).toBe(255);
    expect(bad.stderr).toContain('invalid compatibility mode \\"es6\\". Use: \\"extended\\", \\"base\\", \\"experimental_enhanced\\"');
  });

  it('--compatibility-mode experimental_enhanced: the deprecation is logged before the script loads, also when its init fails', async () => {
    const script = file('enhanced.ts', `const users: string[] = JSON.parse(open('./users.json'));
console.log('init ' + users.length);
export default function (): void {}\n`);
    const run = (): ReturnType<typeof stampede> => stampede(['run', script, '-q', '--no-summary', '--workers', '1', '--log-format', 'raw', '--compatibility-mode', 'experimental_enhanced']);
    const deprecation = 'CompatibilityMode "experimental_enhanced" is deprecated. Types are stripped by default for `.ts` files. '
      + 'Please move to using "base" instead as "experimental_enhanced" will be removed in the future';
    // k6 (test_load.go loadLocalTestWithoutRunner) warns before it reads the test: first, and when the init then fails.
    const failed = await run();
    expect(failed.code).toBe(107);
    expect(failed.stderr.split('\n')[0]).toBe(deprecation);
    expect(failed.stderr).toContain('users.json: no such file or directory');
    file('users.json', '["a", "b"]');
    const ok = await run();
    expect(ok.code).toBe(0);
    expect(ok.stderr.split('\n').slice(0, 2)).toEqual([deprecation, 'init 2']);
  });

  it('-t archive on a script, --traces-output otel: errors, exit 255; the other accepted flags run', async () => {
    const script = file('plain.js', 'export default function () {}\n');
    const forced = await stampede(['run', script, '-t', 'archive']);
    expect(forced.code).toBe(255);
    expect(forced.stderr).toContain("could not load test archive bundle '");
    const traces = await stampede(['run', script, '--traces-output', 'otel=localhost:4317']);
    expect(traces.code).toBe(255);
    expect(traces.stderr).toContain('Stampede does not export traces');
    const accepted = await stampede(['run', script, '-q', '--no-summary', '--workers', '1', '-t', 'js', '--traces-output', 'none', '--profiling-enabled']);
    expect(accepted.code).toBe(0);
    expect(accepted.stderr).toContain('Profiling is enabled but no REST API server is running');
  });

  it('--new-machine-readable-summary: handleSummary gets, and --summary-export writes, the machine-readable summary', async () => {
    const script = file('machine.js', `import { check } from 'k6';
export const options = { iterations: 2 };
export default function () { check(1, { 'is one': (v) => v === 1 }); }
export function handleSummary(data) {
  return { stdout: [data.version, data.config.execution, data.metadata.k6_version, data.results.checks.results[0].name, data.results.metrics.map((m) => m.name).join(',')].join('|') + '\\n' };
}\n`);
    const r = await stampede(['run', script, '-q', '--workers', '1', '--new-machine-readable-summary', '--summary-export', 'export.json']);
    expect(r.code).toBe(0);
    // A sub-second run: no vus/vus_max (k6 emits them on 1 s ticks only).
    expect(r.stdout.trim()).toBe('1.0.0|local|2.2.0|is one|iteration_duration,iterations,data_received,data_sent');
    const exported = JSON.parse(read('export.json')) as { version: string; results: { checks: { metrics: Array<{ name: string; values: unknown }> } } };
    expect(exported.version).toBe('1.0.0');
    expect(exported.results.checks.metrics[0]).toEqual({ contains: 'default', name: 'checks_total', type: 'counter', values: { count: 2 } });
    expect(read('export.json')).toMatch(/^\{\n {4}"config": \{/);
    const legacy = await stampede(['run', script, '-q', '--workers', '1'], { K6_NEW_MACHINE_READABLE_SUMMARY: 'maybe' });
    expect(legacy.code).toBe(255);
    expect(legacy.stderr).toContain("env var 'K6_NEW_MACHINE_READABLE_SUMMARY' is not a valid boolean value");
  });

  it('K6_NO_USAGE_REPORT and K6_LINGER are null.Bools as in k6: true, false, empty run; another value exits 104', async () => {
    const script = file('usage.js', 'export default function () {}\n');
    for (const env of [{ K6_NO_USAGE_REPORT: 'true', K6_LINGER: '' }, { K6_NO_USAGE_REPORT: 'false', K6_LINGER: 'false' }]) {
      const r = await stampede(['run', script, '-q', '--no-summary', '--workers', '1'], env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const bad = await stampede(['run', script, '-q', '--workers', '1'], { K6_NO_USAGE_REPORT: '1' });
    expect(bad.code).toBe(104);
    expect(bad.stderr).toContain("envconfig.Process: assigning K6_NO_USAGE_REPORT to NoUsageReport: converting '1' to type null.Bool. details: invalid input:1");
    const linger = await stampede(['run', script, '-q', '--workers', '1'], { K6_LINGER: 'yes' });
    expect(linger.code).toBe(104);
    expect(linger.stderr).toContain("assigning K6_LINGER to Linger: converting 'yes' to type null.Bool");
  });
});
