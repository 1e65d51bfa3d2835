// End to end: the real store (SQLite), the real engine in real sandboxed runner processes, a local
// HTTP target. What a user of the API would see happen to their runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Server as TcpServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pack } from 'tar-stream';
import { openStore } from '../store/index.ts';
import type { Store, TestRunRecord } from '../store/index.ts';
import { createOrchestrator } from './orchestrator.ts';
import type { Orchestrator } from './orchestrator.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
let dataDir: string;
let store: Store;
let orchestrator: Orchestrator;
let server: Server;
let target: string;
/** Stands in for the server's PostgreSQL: runners are told they may not reach it. */
let database: TcpServer;
let databasePort: number;
let databaseConnections = 0;
let stackId: number;
let projectId: number;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'stampede-e2e-'));
  store = await openStore({ dataDir });
  ({ stackId, projectId } = await store.seedFirstStart());
  database = createTcpServer((socket) => {
    databaseConnections++;
    socket.end();
  }).listen(0, '127.0.0.1');
  await new Promise((r) => database.once('listening', r));
  databasePort = (database.address() as AddressInfo).port;
  const runnerDeniedEndpoints = [{ host: 'localhost', port: databasePort }];
  orchestrator = createOrchestrator({ store, log: quiet, config: { maxConcurrentRuns: 2, abortGraceMs: 5000, runnerDeniedEndpoints } });
  await orchestrator.open();
  server = createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  target = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
});

afterAll(async () => {
  await orchestrator.close();
  await store.close();
  server.close();
  database.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** A k6 archive as `k6 archive` lays it out, with a local import and declared dependencies. */
async function archive(): Promise<Uint8Array> {
  const main = `import { helper } from './lib/helper.js'; export default function () { helper(); }`;
  const p = pack();
  p.entry({ name: 'metadata.json' }, JSON.stringify({ type: 'js', options: { vus: 5, iterations: 10 }, filename: 'file:///home/nobody/s/script.js', pwd: 'file:///home/nobody/s/', env: {}, compatibilityMode: 'extended', k6version: '1.0.0', goos: 'linux', dependencies: { k6: '>=v1.0', 'k6/x/faker': '>0.4' } }));
  p.entry({ name: 'data' }, main);
  p.entry({ name: 'file/home/nobody/s/script.js' }, main);
  p.entry({ name: 'file/home/nobody/s/lib/helper.js' }, 'export function helper() { return 1; }');
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

async function runToEnd(name: string, source: string): Promise<TestRunRecord> {
  const script = { bytes: new TextEncoder().encode(source), contentType: 'text/javascript' as const };
  const test = await store.loadTests.create(stackId, { projectId, name, script });
  const { run } = await store.testRuns.create({ stackId, loadTestId: test.id, startedBy: 'admin@stampede.local' });
  await orchestrator.start(run.id);
  // Generous: a runner's first start compiles the engine (tsx) and took over 15 s at load average 9.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const now = await store.testRuns.getById(run.id);
    if (now?.ended) return now;
    if (Date.now() > deadline) throw new Error(`run ${run.id} still ${now?.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('orchestrator with the engine', () => {
  it('runs a k6 script to completed/passed and keeps its summary, metrics and cost', async () => {
    const run = await runToEnd('e2e pass', `
      "use k6 >= v0.52";
      import http from 'k6/http';
      import { check } from 'k6';
      export const options = { vus: 2, duration: '1s', thresholds: { http_req_failed: ['rate<0.01'] } };
      export default function () { check(http.get('${target}'), { 'is 200': (r) => r.status === 200 }); }
    `);
    expect(run.statusHistory.map((s) => s.type)).toEqual(['created', 'queued', 'initializing', 'running', 'processing_metrics', 'completed']);
    expect(run.result).toBe('passed');
    expect(run.maxVus).toBe(2);
    // 1s of constant VUs plus the default 30s gracefulStop, as k6 plans it.
    expect(run.estimatedDuration).toBe(31);
    expect(run.executionDuration).toBeGreaterThanOrEqual(1);
    expect(run.cost?.total_vuh).toBeCloseTo(2 / 60, 4);
    // As k6 v2 writes them: the constraint in Masterminds' canonical form.
    expect(run.k6Dependencies).toEqual({ k6: '>=v0.52' });
    expect(Object.values(run.k6Versions).some((v) => v.startsWith('stampede-'))).toBe(true);
    expect(run.options).toMatchObject({ vus: 2 });
    const results = await store.testRuns.getResults(run.id);
    expect(results?.thresholds).toEqual({ http_req_failed: { 'rate<0.01': false } });
    const checks = (results?.summary as { root_group: { checks: { name: string; passes: number; fails: number }[] } }).root_group.checks;
    expect(checks[0]?.name).toBe('is 200');
    expect(checks[0]?.passes).toBeGreaterThan(0);
    expect(checks[0]?.fails).toBe(0);
    const batches = await store.runMetrics.read(run.id, { metric: 'http_reqs' });
    expect(batches.length).toBeGreaterThan(0);
  }, 90_000);

  it("records its runner's CPU, memory and open files as Grafana Cloud k6's load generator metrics, apart from k6's summary", async () => {
    const run = await runToEnd('e2e load generator', `
      import http from 'k6/http';
      export const options = { vus: 3, duration: '3s' };
      export default function () { http.get('${target}'); }
    `);
    expect(run.status).toBe('completed');
    const names = (await store.runMetrics.listMetrics(run.id)).map((d) => d.name);
    expect(names).toEqual(expect.arrayContaining(['load_generator_cpu_percent', 'load_generator_memory_used_percent', 'load_generator_file_handles']));
    const [started, ended] = [run.statusHistory.find((s) => s.type === 'running')?.entered, run.ended].map((d) => new Date(d ?? 0).getTime());
    for (const metric of ['load_generator_cpu_percent', 'load_generator_memory_used_percent', 'load_generator_file_handles']) {
      const values = (await store.runMetrics.read(run.id, { metric })).flatMap((b) => b.series.map((s) => ({ time: b.time, tags: s.tags, value: s.gauge?.last ?? NaN })));
      // A reading a second while the test ran, from its one runner: instance 0 of the default zone.
      expect(values.length, metric).toBeGreaterThanOrEqual(2);
      for (const v of values) {
        expect(v.tags).toEqual({ load_zone: 'amazon:us:ashburn', instance_id: '0' });
        expect(v.time).toBeGreaterThanOrEqual(Math.floor((started ?? 0) / 1000) * 1000 - 1000);
        expect(v.time).toBeLessThanOrEqual(ended ?? 0);
        expect(v.value).toBeGreaterThan(0);
        if (metric !== 'load_generator_file_handles') expect(v.value).toBeLessThanOrEqual(100);
      }
    }
    const summary = (await store.testRuns.getResults(run.id))?.summary as { metrics: Record<string, unknown> };
    expect(Object.keys(summary.metrics).filter((n) => n.startsWith('load_generator'))).toEqual([]);
  }, 90_000);

  it('keeps a script away from the server database, its environment, process spawning and signals', async () => {
    const db = join(dataDir, 'stampede.db');
    process.env['STAMPEDE_SECRET_TOKEN'] = 'server-only-secret';
    // The host realm is reachable through a host function's constructor, so each attempt really
    // reaches Node's own APIs: only the runner's sandbox stands in the way.
    const run = await runToEnd('e2e escape', `
      import { check } from 'k6';
      const DB = ${JSON.stringify(db)};
      let viaOpen = 'not tried';
      try { open(DB); viaOpen = 'read'; } catch (e) { viaOpen = 'denied'; }
      export const options = { iterations: 1 };
      function attempt(fn) { try { fn(); return 'succeeded'; } catch (e) { return 'failed'; } }
      export default function () {
        const p = check.constructor('return typeof process === "undefined" ? undefined : process')();
        check(null, {
          'host process reached': () => typeof p?.getBuiltinModule === 'function',
          'database unreadable through open()': () => viaOpen === 'denied',
          'database unreadable through node:fs': () => attempt(() => p.getBuiltinModule('fs').readFileSync(DB)) === 'failed',
          'no server secret in __ENV': () => __ENV.STAMPEDE_SECRET_TOKEN === undefined,
          'no server secret in process.env': () => p.env.STAMPEDE_SECRET_TOKEN === undefined && p.env.DATABASE_URL === undefined,
          'server environment unreadable through /proc': () => attempt(() => p.getBuiltinModule('fs').readFileSync('/proc/' + p.ppid + '/environ')) === 'failed',
          'cannot spawn a process': () => attempt(() => p.getBuiltinModule('child_process').execSync('id')) === 'failed',
          'cannot signal the server': () => attempt(() => p.kill(p.ppid, 0)) === 'failed',
        });
      }
    `);
    delete process.env['STAMPEDE_SECRET_TOKEN'];
    expect(run.status).toBe('completed');
    const summary = (await store.testRuns.getResults(run.id))?.summary as { root_group: { checks: { name: string; passes: number; fails: number }[] } };
    const checks = summary.root_group.checks;
    expect(checks).toHaveLength(8);
    for (const c of checks) expect({ name: c.name, passes: c.passes, fails: c.fails }).toEqual({ name: c.name, passes: 1, fails: 0 });
  }, 90_000);

  it("keeps a script from connecting to the server's database: k6/x/sql, k6/http and Node's net all refused", async () => {
    const run = await runToEnd('e2e database', `
      import { check } from 'k6';
      import http from 'k6/http';
      import sql from 'k6/x/sql';
      import driver from 'k6/x/sql/driver/postgres';
      export const options = { iterations: 1 };
      export default async function () {
        let viaSql = 'not tried';
        try { sql.open(driver, 'postgres://postgres@127.0.0.1:${databasePort}/test?sslmode=disable').query('select 1'); viaSql = 'connected'; } catch (e) { viaSql = String(e); }
        const viaHttp = http.get('http://127.0.0.1:${databasePort}/').error;
        const p = check.constructor('return process')();
        const viaNet = await new Promise((res) => {
          const s = p.getBuiltinModule('net').connect({ host: '0.0.0.0', port: ${databasePort} });
          s.on('connect', () => { s.destroy(); res('connected'); });
          s.on('error', (e) => res(e.code));
        });
        console.log(JSON.stringify({ viaSql, viaHttp, viaNet }));
        check(null, {
          'k6/x/sql refused': () => viaSql.includes('permission denied') || viaSql.includes('EACCES'),
          'k6/http refused': () => viaHttp.includes('permission denied') || viaHttp.includes('EACCES'),
          'node:net refused': () => viaNet === 'EACCES',
        });
      }
    `);
    expect(run.status).toBe('completed');
    const checks = ((await store.testRuns.getResults(run.id))?.summary as { root_group: { checks: { name: string; passes: number; fails: number }[] } }).root_group.checks;
    expect(checks.map((c) => ({ name: c.name, passes: c.passes }))).toEqual([
      { name: 'k6/x/sql refused', passes: 1 },
      { name: 'k6/http refused', passes: 1 },
      { name: 'node:net refused', passes: 1 },
    ]);
    expect(databaseConnections).toBe(0);
  }, 90_000);

  it('ends a run aborted by a failing abortOnFail threshold (code 8, failed) and one whose init throws (code 7, error)', async () => {
    const [threshold, broken] = await Promise.all([
      runToEnd('e2e threshold', `
        import { check, sleep } from 'k6';
        export const options = { vus: 1, duration: '20s', thresholds: { checks: [{ threshold: 'rate>0.99', abortOnFail: true }] } };
        export default function () { check(1, { 'never true': () => false }); sleep(0.05); }
      `),
      runToEnd('e2e broken', `throw new Error('broken at init'); export default function () {}`),
    ]);
    expect(threshold.statusHistory.at(-1)).toMatchObject({ type: 'aborted', extra: { code: 8 } });
    expect(threshold.result).toBe('failed');
    expect(broken.statusHistory.map((s) => s.type)).toEqual(['created', 'queued', 'initializing', 'aborted']);
    expect(broken.statusHistory.at(-1)?.extra).toMatchObject({ code: 7 });
    expect(broken.statusHistory.at(-1)?.extra?.message).toContain('broken at init');
    expect(broken.result).toBe('error');
  }, 90_000);

  it('keeps the script’s console lines and the engine’s errors as the run’s logs, with k6 cloud’s labels', async () => {
    const run = await runToEnd('e2e logs', `
      console.log('init of VU ' + __VU);
      export const options = { vus: 1, iterations: 2 };
      export default function () {
        console.warn('iteration ' + __ITER);
        if (__ITER === 1) throw new Error('boom in iteration');
      }
    `);
    expect(run.status).toBe('completed');
    const lines = await store.runLogs.read(run.id);
    const shown = lines.map((l) => `${l.level} ${l.message}`);
    expect(shown).toContain('info init of VU 0');
    expect(shown).toContain('info init of VU 1');
    expect(shown).toContain('warning iteration 0');
    expect(shown).toContain('warning iteration 1');
    const boom = lines.find((l) => l.message.includes('boom in iteration'));
    expect(boom?.level).toBe('error');
    expect(boom?.message).toMatch(/^Error: boom in iteration\n\tat default \(file:\/\/\/script\.js:6:\d+\).* executor=shared-iterations scenario=default/s);
    expect(boom?.labels).toEqual({ test_run_id: String(run.id), lz: 'amazon:us:ashburn', instance_id: '0', source: 'stacktrace' });
    const iteration = lines.find((l) => l.message === 'iteration 0');
    expect(iteration?.labels).toEqual({ test_run_id: String(run.id), lz: 'amazon:us:ashburn', instance_id: '0', source: 'console' });
    // Lines are in the order they were logged, each within the run's time.
    expect(shown.indexOf('warning iteration 0')).toBeLessThan(shown.indexOf('warning iteration 1'));
    for (const l of lines) expect(l.time / 1000).toBeGreaterThanOrEqual(run.created.getTime() - 1000);
  }, 90_000);

  it('inspects scripts, k6 archives and options without running them', async () => {
    const [ok, tar, plan, bad] = await Promise.all([
      orchestrator.inspectScript(new TextEncoder().encode(`export const options = { vus: 3, duration: '10s' }; export default function () {}`), 'text/javascript'),
      archive().then((bytes) => orchestrator.inspectScript(bytes, 'application/x-tar')),
      orchestrator.planOptions({ stages: [{ duration: '1m', target: 10 }] }),
      orchestrator.planOptions({ vus: -1, duration: 'soon' }),
    ]);
    expect(ok).toMatchObject({ ok: true, value: { maxVus: 3, maxBrowserVus: 0, estimatedDurationS: 40, dependencies: { k6: '*' } } });
    expect(tar).toMatchObject({ ok: true, value: { maxVus: 5, options: { vus: 5, iterations: 10 }, dependencies: { k6: '>=v1.0', 'k6/x/faker': '>0.4' } } });
    expect(plan).toMatchObject({ ok: true, value: { maxVus: 10, estimatedDurationS: 90 } });
    expect(bad).toMatchObject({ ok: false });
    expect(bad.ok === false && bad.problems.join('\n')).toMatch(/vus|duration/);
  }, 90_000);

  it('reports a script that does not parse by its own name, not by the runner\'s temporary folder', async () => {
    const bad = await orchestrator.inspectScript(new TextEncoder().encode('export default function ( {'), 'text/javascript');
    expect(bad.ok === false && bad.message).toMatch(/^script\.js:1:\d+: /);
  }, 90_000);

  it('plans options whose thresholds name the script\'s custom metrics, which only the script declares', async () => {
    const thresholds = (t: Record<string, unknown>) => orchestrator.planOptions({ vus: 1, duration: '10s', thresholds: t });
    const [custom, builtIn, mixed, malformed] = await Promise.all([
      thresholds({ my_counter: ['count<1', { threshold: 'rate<5', abortOnFail: true }], 'my_trend{page:home}': ['p(95)<200', 'avg<100'], my_rate: ['rate>0.9'], my_gauge: ['value<3'] }),
      thresholds({ http_req_duration: ['p(95)<500'], http_req_failed: ['rate<0.01'], iterations: ['count>0'] }),
      thresholds({ my_metric: ['count<1', 'p(95)<200'] }),
      thresholds({ my_trend: ['p(95)<'] }),
    ]);
    expect(custom).toMatchObject({ ok: true, value: { maxVus: 1 } });
    expect(builtIn).toMatchObject({ ok: true });
    // No metric kind takes both count and p(95): the check still says so.
    expect(mixed.ok === false && mixed.message).toMatch(/my_metric/);
    expect(malformed.ok === false && malformed.message).toMatch(/malformed threshold expression/);
  }, 90_000);
});
