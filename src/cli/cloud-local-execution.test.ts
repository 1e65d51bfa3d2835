// `stampede cloud run --local-execution` against a real server on 127.0.0.1: the test runs here with
// Stampede's engine (output, summary and exit code of `stampede run`) and is recorded on the server
// through k6's provisioning flow; what a user then sees through the API is asserted.
import { Command } from 'commander';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCliTestServer, type CliTestServer } from './cli-server.test-helper.ts';
import { registerCloudCommands } from './cloud-commands.ts';
import type { CloudCommandHost } from './cloud-k6-commands.ts';
import { addGlobalFlags } from './global-flags.ts';
import { processIo } from './process-io.ts';

let server: CliTestServer;
let target: Server;
let targetUrl: string;
let hits = 0;
let work: string;
let loggedIn: Record<string, string>;

beforeAll(async () => {
  server = await startCliTestServer({ runs: true });
  target = createServer((_req, res) => {
    hits++;
    res.end('ok');
  });
  await new Promise<void>((ok) => target.listen(0, '127.0.0.1', ok));
  const address = target.address();
  targetUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`;
  work = mkdtempSync(join(tmpdir(), 'stampede-local-exec-'));
  loggedIn = { XDG_CONFIG_HOME: work, STAMPEDE_URL: server.url, K6_CLOUD_TOKEN: server.token, K6_CLOUD_STACK_ID: String(server.stackId) };
}, 60_000);

afterAll(async () => {
  await new Promise<void>((ok) => target.close(() => ok()));
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

interface Outcome { code: number; out: string; err: string }

/** `stampede …args`; `during` sees stdout as it grows while the command runs. */
async function stampede(args: string[], during?: (out: () => string) => Promise<void>): Promise<Outcome> {
  let out = '';
  let err = '';
  const host: CloudCommandHost = {
    io: () => processIo({
      env: { ...loggedIn },
      cwd: work,
      stdout: { write: (s) => void (out += s), isTTY: false },
      stderr: { write: (s) => void (err += s), isTTY: false },
    }),
    exit: () => {},
    onInterrupt: () => {},
    sleep: (ms) => new Promise((ok) => setTimeout(ok, ms)),
    pollMs: 100,
    readStdin: () => Promise.resolve(new Uint8Array()),
  };
  const program = new Command().exitOverride();
  addGlobalFlags(program);
  registerCloudCommands(program, host);
  process.exitCode = undefined;
  const running = program.parseAsync(['node', 'stampede', ...args]);
  await Promise.all([running, during?.(() => out)]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { code, out, err };
}

function script(name: string, source: string): string {
  const file = join(work, name);
  writeFileSync(file, source);
  return file;
}

const headers = (): Record<string, string> => ({ authorization: `Bearer ${server.token}`, 'x-stack-id': String(server.stackId) });

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`, { headers: headers() });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

/** The id of the run the client's output names, once the server has it running (up to 20 s). */
async function runningRunId(out: () => string): Promise<number> {
  let id = 0;
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    const m = /runs\/(\d+)\)/.exec(out());
    if (m !== null) {
      id = Number(m[1]);
      const run = await api<Run>(`/cloud/v6/test_runs/${id}`);
      if (run.status === 'running') break;
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return id;
}

/** A port nothing listens on now (the OS picks it), for the run's own -a address. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
  const { port } = probe.address() as AddressInfo;
  await new Promise((ok) => probe.close(ok));
  return port;
}

function runIdOf(out: string): number {
  const m = /output: cloud \(http:\/\/127\.0\.0\.1:\d+\/a\/k6-app\/runs\/(\d+)\)/.exec(out);
  expect(m, out).not.toBeNull();
  return Number(m?.[1]);
}

interface Run { status: string; result: string | null; status_details: { type: string; extra?: { code?: number; message?: string } | null }; status_history: Array<{ type: string }> }

const TEST = (thresholds: string, duration = '2s') => `import http from 'k6/http';
import { check, sleep } from 'k6';
export const options = { vus: 2, duration: '${duration}', thresholds: ${thresholds} };
export function setup() { console.log('hello from setup of run ' + __ENV.K6_CLOUDRUN_TEST_RUN_ID); }
export default function () {
  check(http.get(__ENV.TARGET), { 'status is 200': (r) => r.status === 200 });
  sleep(0.05);
}
`;

describe('stampede cloud run --local-execution', () => {
  it('runs the test here and records it on the server: completed, passed, per-second metrics, summary and archive', async () => {
    hits = 0;
    const file = script('local.js', TEST("{ checks: ['rate>0.99'], http_req_duration: ['p(95)<5000'] }"));
    const r = await stampede(['cloud', 'run', '--local-execution', '-e', `TARGET=${targetUrl}`, file]);
    expect(r.err).not.toContain('level=error');
    expect(r.code).toBe(0);
    // stampede run's banner and summary, with the run as the output
    expect(r.out).toMatch(/execution: local \(\d+ worker threads?\)/);
    expect(r.out).toContain('checks_succeeded');
    const id = runIdOf(r.out);
    expect(r.err).toContain(`hello from setup of run ${id}`);
    expect(hits).toBeGreaterThan(5);

    const run = await api<Run & { max_vus: number; options: Record<string, unknown> }>(`/cloud/v6/test_runs/${id}`);
    expect(run).toMatchObject({ status: 'completed', result: 'passed', max_vus: 2 });
    expect(run.status_history.map((s) => s.type)).toEqual(['created', 'queued', 'initializing', 'running', 'processing_metrics', 'completed']);
    expect(run.options).toMatchObject({ vus: 2, duration: '2s', thresholds: { checks: ['rate>0.99'], http_req_duration: ['p(95)<5000'] } });

    // every request, second by second, through the v5 metrics query API
    const range = await api<{ data: { result: Array<{ values: Array<[number, string]> }> } }>(
      `/cloud/v5/test_runs/${id}/query_range_k6(query='increase',metric='http_reqs',step=1)`,
    );
    const points = range.data.result[0]?.values ?? [];
    expect(points.length).toBeGreaterThanOrEqual(2);
    expect(points.reduce((a, [, v]) => a + Number(v), 0)).toBe(hits);

    const summary = await api<{ text: string; metrics: Record<string, { values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }> }>(`/cloud/v6/test_runs/${id}/summary`);
    expect(summary.metrics['http_reqs']?.values['count']).toBe(hits);
    // `runs summary` divides by the test run duration the local summary measured: the same rates.
    const rates = (text: string) => ['http_reqs', 'iterations'].map((m) => new RegExp(`^\\s*${m}\\.*: (.+)$`, 'm').exec(text)?.[1]?.trim());
    expect(rates(summary.text)).toEqual(rates(r.out));
    expect(rates(r.out).every((line) => line !== undefined && /\/s$/.test(line))).toBe(true);
    expect(summary.metrics['checks']?.values['rate']).toBe(1);
    expect(summary.metrics['http_req_duration']?.thresholds).toEqual({ 'p(95)<5000': { ok: true } });

    // the archive k6 uploads is the run's script
    const stored = await fetch(`${server.url}/cloud/v6/test_runs/${id}/script`, { headers: headers() });
    expect(stored.status).toBe(200);
    const tar = new Uint8Array(await stored.arrayBuffer());
    expect(new TextDecoder().decode(tar.subarray(257, 262))).toBe('ustar');
    expect(Buffer.from(tar).toString('latin1')).toContain("sleep(0.05)");

    // the engine log's lines were pushed as the run's logs, with k6's labels
    const logs = await api<{ value: Array<{ level: string; message: string; labels: Record<string, string> }> }>(`/cloud/v6/test_runs/${id}/logs`);
    expect(logs.value).toContainEqual(expect.objectContaining({ level: 'info', message: `hello from setup of run ${id}`, labels: expect.objectContaining({ source: 'console', test_run_id: String(id) }) }));

    // the load test is found by name the next time (409 on create), without an archive nor logs this time
    const again = await stampede(['cloud', 'run', '--local-execution', '--no-archive-upload', '--no-cloud-logs', '-e', `TARGET=${targetUrl}`, file]);
    expect(again.code, again.err).toBe(0);
    const second = runIdOf(again.out);
    const runs = await api<{ load_test_id: number }>(`/cloud/v6/test_runs/${second}`);
    expect(runs.load_test_id).toBe((await api<{ load_test_id: number }>(`/cloud/v6/test_runs/${id}`)).load_test_id);
    expect((await fetch(`${server.url}/cloud/v6/test_runs/${second}/script`, { headers: headers() })).status).toBe(404);
    expect(again.err).toContain(`hello from setup of run ${second}`);
    expect((await api<{ value: unknown[] }>(`/cloud/v6/test_runs/${second}/logs`)).value).toEqual([]);
  }, 60_000);

  it('exits 99 when thresholds fail, and the run ends completed with result failed', async () => {
    const file = script('failing.js', TEST("{ http_req_duration: ['p(95)<0.000001'] }", '1s'));
    const r = await stampede(['cloud', 'run', '--local-execution', '-e', `TARGET=${targetUrl}`, file]);
    expect(r.code).toBe(99);
    expect(r.err).toMatch(/thresholds on metrics 'http_req_duration' have been crossed/);
    const run = await api<Run>(`/cloud/v6/test_runs/${runIdOf(r.out)}`);
    expect(run).toMatchObject({ status: 'completed', result: 'failed' });
  }, 60_000);

  it('a run aborted from the API stays aborted; as k6, the local test goes on and logs the refused pushes', async () => {
    const file = script('aborted.js', TEST('{}', '4s'));
    let id = 0;
    const r = await stampede(['cloud', 'run', '--local-execution', '-e', `TARGET=${targetUrl}`, file], async (out) => {
      id = await runningRunId(out);
      const res = await fetch(`${server.url}/cloud/v6/test_runs/${id}/abort`, { method: 'POST', headers: headers() });
      expect(res.status).toBe(204);
    });
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/level=error msg="Failed to push metrics to the cloud" error="provisioning API error \(409\)/);
    const run = await api<Run>(`/cloud/v6/test_runs/${id}`);
    expect(run.status).toBe('aborted');
    expect(run.status_details.extra?.code).toBe(5);
  }, 60_000);

  it('a run stopped through the local REST API (PATCH /v1/status stopped) exits 103 and ends aborted by the user with k6\'s error', async () => {
    const file = script('stopped.js', TEST('{}', '20s'));
    // A port of its own in 127.0.0.1 (k6's -a); the test stops the run through it once it runs.
    const address = `127.0.0.1:${await freePort()}`;
    let id = 0;
    const r = await stampede(['cloud', 'run', '--local-execution', '-a', address, '-e', `TARGET=${targetUrl}`, file], async (out) => {
      id = await runningRunId(out);
      const res = await fetch(`http://${address}/v1/status`, { method: 'PATCH', body: JSON.stringify({ data: { attributes: { stopped: true } } }) });
      expect(res.status).toBe(200);
    });
    expect(r.code).toBe(103);
    const run = await api<Run>(`/cloud/v6/test_runs/${id}`);
    expect(run.status).toBe('aborted');
    expect(run.status_details.extra).toMatchObject({ code: 5, message: 'test run stopped from REST API' });
  }, 60_000);

  it('stops before the test when the server aborts the run at its start (a project limit)', async () => {
    await server.store.projects.updateLimits(server.stackId, server.projectId, { vu_max_per_test: 1 });
    try {
      const file = script('limited.js', TEST('{}', '1s'));
      const r = await stampede(['cloud', 'run', '--local-execution', '-e', `TARGET=${targetUrl}`, file]);
      expect(r.code).toBe(255);
      expect(r.err).toContain('archive present but provisioning API returned no upload URL; skipping archive upload');
      expect(r.err).toMatch(/could not create the cloud test run: wait for test run ready: test run aborted before starting: vu_max_per_test exceeded: the test needs 2 VUs, the project allows 1/);
      expect(r.out).not.toContain('checks_succeeded');
    } finally {
      await server.store.projects.updateLimits(server.stackId, server.projectId, { vu_max_per_test: null });
    }
  }, 60_000);
});
