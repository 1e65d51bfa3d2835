// k6's local REST API as a user drives it: `stampede run -a 127.0.0.1:PORT --paused`, then curl-like
// requests to /v1/status, /v1/metrics, /v1/groups and /v1/setup, `--linger`, and `stampede stats`.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type Target } from './scripts/engine-harness.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const HTTP_SCRIPT = `
import http from 'k6/http';
import { check, group } from 'k6';
export const options = { vus: 2, iterations: 4, thresholds: { http_req_duration: ['p(95)<10000'] } };
export function setup() { return { from: 'setup' }; }
export default function () {
  group('front', () => {
    check(http.get(__ENV.TARGET), { 'is 200': (r) => r.status === 200 });
  });
}
`;

const LONG_SCRIPT = `
import { sleep } from 'k6';
export const options = { vus: 1, duration: '60s' };
export default function () { sleep(0.1); }
`;

interface Child {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly out: { stdout: string; stderr: string };
  readonly exited: Promise<number | null>;
}

function run(args: string[], script: string, env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, [path.join(ROOT, 'bin/stampede.js'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
  proc.stdin.end(script);
  const out = { stdout: '', stderr: '' };
  proc.stdout.on('data', (c: Buffer) => (out.stdout += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (out.stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('close', resolve));
  return { proc, out, exited };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface StatusAttributes {
  status: number;
  paused: boolean;
  vus: number;
  'vus-max': number;
  stopped: boolean;
  running: boolean;
  tainted: boolean;
}

async function api(base: string, method: string, p: string, body?: unknown): Promise<{ status: number; json: unknown; text: string }> {
  const res = await fetch(`${base}${p}`, { method, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

async function statusOf(base: string): Promise<StatusAttributes> {
  const r = await api(base, 'GET', '/v1/status');
  return (r.json as { data: { attributes: StatusAttributes } }).data.attributes;
}

describe('stampede run --address (k6 REST API)', () => {
  let target: Target;
  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(async () => {
    await target.close();
  });

  it('--paused waits with VUs initialised and no iteration until PATCH paused:false, then serves metrics in k6 JSON:API shape', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const hitsBefore = target.hits.count;
    const child = run(['run', '-', '-q', '--workers', '1', '-a', `127.0.0.1:${port}`, '--paused', '-e', `TARGET=${target.url}/`], HTTP_SCRIPT);
    try {
      // PausedBeforeRun (4): every VU initialised, nothing run, not even setup().
      const paused = await until(async () => {
        const s = await statusOf(base);
        return s.status === 4 ? s : undefined;
      }, 'the paused status');
      expect(paused).toEqual({ status: 4, paused: true, vus: 0, 'vus-max': 2, stopped: false, running: false, tainted: false });
      await new Promise((r) => setTimeout(r, 500));
      expect(target.hits.count).toBe(hitsBefore);
      const before = await api(base, 'GET', '/v1/metrics');
      const names = (before.json as { data: Array<{ id: string }> }).data.map((d) => d.id);
      expect(names).not.toContain('iterations');
      expect(names).not.toContain('http_reqs');
      // Setup data is settable while paused; the run's own setup() replaces it at the start.
      const put = await api(base, 'PUT', '/v1/setup', '{"v": 2}');
      expect(put.json).toEqual({ data: { type: 'setupData', id: 'default', attributes: { data: { v: 2 } } } });
      expect((await api(base, 'PUT', '/v1/setup', '')).json).toEqual({ data: { type: 'setupData', id: 'default', attributes: {} } });
      // POST runs the script's setup() now.
      const ran = await api(base, 'POST', '/v1/setup');
      expect(ran.json).toEqual({ data: { type: 'setupData', id: 'default', attributes: { data: { from: 'setup' } } } });
      const teardown = await api(base, 'POST', '/v1/teardown');
      expect([teardown.status, teardown.text]).toEqual([200, '']);

      // Pausing again is refused with k6's error document.
      const again = await api(base, 'PATCH', '/v1/status', { data: { attributes: { paused: true } } });
      expect(again.status).toBe(500);
      expect(again.json).toEqual({ errors: [{ status: '500', title: 'Pause error', detail: 'execution is already paused' }] });
      // Live VU changes do not exist in k6 v2.
      const scale = await api(base, 'PATCH', '/v1/status', { data: { attributes: { vus: 5 } } });
      expect(scale.json).toEqual({ errors: [{ status: '500', title: 'Execution config error', detail: 'live VU configuration updates are not supported' }] });

      const resumed = await api(base, 'PATCH', '/v1/status', { data: { type: 'status', id: 'default', attributes: { paused: false } } });
      expect(resumed.status).toBe(200);
      expect((resumed.json as { data: { attributes: StatusAttributes } }).data.attributes.paused).toBe(false);
      expect(await child.exited).toBe(0);
    } finally {
      child.proc.kill('SIGKILL');
    }
    expect(target.hits.count - hitsBefore).toBe(4);
    expect(child.out.stdout).toMatch(/http_reqs\.+: 4 /);
  });

  it('--linger keeps the API answering after the test until SIGINT; /v1/metrics, /v1/groups and `stampede stats` read the run', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = run(['run', '-', '--workers', '1', '-a', `127.0.0.1:${port}`, '--linger', '-e', `TARGET=${target.url}/`], HTTP_SCRIPT);
    try {
      await until(async () => (child.out.stdout.includes('--linger was enabled') ? true : undefined), 'the linger message');
      expect(child.out.stdout).toContain('The test is done, but --linger was enabled, so k6 is waiting for Ctrl+C to continue...');
      // The summary comes only after Ctrl+C, as in k6.
      expect(child.out.stdout).not.toContain('TOTAL RESULTS');
      expect(await statusOf(base)).toMatchObject({ status: 9, running: false, stopped: false, paused: false });

      const metrics = await api(base, 'GET', '/v1/metrics');
      const data = (metrics.json as { data: Array<{ type: string; id: string; attributes: Record<string, unknown> }> }).data;
      const reqs = data.find((d) => d.id === 'http_reqs');
      expect(reqs).toMatchObject({ type: 'metrics', attributes: { type: 'counter', contains: 'default', tainted: null, sample: { count: 4 } } });
      expect(Object.keys(reqs?.attributes.sample as object)).toEqual(['count', 'rate']);
      const duration = data.find((d) => d.id === 'http_req_duration');
      expect(Object.keys(duration?.attributes.sample as object)).toEqual(['avg', 'max', 'med', 'min', 'p(90)', 'p(95)']);
      expect(duration?.attributes.contains).toBe('time');
      expect(data.find((d) => d.id === 'checks')?.attributes.sample).toEqual({ rate: 1 });
      const one = await api(base, 'GET', '/v1/metrics/http_reqs');
      expect(one.json).toEqual({ data: reqs });
      const missing = await api(base, 'GET', '/v1/metrics/nope');
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual({ errors: [{ status: '404', title: 'Not Found', detail: 'No metric with that ID was found' }] });

      const groups = await api(base, 'GET', '/v1/groups');
      const [root, front] = (groups.json as { data: Array<{ id: string; attributes: { name: string; checks: Array<{ name: string; passes: number }> | null }; relationships: unknown }> }).data;
      expect(root).toMatchObject({ id: 'd41d8cd98f00b204e9800998ecf8427e', attributes: { path: '', name: '', checks: null } });
      expect(front?.attributes).toMatchObject({ path: '::front', name: 'front', checks: [{ name: 'is 200', path: '::front::is 200', passes: 4, fails: 0 }] });
      expect(front?.relationships).toEqual({ groups: { data: [] }, parent: { data: { type: 'groups', id: root?.id } } });
      expect((await api(base, 'GET', `/v1/groups/${front?.id ?? ''}`)).json).toEqual({ data: front });
      expect((await api(base, 'GET', '/v1/setup')).json).toEqual({ data: { type: 'setupData', id: 'default', attributes: { data: { from: 'setup' } } } });

      // Routing as Go's ServeMux does it.
      expect((await api(base, 'DELETE', '/v1/metrics')).status).toBe(405);
      expect((await api(base, 'GET', '/v1/nope')).text).toBe('404 page not found\n');
      expect((await api(base, 'GET', '/ping')).text).toBe('ok');

      const stats = run(['stats', '-a', `127.0.0.1:${port}`], '');
      expect(await stats.exited).toBe(0);
      expect(stats.out.stdout).toContain('- name: http_reqs\n  type:\n    type: counter\n    valid: true\n  contains:\n    type: default\n    valid: true\n  tainted: ""\n  sample:\n    count: 4\n    rate: ');
      expect(stats.out.stdout).toContain('- name: checks\n  type:\n    type: rate\n    valid: true\n  contains:\n    type: default\n    valid: true\n  tainted: ""\n  sample:\n    rate: 1\n');

      // A stop after the test only shows in the status: the run's result is decided (k6 too).
      const late = await api(base, 'PATCH', '/v1/status', { data: { attributes: { stopped: true } } });
      expect((late.json as { data: { attributes: StatusAttributes } }).data.attributes).toMatchObject({ status: 9, stopped: true });
      child.proc.kill('SIGINT');
      expect(await child.exited).toBe(0);
    } finally {
      child.proc.kill('SIGKILL');
    }
    expect(child.out.stdout.indexOf('TOTAL RESULTS')).toBeGreaterThan(child.out.stdout.indexOf('--linger was enabled'));
  });

  it('PATCH stopped:true ends the run with exit code 103, and pausing a started run is refused with k6\'s error', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = run(['run', '-', '-q', '--workers', '1', '-a', `127.0.0.1:${port}`], LONG_SCRIPT);
    try {
      await until(async () => ((await statusOf(base)).status === 7 ? true : undefined), 'the running status');
      // k6's Prometheus endpoint beside /v1: the process families of the running stampede.
      const scrape = await fetch(`${base}/metrics`);
      expect(scrape.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8; escaping=underscores');
      expect(await scrape.text()).toMatch(/^# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total \d/m);
      const pause = await api(base, 'PATCH', '/v1/status', { data: { attributes: { paused: true } } });
      expect(pause.json).toEqual({ errors: [{ status: '500', title: 'Pause error', detail: "constant-vus executor 'default' doesn't support pause and resume operations after its start" }] });
      const stop = await api(base, 'PATCH', '/v1/status', { data: { attributes: { stopped: true } } });
      expect((stop.json as { data: { attributes: StatusAttributes } }).data.attributes).toMatchObject({ stopped: true, running: true });
      expect(await child.exited).toBe(103);
    } finally {
      child.proc.kill('SIGKILL');
    }
    expect(child.out.stderr).toContain('level=error msg="test run stopped from REST API"');
  });

  it('a setup() or teardown() run through the API that throws answers 500 with the script\'s stack, as the run logs it', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const script = `${LONG_SCRIPT}
export function setup() { throw new Error('setup boom'); }
export function teardown() { throw new Error('teardown boom'); }
`;
    const child = run(['run', '-', '-q', '--workers', '1', '--no-setup', '--no-teardown', '-a', `127.0.0.1:${port}`], script);
    try {
      await until(async () => ((await statusOf(base)).status === 7 ? true : undefined), 'the running status');
      for (const fn of ['setup', 'teardown']) {
        const r = await api(base, 'POST', `/v1/${fn}`);
        const [error] = (r.json as { errors: { status: string; title: string; detail: string }[] }).errors;
        expect([r.status, error?.title]).toEqual([500, `Error executing ${fn}`]);
        // k6's exception text: the message and the script's own frame, no frame of Stampede's engine.
        expect(error?.detail).toMatch(new RegExp(`^Error: ${fn} boom\\n\\tat ${fn} \\(file:///[^\\n]*:\\d+:\\d+\\)$`));
      }
      await api(base, 'PATCH', '/v1/status', { data: { attributes: { stopped: true } } });
      expect(await child.exited).toBe(103);
    } finally {
      child.proc.kill('SIGKILL');
    }
    expect(child.out.stderr).toMatch(/level=error msg="Error executing teardown" error="Error: teardown boom\\n\\tat teardown \(file:\/\/\/[^"]*\)"/);
  });

  it('an address already in use ends `stampede run -a` with 106; `stampede stats` without an address fails as k6 does', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as { port: number }).port;
    try {
      const child = run(['run', '-', '-q', '--workers', '1', '-a', `127.0.0.1:${port}`], LONG_SCRIPT);
      expect(await child.exited).toBe(106);
      expect(child.out.stderr).toContain(`level=error msg="Error from API server" error="listen tcp 127.0.0.1:${port}: bind: address already in use"`);
    } finally {
      await new Promise((r) => busy.close(r));
    }
    const stats = run(['stats'], '');
    expect(await stats.exited).toBe(255);
    expect(stats.out.stderr).toContain('The REST API server is disabled, but this command needs to read metrics from it. Enable it by setting --address or K6_ADDRESS.');
  });
});
