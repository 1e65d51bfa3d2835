// Cold and warm latency of the reads a dashboard and CI make of a long finished run (session 22; not an
// npm script). Seeds finished runs with bench/results/seed-hour.ts's synthesis (as bench:results'
// one-hour run), then times, through buildApp's real routes (app.inject, no sockets):
//   p95   query_range_k6 histogram_quantile(0.95) by (name) of http_req_duration{expected_response="true"}, default step
//   series  series?match[]=http_req_duration
//   summary GET /cloud/v5/test_runs({id})/result_summary
// Cold: the first request of its kind on a fresh app (a new RunMetricsCache; the code already JIT-warm
// from a warm-up run); next: the request right after it; warm: the median of --warm requests 3 s later. Every request's answer is hashed so
// two builds' answers can be compared.
//
//   node --import tsx bench/results/query-latency.ts --root <checkout> --data <dir> [--pg <url>] --shape 10x3600[,200x1020] [--seed] [--rounds 3] [--warm 5]
// --seed stores the shapes' runs in <dir> (SQLite) or the PostgreSQL database at --pg (pgSchema qa_q_bench);
// without it the runs seeded earlier are read. The store opened is the checkout's (--root), so one
// seeded store serves builds of the same schema.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const root = resolve(arg('root') ?? resolve(import.meta.dirname, '../..'));
const dataDir = resolve(arg('data') ?? '/tmp/qa_q_bench');
const pgUrl = arg('pg');
const shapes = (arg('shape') ?? '10x3600').split(',').map((s) => s.split('x').map(Number) as [number, number]);
const ROUNDS = Number(arg('rounds') ?? 3);
const WARM = Number(arg('warm') ?? 5);
const RPS = Number(arg('rps') ?? 1000);

/* eslint-disable @typescript-eslint/no-explicit-any -- the checkout's modules, imported by path */
const storeMod: any = await import(join(root, 'src/store/index.ts'));
const resultsMod: any = await import(join(root, 'src/results/index.ts'));
const serverMod: any = await import(join(root, 'src/server/index.ts'));
const orchMod: any = await import(join(root, 'src/orchestrator/index.ts'));
const { syntheticSeconds } = await import(join(root, 'bench/results/seed-hour.ts'));

mkdirSync(dataDir, { recursive: true });
const config = pgUrl === undefined ? { dataDir } : { dataDir, databaseUrl: pgUrl, pgSchema: 'qa_q_bench' };
const store = await storeMod.openStore(config);
const seeded = await store.seedFirstStart({ adminToken: 'qa-q-bench-token-0123456789abcdef' });
const headers = { authorization: 'Bearer qa-q-bench-token-0123456789abcdef', 'x-stack-id': String(seeded.stackId) };

async function seedRun(names: number, seconds: number): Promise<number> {
  const test = await store.loadTests.create(seeded.stackId, { projectId: seeded.projectId, name: `q ${names}x${seconds}`, script: null });
  const { run } = await store.testRuns.create({ stackId: seeded.stackId, loadTestId: test.id, startedBy: 'admin@stampede.local' });
  const startMs = Date.parse('2026-11-01T10:00:00Z');
  await store.testRuns.transition(run.id, 'queued', { at: new Date(startMs - 800) });
  await store.testRuns.transition(run.id, 'initializing', { at: new Date(startMs - 600) });
  await store.testRuns.transition(run.id, 'running', { at: new Date(startMs) });
  const pattern = syntheticSeconds({ names, requestsPerSecond: RPS });
  const cap = resultsMod.createSeriesCapState();
  const first: unknown[] = [];
  let passes = 0;
  let fails = 0;
  for (let s = 0; s < seconds; s++) {
    const src = pattern[s % pattern.length];
    const { batch } = resultsMod.capSeries({ ...src, time: startMs + s * 1000 }, cap);
    // A check per request, as the soak script's.
    batch.series.push({ metric: 'checks', tags: { group: '', check: 'status is 200', scenario: 'default' }, rate: { nonzero: RPS - (s % 7), total: RPS } });
    if (s === 0) batch.metrics.push({ name: 'checks', type: 'rate', contains: 'default' });
    passes += RPS - (s % 7);
    fails += s % 7;
    if (s < 60) first.push(batch);
    await store.runMetrics.append(run.id, batch);
  }
  const endMs = startMs + seconds * 1000;
  await store.testRuns.transition(run.id, 'processing_metrics', { at: new Date(endMs) });
  // The end-of-test summary a runner reports (so result_summary need not rebuild it from every stored
  // second): the first minute's, its check counts made the run's.
  const { data: summary } = resultsMod.summarizeMergedBatches(first, {});
  const checkValues = summary.metrics.checks?.values;
  if (checkValues) Object.assign(checkValues, { passes, fails, rate: passes / (passes + fails) });
  for (const c of summary.root_group.checks) Object.assign(c, { passes, fails });
  await store.testRuns.transition(run.id, 'completed', { at: new Date(endMs + 500), fields: { summary, resultDetails: { type: 'passed', message: null, code: null } } });
  return run.id;
}

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const orchestrator = orchMod.createOrchestrator({ store, config: { maxConcurrentRuns: 1 }, log: quiet });
await orchestrator.open();
const newApp = (): Promise<any> => serverMod.buildApp({ store, runs: orchestrator, config: serverMod.parseServerConfig({ STAMPEDE_DATA_DIR: dataDir }), logger: false });

// The runs of each shape: found by load test name (seeded earlier) or seeded now.
const runsByShape = new Map<string, number>();
// A small run to warm the JIT on: run 1 when seeded in a fresh store.
const warmupRun = args.includes('--seed') ? await seedRun(10, 120) : 1;
for (const [names, seconds] of shapes) {
  const key = `${names}x${seconds}`;
  if (args.includes('--seed')) {
    const t = performance.now();
    runsByShape.set(key, await seedRun(names, seconds));
    console.error(`seeded ${key} as run ${runsByShape.get(key)} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
}
if (!args.includes('--seed')) {
  // Runs are numbered in seeding order, one per shape, after the warm-up run.
  shapes.forEach(([n, s], i) => runsByShape.set(`${n}x${s}`, Number(arg('first-run') ?? 2) + i));
}

const p95 = (id: number): string => `/cloud/v5/test_runs/${id}/${encodeURIComponent(`query_range_k6(query='histogram_quantile(0.95) by (name)',metric='http_req_duration{expected_response="true"}')`)}`;
const series = (id: number): string => `/cloud/v5/test_runs/${id}/series?match[]=http_req_duration`;
const summary = (id: number): string => `/cloud/v5/test_runs(${id})/result_summary`;
const KINDS = { p95, series, summary } as const;

async function time(app: any, url: string): Promise<{ ms: number; hash: string }> {
  const t = performance.now();
  const res = await app.inject({ method: 'GET', url, headers });
  const ms = performance.now() - t;
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return { ms, hash: createHash('sha1').update(res.body).digest('hex').slice(0, 12) };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;

// JIT warm-up on a small run.
{
  const app = await newApp();
  for (const k of Object.values(KINDS)) await time(app, k(warmupRun));
  await app.close();
}
for (const [shape, id] of runsByShape) {
  for (const [kind, url] of Object.entries(KINDS)) {
    const colds: number[] = [];
    const nexts: number[] = [];
    const warms: number[] = [];
    const hashes = new Set<string>();
    for (let r = 0; r < ROUNDS; r++) {
      const app = await newApp();
      const cold = await time(app, url(id));
      colds.push(cold.ms);
      hashes.add(cold.hash);
      // The request right after (a dashboard's next panel on the same metric), then, 3 s later, warm ones.
      const next = await time(app, url(id));
      nexts.push(next.ms);
      hashes.add(next.hash);
      await new Promise((r) => setTimeout(r, 3000));
      const w: number[] = [];
      for (let i = 0; i < WARM; i++) {
        const x = await time(app, url(id));
        w.push(x.ms);
        hashes.add(x.hash);
      }
      warms.push(median(w));
      await app.close();
      // Copies that app's cache still builds (once reads pause, within 5 s) must not land in the next cold request.
      await new Promise((r) => setTimeout(r, 6000));
    }
    console.log(JSON.stringify({ root, shape, run: id, kind, coldMs: colds.map((x) => Math.round(x)), nextMs: nexts.map((x) => Math.round(x)), warmMs: warms.map((x) => Math.round(x * 10) / 10), answers: [...hashes] }));
  }
}
await orchestrator.close();
await store.close();
