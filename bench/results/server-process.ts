// The server side of `npm run bench:results`, in a process of its own so the bench's own work (the
// HTTP client, nginx's supervision) is not counted as server CPU. Composed as `stampede server`
// composes it (src/cli/server-command.ts): openStore + seedFirstStart, the real orchestrator (runs
// execute in real sandboxed runner processes with the real engine) and buildApp, on 127.0.0.1:<random>.
// One deviation: the orchestrator's `runMetrics.append` is wrapped to count batches and time each
// append (two performance.now() calls per batch). Driven over IPC by bench/results-bench.ts.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { createOrchestrator } from '../../src/orchestrator/index.ts';
import type { Orchestrator, OrchestratorStore } from '../../src/orchestrator/index.ts';
import { capSeries, createSeriesCapState, rollUpBatches } from '../../src/results/index.ts';
import { buildApp, parseServerConfig } from '../../src/server/index.ts';
import { openStore } from '../../src/store/index.ts';
import type { Store, StoredMetricsBatch } from '../../src/store/index.ts';
import { encodeAggregate } from '../../src/store/run-metrics-repo.ts';
import type { FromServer, IngestOutcome, ToServer } from './protocol.ts';
import { syntheticSeconds } from './seed-hour.ts';

function send(msg: FromServer): void {
  process.send?.(msg);
}

const cpuNow = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** utime + stime (+ reaped children) of a process from /proc/<pid>/stat, in µs; null when unreadable. */
function procCpuMicros(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14), in clock ticks (100/s).
    const ticks = [11, 12, 13, 14].reduce((a, i) => a + Number(fields[i] ?? 0), 0);
    return ticks * 10_000;
  } catch {
    return null;
  }
}

function sqliteBytes(dataDir: string): number {
  let total = 0;
  for (const f of readdirSync(dataDir)) if (/\.(db|sqlite|sqlite3)(-wal)?$/.test(f) || f.endsWith('-wal')) total += statSync(join(dataDir, f)).size;
  return total;
}

function canonicalTags(tags: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/**
 * The bytes the store writes for these batches, as run-metrics-repo.ts stores them (migration 0002):
 * per row its binary aggregate + 18 (run_id and time, 16; position and series number, 2); per series
 * its metric and tags once (+ 16), counted the first time `seen` meets it.
 */
function rowBytes(batches: readonly StoredMetricsBatch[], seen = new Set<string>()): { rows: number; bytes: number; series: number; byMetric: Record<string, number> } {
  let rows = 0;
  let bytes = 0;
  const series = new Set<string>();
  const byMetric: Record<string, number> = {};
  for (const b of batches) {
    for (const s of b.series) {
      const { metric, tags, ...aggregate } = s;
      const t = canonicalTags(tags);
      const key = `${metric} ${t}`;
      series.add(key);
      rows++;
      let n = encodeAggregate(aggregate).length + 18;
      if (!seen.has(key)) {
        seen.add(key);
        n += Buffer.byteLength(metric) + Buffer.byteLength(t) + 16;
      }
      bytes += n;
      byMetric[metric] = (byMetric[metric] ?? 0) + n;
    }
  }
  return { rows, bytes, series: series.size, byMetric };
}

interface Ctx {
  store: Store;
  orchestrator: Orchestrator;
  stackId: number;
  projectId: number;
  dataDir: string;
  appends: { count: number; ms: number };
}

async function ingest(ctx: Ctx, msg: Extract<ToServer, { type: 'ingest' }>): Promise<IngestOutcome> {
  const { store, orchestrator } = ctx;
  const source = `import http from 'k6/http';
export const options = ${msg.rate > 0
    ? `{ scenarios: { paced: { executor: 'constant-arrival-rate', rate: ${msg.rate}, timeUnit: '1s', duration: '${msg.seconds}s', preAllocatedVUs: ${msg.vus}, maxVUs: ${msg.vus} } } }`
    : `{ vus: ${msg.vus}, duration: '${msg.seconds}s' }`};
const base = ${JSON.stringify(msg.target)};
let i = 0;
export default function () { http.get(base + 'endpoint-' + (i++ % ${msg.names})); }
`;
  const script = { bytes: new TextEncoder().encode(source), contentType: 'text/javascript' as const };
  const test = await store.loadTests.create(ctx.stackId, { projectId: ctx.projectId, name: `ingest ${Date.now()}`, script });
  const { run } = await store.testRuns.create({ stackId: ctx.stackId, loadTestId: test.id, startedBy: 'admin@stampede.local' });

  // Idle baseline of this process (timers, GC), measured before the run over 2 s.
  const idle0 = cpuNow();
  const idleT0 = performance.now();
  await sleep(2000);
  const idleCpuMicrosPerMs = (cpuNow() - idle0) / (performance.now() - idleT0);

  const sqlite0 = sqliteBytes(ctx.dataDir);
  ctx.appends.count = 0;
  ctx.appends.ms = 0;
  await orchestrator.start(run.id);
  let window: { cpu0: number; t0: number; runner0: number | null; pid: number | null; cpu1?: number; t1?: number; runner1?: number | null } | null = null;
  const deadline = Date.now() + (msg.seconds + 180) * 1000;
  for (;;) {
    // The poll is one primary-key read every 250 ms (~0.1% of a core), counted in the window.
    const now = await store.testRuns.getById(run.id);
    if (now === null) throw new Error('run vanished');
    if (window === null && now.status === 'running') {
      const pid = orchestrator.active().find((a) => a.runId === run.id)?.pid ?? null;
      window = { cpu0: cpuNow(), t0: performance.now(), pid, runner0: pid === null ? null : procCpuMicros(pid) };
    }
    if (window !== null && window.t1 === undefined && now.status !== 'running') {
      window.cpu1 = cpuNow();
      window.t1 = performance.now();
      window.runner1 = window.pid === null ? null : procCpuMicros(window.pid);
    }
    if (window !== null && window.t1 === undefined && window.pid !== null) {
      // The runner's CPU is read while it lives (its /proc entry goes when it exits).
      const r = procCpuMicros(window.pid);
      if (r !== null) window.runner1 = r;
    }
    if (now.ended !== null) break;
    if (Date.now() > deadline) throw new Error(`ingest run still ${now.status} after ${msg.seconds + 180} s`);
    await sleep(250);
  }
  const final = await store.testRuns.getById(run.id);
  if (final === null) throw new Error('run vanished');
  const batches = await store.runMetrics.read(run.id);
  const stored = rowBytes(batches);
  const rolled = rowBytes(rollUpBatches(batches, 10_000));
  let requests = 0;
  let failed = 0;
  for (const b of batches) {
    for (const s of b.series) {
      if (s.metric === 'http_reqs') requests += s.counter?.sum ?? 0;
      if (s.metric === 'http_req_failed') failed += s.rate?.nonzero ?? 0;
    }
  }
  const w = window;
  return {
    runId: run.id,
    finalStatus: final.status,
    result: final.result,
    runningWallMs: w?.t1 === undefined ? 0 : w.t1 - w.t0,
    serverCpuMicros: w?.cpu1 === undefined ? 0 : w.cpu1 - w.cpu0,
    idleCpuMicrosPerMs,
    runnerCpuMicros: w?.runner0 == null || w.runner1 == null ? null : w.runner1 - w.runner0,
    requests,
    failedRequests: failed,
    storedSeconds: batches.length,
    rows: stored.rows,
    distinctSeries: stored.series,
    storedBytes: stored.bytes,
    rolledUp10sBytes: rolled.bytes,
    bytesByMetric: stored.byMetric,
    sampleRow: JSON.stringify(batches[Math.floor(batches.length / 2)]?.series.find((x) => x.metric === 'http_req_duration') ?? null).slice(0, 600),
    sqliteGrowthBytes: sqliteBytes(ctx.dataDir) - sqlite0,
    batchesAppended: ctx.appends.count,
    appendMs: ctx.appends.ms,
    maxVus: final.maxVus,
    statusMessage: final.statusHistory.at(-1)?.extra?.message ?? null,
  };
}

async function seedHour(ctx: Ctx, msg: Extract<ToServer, { type: 'seed-hour' }>): Promise<Extract<FromServer, { type: 'seeded' }>> {
  const { store } = ctx;
  const t0 = performance.now();
  const test = await store.loadTests.create(ctx.stackId, { projectId: ctx.projectId, name: `one hour ${Date.now()}`, script: null });
  const { run } = await store.testRuns.create({ stackId: ctx.stackId, loadTestId: test.id, startedBy: 'admin@stampede.local' });
  const startMs = Math.ceil(Date.now() / 1000) * 1000 + 1000;
  const endMs = startMs + msg.seconds * 1000;
  await store.testRuns.transition(run.id, 'queued', { at: new Date(startMs - 800) });
  await store.testRuns.transition(run.id, 'initializing', { at: new Date(startMs - 600) });
  await store.testRuns.transition(run.id, 'running', { at: new Date(startMs) });
  const pattern = syntheticSeconds({ names: msg.names, requestsPerSecond: msg.requestsPerSecond });
  const cap = createSeriesCapState();
  let rows = 0;
  let bytes = 0;
  const seen = new Set<string>();
  for (let s = 0; s < msg.seconds; s++) {
    const src = pattern[s % pattern.length] as StoredMetricsBatch;
    const { batch } = capSeries({ ...src, time: startMs + s * 1000 }, cap);
    const counted = rowBytes([batch], seen);
    rows += counted.rows;
    bytes += counted.bytes;
    await store.runMetrics.append(run.id, batch);
  }
  await store.testRuns.transition(run.id, 'processing_metrics', { at: new Date(endMs) });
  await store.testRuns.transition(run.id, 'completed', { at: new Date(endMs + 500), fields: { resultDetails: { type: 'passed', message: null, code: null } } });
  return { type: 'seeded', runId: run.id, rows, storedBytes: bytes, seedMs: performance.now() - t0, startS: startMs / 1000, endS: endMs / 1000 };
}

async function serve(start: Extract<ToServer, { type: 'start' }>): Promise<void> {
  const config = parseServerConfig({ STAMPEDE_HOST: '127.0.0.1', STAMPEDE_PORT: '0', STAMPEDE_DATA_DIR: start.dataDir, STAMPEDE_ADMIN_TOKEN: start.adminToken });
  const log = pino({ name: 'stampede-bench', level: 'warn' });
  const store = await openStore({ dataDir: config.dataDir, retentionDays: config.retentionDays, maxSavedRunsPerStack: config.maxSavedRuns === 0 ? null : config.maxSavedRuns });
  const seeded = await store.seedFirstStart({ adminToken: start.adminToken });
  const appends = { count: 0, ms: 0 };
  const orchestratorStore: OrchestratorStore = {
    testRuns: store.testRuns,
    projects: store.projects,
    loadZones: store.loadZones,
    runLogs: store.runLogs,
    runMetrics: {
      append: async (runId, batch) => {
        const t = performance.now();
        await store.runMetrics.append(runId, batch);
        appends.ms += performance.now() - t;
        appends.count++;
      },
    },
  };
  const orchestrator = createOrchestrator({ store: orchestratorStore, config: { maxConcurrentRuns: config.maxConcurrentRuns, ...(start.metricsHoldMs === undefined ? {} : { metricsHoldMs: start.metricsHoldMs }) }, log: log.child({ part: 'orchestrator' }) });
  await orchestrator.open();
  const app = await buildApp({ store, runs: orchestrator, config, logger: log });
  await app.listen({ host: config.host, port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const ctx: Ctx = { store, orchestrator, stackId: seeded.stackId, projectId: seeded.projectId, dataDir: config.dataDir, appends };

  const stop = async (): Promise<void> => {
    await app.close();
    await orchestrator.close();
    await store.close();
    send({ type: 'stopped' });
    process.disconnect?.();
  };
  process.on('message', (msg: ToServer) => {
    if (msg.type === 'stop') void stop().catch(fail);
    else if (msg.type === 'cpu') send({ type: 'cpu', micros: cpuNow() });
    else if (msg.type === 'ingest') void ingest(ctx, msg).then((outcome) => send({ type: 'ingested', outcome }), fail);
    else if (msg.type === 'seed-hour') void seedHour(ctx, msg).then(send, fail);
  });
  send({ type: 'ready', port, stackId: seeded.stackId, projectId: seeded.projectId });
}

function fail(err: unknown): void {
  send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  process.disconnect?.();
}

process.once('message', (msg: ToServer) => {
  if (msg.type === 'start') void serve(msg).catch(fail);
});
send({ type: 'hello' });
