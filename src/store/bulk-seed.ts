// Bulk seeding for benchmarks: many completed runs spread over a few load tests, written in large
// transactions. SQLite uses one prepared statement in a synchronous transaction (fastest there);
// PostgreSQL inserts 10,000 rows per statement by unnesting arrays. Every seeded run is a complete,
// valid record (full status history, cost, result) so API benchmarks serialise realistic rows.
import type Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { newId } from '../core/index.ts';
import { computeCost, DEFAULT_LOAD_ZONE_ID, retentionExpiry, statusEntry, type RunStatus } from '../domain/index.ts';
import type { Database as Schema } from './schema.ts';
import { putScript } from './scripts.ts';
import type { BulkSeedOptions, BulkSeedResult } from './store.ts';

const SCRIPT = "import http from 'k6/http';\nexport const options = { vus: 10, duration: '1m' };\nexport default function () { http.get('http://127.0.0.1:8080/'); }\n";
const PG_CHUNK = 10_000;
const SQLITE_TX_ROWS = 50_000;
const STEPS: readonly RunStatus[] = ['created', 'queued', 'initializing', 'running', 'processing_metrics', 'completed'];
const STEP_OFFSETS_MS = [0, 200, 1_000, 5_000, 65_000, 67_000];

interface SeedRow {
  loadTestId: number;
  created: number;
  ended: number;
  history: string;
  expiry: number | null;
}

const constant = {
  status: 'completed',
  result: 'passed',
  result_details: JSON.stringify({ type: 'passed', message: null, code: null }),
  options: JSON.stringify({ vus: 10, duration: '1m' }),
  distribution: JSON.stringify([{ load_zone: DEFAULT_LOAD_ZONE_ID, percent: 100 }]),
  max_vus: 10,
  max_browser_vus: 0,
  estimated_duration: 90,
  execution_duration: 60,
  cost: computeCost({ maxVus: 10, maxBrowserVus: 0, durationSeconds: 60 }),
  k6_dependencies: '{}',
  k6_versions: JSON.stringify({ k6: 'stampede' }),
  started_by: 'admin@stampede.local',
};

function seedRow(i: number, loadTestIds: readonly number[], startAt: number, spacingMs: number, retentionDays: number | undefined): SeedRow {
  const created = startAt + i * spacingMs;
  const history = STEPS.map((s, k) => statusEntry(s, new Date(created + (STEP_OFFSETS_MS[k] ?? 0))));
  const ended = created + (STEP_OFFSETS_MS[STEP_OFFSETS_MS.length - 1] ?? 0);
  return {
    loadTestId: loadTestIds[i % loadTestIds.length] as number,
    created,
    ended,
    history: JSON.stringify(history),
    expiry: retentionExpiry(new Date(ended), false, retentionDays)?.getTime() ?? null,
  };
}

async function createLoadTests(db: Kysely<Schema>, opts: BulkSeedOptions, scriptHash: string): Promise<number[]> {
  const now = Date.now();
  const tag = newId().slice(0, 8);
  const rows = Array.from({ length: Math.max(1, opts.loadTests) }, (_, i) => ({
    project_id: opts.projectId,
    stack_id: opts.stackId,
    name: `bench-${tag}-${i + 1}`,
    baseline_test_run_id: null,
    k6_version: null,
    script_hash: scriptHash,
    created: now,
    updated: now,
  }));
  const inserted = await db.insertInto('load_tests').values(rows).returning('id').execute();
  return inserted.map((r) => r.id);
}

export async function seedBulkRuns(
  target: { kind: 'sqlite'; db: Kysely<Schema>; raw: Database.Database } | { kind: 'postgres'; db: Kysely<Schema> },
  opts: BulkSeedOptions,
  retentionDays: number | undefined,
): Promise<BulkSeedResult> {
  const scriptHash = await putScript(target.db, { bytes: new TextEncoder().encode(SCRIPT), contentType: 'text/javascript' });
  const loadTestIds = await createLoadTests(target.db, opts, scriptHash);
  const spacingMs = opts.spacingMs ?? 1_000;
  const startAt = (opts.startAt ?? new Date(Date.now() - opts.runs * spacingMs)).getTime();
  const cost = JSON.stringify(constant.cost);
  const common = [
    opts.projectId,
    opts.stackId,
    constant.status,
    constant.result,
    constant.result_details,
    constant.options,
    constant.distribution,
    constant.max_vus,
    constant.max_browser_vus,
    constant.estimated_duration,
    constant.execution_duration,
    cost,
    constant.cost.total_vuh,
    constant.k6_dependencies,
    constant.k6_versions,
    constant.started_by,
    scriptHash,
  ] as const;
  const columns =
    'project_id, stack_id, status, result, result_details, options, distribution, max_vus, max_browser_vus, estimated_duration, execution_duration, cost, cost_vuh, k6_dependencies, k6_versions, started_by, script_hash, note, is_starred, is_saved, results_deleted, load_test_id, created, ended, status_history, retention_expiry';

  if (target.kind === 'sqlite') {
    const stmt = target.raw.prepare(`INSERT INTO test_runs (${columns}) VALUES (${common.map(() => '?').join(', ')}, '', 0, 0, 0, ?, ?, ?, ?, ?)`);
    const insertMany = target.raw.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const r = seedRow(i, loadTestIds, startAt, spacingMs, retentionDays);
        stmt.run(...common, r.loadTestId, r.created, r.ended, r.history, r.expiry);
      }
    });
    for (let from = 0; from < opts.runs; from += SQLITE_TX_ROWS) insertMany(from, Math.min(opts.runs, from + SQLITE_TX_ROWS));
    target.raw.exec('ANALYZE');
    return { loadTestIds, runCount: opts.runs };
  }

  for (let from = 0; from < opts.runs; from += PG_CHUNK) {
    const rows = Array.from({ length: Math.min(PG_CHUNK, opts.runs - from) }, (_, k) => seedRow(from + k, loadTestIds, startAt, spacingMs, retentionDays));
    const consts = sql.join(common.map((v) => sql`${v}`));
    await sql`INSERT INTO test_runs (${sql.raw(columns)})
      SELECT ${consts}, '', 0, 0, 0, u.lt, u.created, u.ended, u.history, u.expiry
      FROM unnest(${rows.map((r) => r.loadTestId)}::bigint[], ${rows.map((r) => r.created)}::bigint[], ${rows.map((r) => r.ended)}::bigint[],
                  ${rows.map((r) => r.history)}::text[], ${rows.map((r) => r.expiry)}::bigint[]) AS u(lt, created, ended, history, expiry)`.execute(target.db);
  }
  // Fresh statistics and visibility map, so list and count plans use the indexes at once.
  await sql`VACUUM ANALYZE test_runs`.execute(target.db);
  return { loadTestIds, runCount: opts.runs };
}
