// Bulk seeding for benchmarks: many completed runs spread over a few load tests. Rows are generated
// inside the database (a recursive CTE on SQLite, generate_series on PostgreSQL) in large
// transactions, so a million runs take seconds rather than minutes of per-row JavaScript. Every seeded
// run is a complete, valid record (full status history, cost, result) so API benchmarks serialise
// realistic rows.
import type Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { newId } from '../core/index.ts';
import { computeCost, DEFAULT_LOAD_ZONE_ID, retentionExpiry, type RunStatus } from '../domain/index.ts';
import type { Database as Schema } from './schema.ts';
import { putScript } from './scripts.ts';
import type { BulkSeedOptions, BulkSeedResult } from './store.ts';

const SCRIPT = "import http from 'k6/http';\nexport const options = { vus: 10, duration: '1m' };\nexport default function () { http.get('http://127.0.0.1:8080/'); }\n";
const ROWS_PER_TX = 100_000;
const STEPS: readonly RunStatus[] = ['created', 'queued', 'initializing', 'running', 'processing_metrics', 'completed'];
const STEP_OFFSETS_MS = [0, 200, 1_000, 5_000, 65_000, 67_000];

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

/** SQL text of the status history for a run created at `createdSql` (epoch ms), given an ISO formatter. */
function historySql(createdSql: string, iso: (msSql: string) => string): string {
  const entries = STEPS.map((step, k) => `'{"type":"${step}","entered":"' || ${iso(`(${createdSql} + ${STEP_OFFSETS_MS[k] ?? 0})`)} || '","extra":null}'`);
  return `'[' || ${entries.join(` || ',' || `)} || ']'`;
}

const sqliteIso = (ms: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${ms} / 1000.0, 'unixepoch')`;
const postgresIso = (ms: string) => `to_char(to_timestamp(${ms} / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export async function seedBulkRuns(
  target: { kind: 'sqlite'; db: Kysely<Schema>; raw: Database.Database } | { kind: 'postgres'; db: Kysely<Schema> },
  opts: BulkSeedOptions,
  retentionDays: number | undefined,
): Promise<BulkSeedResult> {
  const scriptHash = await putScript(target.db, { bytes: new TextEncoder().encode(SCRIPT), contentType: 'text/javascript' });
  const loadTestIds = await createLoadTests(target.db, opts, scriptHash);
  const spacingMs = Math.max(0, Math.trunc(opts.spacingMs ?? 1_000));
  const startAt = (opts.startAt ?? new Date(Date.now() - opts.runs * spacingMs)).getTime();
  const lastOffset = STEP_OFFSETS_MS[STEP_OFFSETS_MS.length - 1] ?? 0;
  const retentionMs = (retentionExpiry(new Date(0), false, retentionDays)?.getTime() ?? 0) + lastOffset;
  const values = [
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
    JSON.stringify(constant.cost),
    constant.cost.total_vuh,
    constant.k6_dependencies,
    constant.k6_versions,
    constant.started_by,
    scriptHash,
  ];
  const columns =
    'project_id, stack_id, status, result, result_details, options, distribution, max_vus, max_browser_vus, estimated_duration, execution_duration, cost, cost_vuh, k6_dependencies, k6_versions, started_by, script_hash, note, is_starred, is_saved, results_deleted, load_test_id, created, ended, status_history, retention_expiry';
  const created = `(${startAt} + g.i * ${spacingMs})`;
  // Numbers interpolated into the SQL below are integers computed here, never user text.
  const n = loadTestIds.length;

  if (target.kind === 'sqlite') {
    const ltExpr = `json_extract('${JSON.stringify(loadTestIds)}', '$[' || (g.i % ${n}) || ']')`;
    const stmt = target.raw.prepare(
      `WITH RECURSIVE g(i) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT i + 1 FROM g WHERE i + 1 < ?)
       INSERT INTO test_runs (${columns})
       SELECT ${values.map(() => '?').join(', ')}, '', 0, 0, 0, ${ltExpr}, ${created}, ${created} + ${lastOffset}, ${historySql(created, sqliteIso)}, ${created} + ${retentionMs} FROM g`,
    );
    const insertRange = target.raw.transaction((from: number, to: number) => stmt.run(from, to, ...values));
    // Holding Kysely's (single) connection keeps any Kysely transaction from interleaving with ours.
    await target.db.connection().execute(async () => {
      for (let from = 0; from < opts.runs; from += ROWS_PER_TX) insertRange(from, Math.min(opts.runs, from + ROWS_PER_TX));
      target.raw.exec('ANALYZE');
    });
    return { loadTestIds, runCount: opts.runs };
  }

  const ltExpr = `(ARRAY[${loadTestIds.join(',')}]::bigint[])[1 + (g.i % ${n})]`;
  for (let from = 0; from < opts.runs; from += ROWS_PER_TX) {
    const to = Math.min(opts.runs, from + ROWS_PER_TX) - 1;
    const params = sql.join(values.map((v) => sql`${v}`));
    await sql`INSERT INTO test_runs (${sql.raw(columns)})
      SELECT ${params}, '', 0, 0, 0, ${sql.raw(ltExpr)}, ${sql.raw(created)}, ${sql.raw(`${created} + ${lastOffset}`)}, ${sql.raw(historySql(created, postgresIso))}, ${sql.raw(`${created} + ${retentionMs}`)}
      FROM generate_series(${from}::bigint, ${to}::bigint) AS g(i)`.execute(target.db);
  }
  // Fresh statistics and visibility map, so list and count plans use the indexes at once.
  await sql`VACUUM ANALYZE test_runs`.execute(target.db);
  return { loadTestIds, runCount: opts.runs };
}
