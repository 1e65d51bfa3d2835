// npm run bench:api — the v6 test-runs API over real HTTP, on SQLite and PostgreSQL side by side.
// For each store: bulk-seed the runs (timed), start the real server (buildApp + the real orchestrator,
// which is never asked to start a run) in a child process on 127.0.0.1:<random port>, then from this
// process measure sequential request latency with undici (p50/p99 after a warm-up) and the
// requests/s of GET /test_runs/{id} with autocannon. Prints one table with the targets of issue 3.
//   --runs N          runs to seed (default 100000)
//   --large           1,000,000 runs
//   --quick           autocannon for 3 s instead of 10
//   --samples N       latency samples per endpoint (default 500), after --warmup N (default 50)
//   --connections N   autocannon connections (default 10)
//   --load-tests N    load tests the runs are spread over (default 10)
//   --only=sqlite|postgres
//   --pg-url URL      PostgreSQL (default $STAMPEDE_BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { Agent, request } from 'undici';
import { postgresReachable } from '../src/store/index.ts';
import { startServer, type Ready, type ServerHandle } from './api/server-handle.ts';

const ROOT = resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);

function flag(name: string): boolean {
  return argv.includes(`--${name}`);
}
function option(name: string): string | undefined {
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  if (eq !== undefined) return eq.slice(name.length + 3);
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
function intOption(name: string, fallback: number): number {
  const raw = option(name);
  if (raw === undefined) return fallback;
  const n = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${raw}"`);
  return n;
}

const RUNS = intOption('runs', flag('large') ? 1_000_000 : 100_000);
const SAMPLES = intOption('samples', 500);
const WARMUP = intOption('warmup', 50);
const CONNECTIONS = intOption('connections', 10);
const LOAD_TESTS = intOption('load-tests', 10);
const SECONDS = flag('quick') ? 3 : intOption('duration', 10);
const ONLY = option('only');
const PG_URL = option('pg-url') ?? process.env['STAMPEDE_BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const SPACING_MS = 1_000;

const TARGET_LIST_P99_MS = 20;
const TARGET_GET_RPS = 5_000;
const TARGET_SEED_1M_MS = 60_000;

// autocannon ships no types; the slice of its programmatic API used here.
interface AutocannonResult {
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
}
type Autocannon = (opts: { url: string; connections: number; duration: number; headers: Record<string, string> }) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const log = (s: string) => process.stderr.write(`${s}\n`);

interface Latency {
  p50: number;
  p99: number;
  bytes: number;
  /** Server-process CPU time per sampled request (user + system), ms. PostgreSQL's own work is not in it. */
  cpuMs: number;
}

interface BackendResult {
  dialect: 'sqlite' | 'postgres';
  seedMs: number;
  listTop50: Latency;
  perLoadTest: Latency;
  perLoadTestTop50: Latency;
  getRun: Latency;
  listCount: Latency;
  rps: number;
  rpsDetail: string;
  /** Server-process CPU per request during the autocannon run, µs. */
  rpsCpuMicros: number;
}

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

interface Target {
  dispatcher: Agent;
  origin: string;
  headers: Record<string, string>;
  cpuMicros(): Promise<number>;
}

async function measure(t: Target, path: (i: number) => string, check: (body: unknown) => string | null): Promise<Latency> {
  const { dispatcher, origin, headers } = t;
  const samples: number[] = [];
  let bytes = 0;
  let cpuStart = 0;
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    if (i === WARMUP) cpuStart = await t.cpuMicros();
    const url = origin + path(i);
    const t0 = performance.now();
    const res = await request(url, { dispatcher, headers });
    const text = await res.body.text();
    const ms = performance.now() - t0;
    if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}: ${text.slice(0, 300)}`);
    if (i === 0) {
      const problem = check(JSON.parse(text) as unknown);
      if (problem !== null) throw new Error(`GET ${url}: ${problem}`);
      bytes = Buffer.byteLength(text);
    }
    if (i >= WARMUP) samples.push(ms);
  }
  const cpuMs = (await t.cpuMicros()) - cpuStart;
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), bytes, cpuMs: cpuMs / 1000 / SAMPLES };
}

const listOf = (want: number) => (body: unknown) => {
  const n = (body as { value?: unknown[] }).value?.length;
  return n === want ? null : `expected ${want} runs in the page, got ${n}`;
};

async function benchBackend(kind: 'sqlite' | 'postgres'): Promise<BackendResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stampede-api-bench-'));
  const pgSchema = kind === 'postgres' ? `bench_api_${randomBytes(5).toString('hex')}` : undefined;
  const adminToken = `bench-${randomBytes(16).toString('hex')}`;
  const startAtMs = Date.now() - RUNS * SPACING_MS;
  log(`[${kind}] seeding ${RUNS.toLocaleString('en-US')} runs over ${LOAD_TESTS} load tests …`);
  let server: ServerHandle | undefined;
  try {
    server = await startServer(ROOT, {
      type: 'start',
      dataDir,
      ...(kind === 'postgres' && { databaseUrl: PG_URL, pgSchema }),
      adminToken,
      runs: RUNS,
      loadTests: LOAD_TESTS,
      startAtMs,
      spacingMs: SPACING_MS,
    });
    const ready: Ready = server.ready;
    log(`[${kind}] seeded in ${(ready.seedMs / 1000).toFixed(1)} s; server on 127.0.0.1:${ready.port}`);
    const origin = `http://127.0.0.1:${ready.port}/cloud/v6`;
    const headers = { authorization: `Bearer ${adminToken}`, 'x-stack-id': String(ready.stackId) };
    const dispatcher = new Agent({ connections: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
    const target: Target = { dispatcher, origin, headers, cpuMicros: () => (server as ServerHandle).cpuMicros() };
    try {
      // Seeded runs are the only runs and get consecutive ids; the oldest has the smallest.
      const first = await request(`${origin}/test_runs?$top=1`, { dispatcher, headers });
      const firstBody = (await first.body.json()) as { value?: { id: number }[] };
      const firstId = firstBody.value?.[0]?.id;
      if (first.statusCode !== 200 || firstId === undefined) throw new Error(`cannot list runs: ${first.statusCode} ${JSON.stringify(firstBody).slice(0, 300)}`);
      const loadTestId = ready.loadTestIds[0] as number;
      const createdAfter = new Date(startAtMs + Math.floor(RUNS / 2) * SPACING_MS).toISOString();
      const perLoadTestPath = `/load_tests/${loadTestId}/test_runs?$orderby=${encodeURIComponent('created desc')}&created_after=${encodeURIComponent(createdAfter)}`;
      const inHalf = Math.floor(RUNS / 2 / LOAD_TESTS);
      // A cheap deterministic spread of run ids (not Math.random, so both stores read the same runs).
      const idAt = (i: number) => firstId + ((i * 7_919 + 13) % RUNS);
      const hasId = (body: unknown) => (typeof (body as { id?: unknown }).id === 'number' ? null : 'no run in the answer');

      log(`[${kind}] latency: ${WARMUP} warm-up + ${SAMPLES} sequential requests per endpoint`);
      const listTop50 = await measure(target, () => '/test_runs?$top=50', listOf(Math.min(50, RUNS)));
      const perLoadTest = await measure(target, () => perLoadTestPath, listOf(Math.min(1000, inHalf)));
      const perLoadTestTop50 = await measure(target, () => `${perLoadTestPath}&$top=50`, listOf(Math.min(50, inHalf)));
      const getRun = await measure(target, (i) => `/test_runs/${idAt(i)}`, hasId);
      const listCount = await measure(target, () => '/test_runs?$top=50&$count=true', (body) => {
        const count = (body as { '@count'?: unknown })['@count'];
        return count === RUNS ? null : `expected @count ${RUNS}, got ${String(count)}`;
      });

      const oneId = firstId + Math.floor(RUNS / 2);
      log(`[${kind}] autocannon: GET /test_runs/${oneId}, ${CONNECTIONS} connections, ${SECONDS} s`);
      const cpuBefore = await server.cpuMicros();
      const ac = await autocannon({ url: `${origin}/test_runs/${oneId}`, connections: CONNECTIONS, duration: SECONDS, headers });
      // Requests autocannon abandoned at the deadline finish before the CPU is read and the server stops.
      await delay(1_000);
      const rpsCpuMicros = ((await server.cpuMicros()) - cpuBefore) / Math.max(1, ac.requests.total);
      const rps = ac['2xx'] / ac.duration;
      const rpsDetail = `${ac['2xx']} × 2xx in ${ac.duration.toFixed(1)} s, non-2xx ${ac.non2xx}, errors ${ac.errors}, timeouts ${ac.timeouts}, latency p50 ${ac.latency.p50} ms / p99 ${ac.latency.p99} ms`;
      log(`[${kind}] ${Math.round(rps)} req/s (${rpsDetail})`);
      return { dialect: kind, seedMs: ready.seedMs, listTop50, perLoadTest, perLoadTestTop50, getRun, listCount, rps, rpsDetail, rpsCpuMicros };
    } finally {
      await dispatcher.close();
    }
  } finally {
    await server?.stop();
    if (pgSchema !== undefined) await dropSchema(pgSchema).catch((err: unknown) => log(`[postgres] could not drop schema ${pgSchema}: ${String(err)}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

// ---- report -------------------------------------------------------------------------------------

const ms = (v: number) => `${v.toFixed(2)} ms`;
const kb = (v: number) => (v >= 10_240 ? `${(v / 1024).toFixed(0)} KB` : `${(v / 1024).toFixed(1)} KB`);
const int = (v: number) => Math.round(v).toLocaleString('en-US');
const load = () => loadavg().map((v) => v.toFixed(1)).join(' ');

function report(results: BackendResult[], skipped: string[], loadBefore: string): void {
  const sqlite = results.find((r) => r.dialect === 'sqlite');
  const postgres = results.find((r) => r.dialect === 'postgres');
  const any = sqlite ?? postgres;
  const cell = (r: BackendResult | undefined, f: (r: BackendResult) => string) => (r === undefined ? 'skipped' : f(r));
  const verdict = (parts: [string, BackendResult | undefined][], ok: (r: BackendResult) => boolean) =>
    parts
      .filter(([, r]) => r !== undefined)
      .map(([name, r]) => `${name} ${ok(r as BackendResult) ? 'met' : '**missed**'}`)
      .join(', ') || '—';
  const both: [string, BackendResult | undefined][] = [['SQLite', sqlite], ['PostgreSQL', postgres]];
  const listTarget = RUNS === 100_000 ? `p99 < ${TARGET_LIST_P99_MS} ms` : `p99 < ${TARGET_LIST_P99_MS} ms (set at 100,000 runs)`;

  const rows: string[][] = [];
  const latencyRow = (label: string, pick: (r: BackendResult) => Latency, target: string, ok?: (l: Latency) => boolean) =>
    rows.push([
      label,
      cell(sqlite, (r) => `${ms(pick(r).p50)} / ${ms(pick(r).p99)}`),
      cell(sqlite, (r) => ms(pick(r).cpuMs)),
      cell(postgres, (r) => `${ms(pick(r).p50)} / ${ms(pick(r).p99)}`),
      cell(postgres, (r) => ms(pick(r).cpuMs)),
      any === undefined ? '—' : kb(pick(any).bytes),
      target,
      ok === undefined ? 'info' : verdict(both, (r) => ok(pick(r))),
    ]);
  latencyRow('`GET /test_runs?$top=50` p50 / p99', (r) => r.listTop50, listTarget, (l) => l.p99 < TARGET_LIST_P99_MS);
  latencyRow('`GET /load_tests/{id}/test_runs?$orderby=created desc&created_after=…` (default page: 1000 runs) p50 / p99', (r) => r.perLoadTest, listTarget, (l) => l.p99 < TARGET_LIST_P99_MS);
  latencyRow('same with `&$top=50` p50 / p99', (r) => r.perLoadTestTop50, listTarget, (l) => l.p99 < TARGET_LIST_P99_MS);
  latencyRow('`GET /test_runs/{id}` (ids spread over the table) p50 / p99', (r) => r.getRun, '—');
  latencyRow('`GET /test_runs?$top=50&$count=true` p50 / p99', (r) => r.listCount, '—');
  const perCore = (r: BackendResult) => `${int(r.rpsCpuMicros)} µs → ${int(1e6 / r.rpsCpuMicros)}/s per core`;
  rows.push([
    `\`GET /test_runs/{id}\` under autocannon (${CONNECTIONS} connections, ${SECONDS} s) req/s`,
    cell(sqlite, (r) => int(r.rps)),
    cell(sqlite, perCore),
    cell(postgres, (r) => int(r.rps)),
    cell(postgres, perCore),
    any === undefined ? '—' : kb(any.getRun.bytes),
    `≥ ${int(TARGET_GET_RPS)} req/s on SQLite`,
    verdict([['SQLite', sqlite]], (r) => r.rps >= TARGET_GET_RPS),
  ]);
  rows.push([
    `seeding ${int(RUNS)} runs (\`seedBulkRuns\`, incl. ANALYZE)`,
    cell(sqlite, (r) => `${(r.seedMs / 1000).toFixed(1)} s`),
    '',
    cell(postgres, (r) => `${(r.seedMs / 1000).toFixed(1)} s`),
    '',
    '',
    RUNS >= 1_000_000 ? `1,000,000 runs < ${TARGET_SEED_1M_MS / 1000} s` : `1,000,000 runs < ${TARGET_SEED_1M_MS / 1000} s (needs --large)`,
    RUNS >= 1_000_000 ? verdict(both, (r) => (r.seedMs * 1_000_000) / RUNS < TARGET_SEED_1M_MS) : 'n/a',
  ]);

  const header = ['figure', 'SQLite', 'SQLite server CPU/req', 'PostgreSQL', 'PostgreSQL server CPU/req', 'body', 'target', 'met?'];
  const out = [
    '',
    `bench:api — ${int(RUNS)} runs over ${LOAD_TESTS} load tests; ${SAMPLES} sequential requests per endpoint after ${WARMUP} warm-up; ` +
      `Node ${process.version}, ${cpus().length} cores; load average (1/5/15 min) ${loadBefore} before, ${load()} after`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    ...results.map((r) => `autocannon ${r.dialect}: ${r.rpsDetail}`),
    ...skipped,
    '',
  ];
  process.stdout.write(out.join('\n'));
}

async function main(): Promise<void> {
  if (ONLY !== undefined && ONLY !== 'sqlite' && ONLY !== 'postgres') throw new Error(`--only must be sqlite or postgres, got "${ONLY}"`);
  const results: BackendResult[] = [];
  const notes: string[] = [];
  const loadBefore = load();
  // One store failing must not throw away the other's figures: it is reported, and the exit code says so.
  const attempt = async (kind: 'sqlite' | 'postgres') => {
    try {
      results.push(await benchBackend(kind));
    } catch (err) {
      const line = `${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} FAILED: ${err instanceof Error ? err.message : String(err)}`;
      log(line);
      notes.push(line);
      process.exitCode = 1;
    }
  };
  if (ONLY !== 'postgres') await attempt('sqlite');
  if (ONLY !== 'sqlite') {
    if (await postgresReachable(PG_URL)) await attempt('postgres');
    else {
      const line = `PostgreSQL skipped: ${PG_URL.replace(/\/\/[^@/]*@/, '//…@')} does not answer.`;
      log(line);
      notes.push(line);
    }
  }
  report(results, notes, loadBefore);
}

await main();
