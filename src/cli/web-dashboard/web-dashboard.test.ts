// The web dashboard over a real run against a local target: the SSE stream a page gets, the exported
// report, and how K6_WEB_DASHBOARD, K6_OUT and the config file turn it on.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, loadTest, type EngineIo, type RunFlags } from '../../engine/index.ts';
import { processIo } from '../process-io.ts';
import { startWebDashboard, type WebDashboard } from './web-dashboard.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'stampede-dashboard-'));
let target: http.Server;
let targetUrl = '';

beforeAll(async () => {
  target = http.createServer((req, res) => {
    res.statusCode = req.url === '/fail' ? 500 : 200;
    res.end('ok');
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  writeFileSync(path.join(dir, 'script.js'), `import http from 'k6/http';
import { check, group, sleep } from 'k6';
export const options = { vus: 2, duration: '2s', thresholds: { http_req_duration: ['p(95)<5000'] } };
export default function () {
  group('main', () => { check(http.get(__ENV.URL + '/'), { ok: (r) => r.status === 200 }); });
  http.get(__ENV.URL + '/fail');
  sleep(0.05);
}
`);
  writeFileSync(path.join(dir, 'noop.js'), 'export default function () {}\n');
  mkdirSync(path.join(dir, 'out'));
});
afterAll(async () => {
  target.closeAllConnections();
  await new Promise((resolve) => target.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function quietIo(env: Record<string, string> = {}): EngineIo {
  const drop = { write: () => undefined, isTTY: false };
  return processIo({ cwd: dir, env, stdout: drop, stderr: drop });
}

interface SseEvent {
  id: string;
  event: string;
  data: unknown;
  retry?: string;
}

/** Reads `/events` until the `stop` event, then disconnects (as the page does). */
async function readEvents(url: string): Promise<SseEvent[]> {
  const abort = new AbortController();
  const res = await fetch(`${url}/events`, { signal: abort.signal });
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let text = '';
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return events;
    text += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const frame = text.slice(0, end);
      text = text.slice(end + 2);
      const fields = Object.fromEntries(frame.split('\n').map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
      events.push({ id: fields.id ?? '', event: fields.event ?? '', data: JSON.parse(fields.data as string), ...(fields.retry !== undefined ? { retry: fields.retry } : {}) });
      if (fields.event === 'stop') {
        await reader.cancel();
        abort.abort();
        return events;
      }
    }
  }
}

/** Loads, serves and runs the test as `stampede run` does; the dashboard stops after teardown. */
async function runWithDashboard(script: string, flags: RunFlags, env: Record<string, string> = {}) {
  const io = quietIo(env);
  const test = await loadTest({ path: script }, { workers: 1, env: { URL: targetUrl }, ...flags }, io);
  const warnings: string[] = [];
  const dashboard: WebDashboard = await startWebDashboard(test.outputs.webDashboard ?? '', script, test, io, (msg) => warnings.push(msg));
  let failure: string | undefined;
  const running = test.start({ afterTeardown: async () => void (failure = await dashboard.stop(false)) });
  dashboard.attach(running);
  return { dashboard, running, warnings, failure: () => failure };
}

describe('web dashboard during a run', () => {
  it('streams config, param, start, metric, snapshots and cumulative, and stop; the last cumulative matches the summary', async () => {
    const { dashboard, running, warnings, failure } = await runWithDashboard('script.js', {
      webDashboard: 'host=127.0.0.1&port=0&period=300ms&export=out/report.html',
    });
    const url = dashboard.description.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const [events, result] = await Promise.all([readEvents(url), running.result]);
    expect(result.exitCode).toBe(0);
    expect(warnings).toEqual([]);
    expect(failure()).toBeUndefined();

    const names = events.map((e) => e.event);
    expect(names.slice(0, 4)).toEqual(['config', 'param', 'metric', 'start']);
    expect(names.at(-1)).toBe('stop');
    expect(names.at(-2)).toBe('cumulative');
    expect(names.filter((n) => n === 'snapshot').length).toBeGreaterThanOrEqual(2);
    // Ids count from 0 (the replayed event log); stop tells the browser not to reconnect.
    expect(events.map((e) => e.id)).toEqual(events.map((_e, i) => String(i)));
    expect(events.at(-1)?.retry).toBe('9007199254740991');
    expect(events[1]?.data).toMatchObject({ thresholds: { http_req_duration: ['p(95)<5000'] }, scenarios: ['default'], period: 300, scriptPath: `file://${path.join(dir, 'script.js')}` });

    // The page matches data arrays to the metric names announced so far, sorted.
    const info: Record<string, { type: string }> = {};
    const rows: Array<{ event: string; row: Record<string, number[]> }> = [];
    for (const e of events) {
      if (e.event === 'metric') Object.assign(info, e.data);
      if (e.event === 'snapshot' || e.event === 'cumulative') {
        const sorted = Object.keys(info).sort();
        const data = e.data as number[][];
        expect(data).toHaveLength(sorted.length);
        rows.push({ event: e.event, row: Object.fromEntries(sorted.map((n, i) => [n, data[i] as number[]])) });
      }
    }
    expect(info['http_req_duration{group:::main}']).toEqual({ type: 'trend', contains: 'time' });
    expect(info.checks).toEqual({ type: 'rate' });
    const last = rows.at(-1)?.row ?? {};
    const summary = result.summaryData.metrics;
    expect(last.http_reqs?.[0]).toBe(summary.http_reqs?.values.count);
    expect(last.iterations?.[0]).toBe(summary.iterations?.values.count);
    // Half the requests fail (/fail answers 500); the group's requests are the other half.
    expect(last.http_req_failed).toEqual([0.5]);
    expect(last['http_reqs{group:::main}']?.[0]).toBe((summary.http_reqs?.values.count ?? 0) / 2);
    expect(last.checks).toEqual([1]);
    // Every snapshot's requests add up to at most the total (the partial last period has none).
    const perSnapshot = rows.filter((r) => r.event === 'snapshot').reduce((n, r) => n + (r.row.http_reqs?.[0] ?? 0), 0);
    expect(perSnapshot).toBeGreaterThan(0);
    expect(perSnapshot).toBeLessThanOrEqual(last.http_reqs?.[0] ?? 0);

    // The report: our page with the recorded events embedded.
    const html = readFileSync(path.join(dir, 'out/report.html'), 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    const embedded = /<script id="data" type="application\/json">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    const recorded = JSON.parse(embedded) as Array<{ event: string; data: unknown }>;
    expect(recorded.map((e) => e.event).filter((n) => n !== 'snapshot' && n !== 'metric')).toEqual(['param', 'start', 'stop', 'cumulative']);
    expect(recorded.filter((e) => e.event === 'snapshot')).toHaveLength(names.filter((n) => n === 'snapshot').length);
    expect(recorded.at(-1)?.data).toEqual(events.at(-2)?.data);
  }, 20_000);

  it('a page connecting late gets every event so far; / redirects to the page; /ui/ and /report answer', async () => {
    const { dashboard, running } = await runWithDashboard('script.js', { webDashboard: 'host=127.0.0.1&port=0&period=300ms' });
    const url = dashboard.description.trim();
    const root = await fetch(`${url}/`, { redirect: 'manual' });
    expect(root.status).toBe(307);
    expect(root.headers.get('location')).toBe('/ui/?endpoint=/');
    const page = await (await fetch(`${url}/ui/`)).text();
    expect(page).toContain('new EventSource');
    // Self-contained: nothing loaded from elsewhere.
    expect(page).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await (await fetch(`${url}/report`)).text()).toContain('<script id="data"');
    // r3labs/sse's replay: from the Last-Event-ID on (that event included); a non-number is refused.
    const resumed = await fetch(`${url}/events`, { headers: { 'Last-Event-ID': '3' } });
    const reader = (resumed.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/^id: 3\ndata: \[\[\d+\]\]\nevent: start\n\n/);
    await reader.cancel();
    expect((await fetch(`${url}/events`, { headers: { 'Last-Event-ID': 'x' } })).status).toBe(400);
    const events = await readEvents(url);
    expect(events.slice(0, 4).map((e) => e.event)).toEqual(['config', 'param', 'metric', 'start']);
    expect((await running.result).exitCode).toBe(0);
  }, 20_000);

  it('port -1: no server, an empty description; the report is still exported and the recording written', async () => {
    const { dashboard, running, failure } = await runWithDashboard('script.js', { webDashboard: 'period=300ms&export=minus-one.html&record=rec.ndjson.gz' }, { K6_WEB_DASHBOARD_PORT: '-1' });
    expect(dashboard.description).toBe('');
    expect((await running.result).exitCode).toBe(0);
    expect(failure()).toBeUndefined();
    expect(readFileSync(path.join(dir, 'minus-one.html'), 'utf8')).toContain('"event":"snapshot"');
    // xk6-dashboard's recording: an envelope per event but config, one per line, gzipped.
    const lines = gunzipSync(readFileSync(path.join(dir, 'rec.ndjson.gz'))).toString().trim().split('\n').map((l) => JSON.parse(l) as { event: string });
    expect(lines[0]?.event).toBe('param');
    expect(lines.at(-1)?.event).toBe('stop');
    expect(lines.filter((l) => l.event === 'snapshot').length).toBeGreaterThanOrEqual(2);
  }, 20_000);

  it("an export into a missing directory is Go's open error, not a crash; a short run skips the report with k6's warning", async () => {
    const missing = await runWithDashboard('script.js', { webDashboard: 'port=-1&period=300ms&export=no/such/dir/r.html' });
    expect((await missing.running.result).exitCode).toBe(0);
    expect(missing.failure()).toBe('open no/such/dir/r.html: no such file or directory');

    const short = await runWithDashboard('noop.js', { webDashboard: 'port=-1&export=short.html', iterations: 1 });
    expect((await short.running.result).exitCode).toBe(0);
    expect(short.warnings).toEqual(['The test run was short, report generation was skipped (not enough data)']);
    expect(existsSync(path.join(dir, 'short.html'))).toBe(false);
  }, 20_000);

  it("bad options are k6's output errors (255); a busy port other than the default fails, the default only warns", async () => {
    const io = quietIo({ K6_WEB_DASHBOARD_PERIOD: 'soon' });
    const test = await loadTest({ path: 'noop.js' }, { workers: 1 }, io);
    await expect(startWebDashboard('', 'noop.js', test, io, () => undefined)).rejects.toThrow(new EngineError(255, "could not create the 'web-dashboard' output: invalid duration"));
    await expect(startWebDashboard('port=x', 'noop.js', test, quietIo(), () => undefined)).rejects.toMatchObject({ exitCode: 255, message: `could not create the 'web-dashboard' output: strconv.Atoi: parsing "x": invalid syntax` });
    await expect(startWebDashboard('port=-1&period=0', 'noop.js', test, quietIo(), () => undefined)).rejects.toMatchObject({ exitCode: 255, message: 'metric flush period should be positive but was 0s' });
    await expect(startWebDashboard('port=-1&record=no/dir/r.ndjson', 'noop.js', test, quietIo(), () => undefined)).rejects.toMatchObject({ exitCode: 255, message: 'open no/dir/r.ndjson: no such file or directory' });

    const busy = http.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    const warnings: string[] = [];
    await expect(startWebDashboard(`host=127.0.0.1&port=${port}`, 'noop.js', test, quietIo(), (m, f) => warnings.push(`${m} ${f?.error}`)))
      .rejects.toMatchObject({ exitCode: 255, message: `listen tcp 127.0.0.1:${port}: bind: address already in use` });
    expect(warnings).toEqual([`Error from Web dashboard listen tcp 127.0.0.1:${port}: bind: address already in use`]);
    await new Promise((resolve) => busy.close(resolve));
  });
});

describe('turning the dashboard on (k6 Config.WebDashboard and outputs)', () => {
  const outputs = async (env: Record<string, string>, flags: RunFlags = {}) => (await loadTest({ path: 'noop.js' }, { workers: 1, ...flags }, quietIo(env))).outputs;

  it('K6_WEB_DASHBOARD (a null.Bool), K6_OUT, the config file; `--out web-dashboard=…` keeps its options', async () => {
    expect((await outputs({})).webDashboard).toBeUndefined();
    expect((await outputs({ K6_WEB_DASHBOARD: 'false' })).webDashboard).toBeUndefined();
    expect((await outputs({ K6_WEB_DASHBOARD: 'true' })).webDashboard).toBe('');
    // "" and "null" are not set (guregu null.Bool), so the config file's value stands.
    expect((await outputs({ K6_WEB_DASHBOARD: '' })).webDashboard).toBeUndefined();
    expect((await outputs({ K6_OUT: 'json=a.json,web-dashboard=port=-1' }))).toMatchObject({ jsonOut: 'a.json', webDashboard: 'port=-1' });
    expect((await outputs({ K6_WEB_DASHBOARD: 'true' }, { webDashboard: 'port=6001' })).webDashboard).toBe('port=6001');
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ webDashboard: true }));
    expect((await outputs({}, { config: { path: 'config.json' } })).webDashboard).toBe('');
    // The variable is over the file.
    expect((await outputs({ K6_WEB_DASHBOARD: 'false' }, { config: { path: 'config.json' } })).webDashboard).toBeUndefined();
  });

  it("a K6_WEB_DASHBOARD other than true/false is k6's envconfig error (104), Go's 1 included", async () => {
    await expect(outputs({ K6_WEB_DASHBOARD: 'yes' })).rejects.toMatchObject({
      exitCode: 104,
      message: `envconfig.Process: assigning K6_WEB_DASHBOARD to WebDashboard: converting 'yes' to type null.Bool. details: invalid input:yes`,
    });
    await expect(outputs({ K6_WEB_DASHBOARD: '1' })).rejects.toMatchObject({ exitCode: 104 });
  });
});
