import type BetterSqlite3 from 'better-sqlite3';
import type { CompiledQuery, Kysely, Transaction } from 'kysely';
import type pg from 'pg';
import { StampedeError } from '../core/index.ts';
import {
  appendStatus,
  computeCost,
  deriveResult,
  FINAL_RUN_STATUSES,
  isFinalStatus,
  monthStart,
  retentionExpiry,
  runningMs,
  statusEntry,
  type ListQuery,
  type StatusEntry,
} from '../domain/index.ts';
import { applyOrder } from './ordering.ts';
import { countOf, pageOf } from './paging.ts';
import { failedThresholds, patchColumns, RUN_COLUMNS, RUN_TEXT_COLUMNS, runTextFromValues, toRun, toStatus, type RunRow } from './run-rows.ts';
import type { Database, Dialect, TestRunsTable } from './schema.ts';
import { getScriptByHash, putScript } from './scripts.ts';
import { RunTextCache } from './run-text-cache.ts';
import { isUniqueViolation } from './sql-errors.ts';
import type { CreateRunInput, StoreConfig, TestRunRecord, TestRunsRepo, TestRunText } from './store.ts';
import { storeWork } from './query-bounds.ts';

const IDEMPOTENCY_TTL_MS = 10 * 60_000;
const SWEEP_BATCH = 500;
const VALUE_STATEMENT_CACHE_SIZE = 100;
const ID_COLUMN = ['id'] as const;
// Optimistic transitions: a concurrent transition makes our compare-and-set miss; we re-read and
// re-check legality. More attempts than this means something is badly wrong.
const TRANSITION_ATTEMPTS = 8;

const notFound = () => new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Test run not found');

type RunsConfig = Pick<StoreConfig, 'retentionDays' | 'maxSavedRunsPerStack' | 'costReductions'>;

/** The driver handles under `db` (one of them), through which list pages are read as arrays of values. */
export interface RawHandles {
  sqlite?: BetterSqlite3.Database;
  pgPool?: pg.Pool;
}

/** `runCache`: shared with the repositories whose writes change runs (load test move). */
export function testRunsRepo(db: Kysely<Database>, dialect: Dialect, config: RunsConfig, raw: RawHandles = {}, runCache: RunTextCache = new RunTextCache()): TestRunsRepo {
  const selectRuns = (from: Kysely<Database> | Transaction<Database> = db) => from.selectFrom('test_runs').select(RUN_COLUMNS);

  /** A run list's filtered query (for the count) and its ordered page, selecting `columns`. */
  function listQueries<C extends readonly (keyof TestRunsTable)[]>(columns: C, stackId: number, query: ListQuery, scope: { loadTestId?: number }) {
    let base = db.selectFrom('test_runs').select(columns).where('stack_id', '=', stackId);
    if (scope.loadTestId !== undefined) base = base.where('load_test_id', '=', scope.loadTestId);
    if (query.createdAfter !== null) base = base.where('created', '>=', query.createdAfter.getTime());
    if (query.createdBefore !== null) base = base.where('created', '<', query.createdBefore.getTime());
    if (query.isStarred !== null) base = base.where('is_starred', '=', query.isStarred ? 1 : 0);
    const page = { top: query.top, skip: query.skip, count: query.count };
    const ordered = applyOrder(base, 'test_runs', query.orderBy, ['created', 'id'], { field: 'created', desc: false });
    return { base, paged: pageOf(ordered, page) };
  }

  /** `$count` of a run list, from the run cache while no run was written since it was counted. */
  async function countRuns(base: Parameters<typeof countOf>[0], stackId: number, query: ListQuery, scope: { loadTestId?: number }): Promise<number | null> {
    if (!query.count) return null;
    const key = JSON.stringify([stackId, scope.loadTestId ?? null, query.createdAfter?.getTime() ?? null, query.createdBefore?.getTime() ?? null, query.isStarred]);
    const cached = runCache.getCount(key);
    if (cached !== undefined) return cached;
    const generation = runCache.generation;
    const count = (await countOf(base, true)) as number;
    runCache.keepCount(generation, key, count);
    return count;
  }

  // Both drivers build a row object key by key, which for a 1000-row page of wide rows costs more than
  // reading the values; list pages read arrays instead, from the query Kysely compiled.
  // PostgreSQL: the pool's own `rowMode: 'array'` (a single statement, like Kysely's non-transaction reads).
  // SQLite: run on Kysely's (single) connection so the read never lands inside another caller's open
  // transaction; own statements (raw mode is a per-statement switch, so Kysely's cached statements are
  // not shared), bounded like Kysely's cache.
  const valueStatements = new Map<string, BetterSqlite3.Statement>();
  async function readValues(compiled: CompiledQuery, columns: readonly string[]): Promise<unknown[][]> {
    if (raw.sqlite === undefined && raw.pgPool === undefined) {
      const res = await db.executeQuery<Record<string, unknown>>(compiled);
      return res.rows.map((row) => columns.map((c) => row[c]));
    }
    if (raw.pgPool !== undefined) {
      const res = await raw.pgPool.query<unknown[]>({ text: compiled.sql, values: compiled.parameters as unknown[], rowMode: 'array' });
      return res.rows;
    }
    const sqlite = raw.sqlite as BetterSqlite3.Database;
    return db.connection().execute(async () => {
      let stmt = valueStatements.get(compiled.sql);
      if (stmt === undefined) {
        stmt = sqlite.prepare(compiled.sql).raw(true);
        if (valueStatements.size >= VALUE_STATEMENT_CACHE_SIZE) {
          const oldest = valueStatements.keys().next();
          if (oldest.done !== true) valueStatements.delete(oldest.value);
        }
        valueStatements.set(compiled.sql, stmt);
      }
      return stmt.all(...compiled.parameters) as unknown[][];
    });
  }

  async function getById(id: number, from: Kysely<Database> | Transaction<Database> = db): Promise<TestRunRecord | null> {
    const row = await selectRuns(from).where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : toRun(row as RunRow);
  }

  async function requireScoped(stackId: number, id: number, from: Kysely<Database> | Transaction<Database> = db): Promise<TestRunRecord> {
    const row = await selectRuns(from).where('stack_id', '=', stackId).where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw notFound();
    return toRun(row as RunRow);
  }

  /** Runs `write` (which changes run `id`), then drops the run from the run cache, also when it failed. */
  async function changing<T>(id: number, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } finally {
      runCache.forget(id);
    }
  }

  async function setScoped(stackId: number, id: number, set: Partial<Omit<TestRunsTable, 'id'>>): Promise<TestRunRecord> {
    const res = await changing(id, () => db.updateTable('test_runs').set(set).where('stack_id', '=', stackId).where('id', '=', id).executeTakeFirst());
    if (Number(res.numUpdatedRows) === 0) throw notFound();
    return requireScoped(stackId, id);
  }

  async function insertRun(trx: Transaction<Database>, input: CreateRunInput, loadTest: { project_id: number; script_hash: string | null }, now: Date): Promise<number> {
    // Holds the load test's row until the run is committed, so a concurrent delete of the load test
    // (or its project) either sees this run and refuses, or has removed the test first (404 here).
    // Without it, PostgreSQL let a DELETE cascade away a run whose start had just answered 200.
    const locked = await trx.updateTable('load_tests').set((eb) => ({ name: eb.ref('name') })).where('stack_id', '=', input.stackId).where('id', '=', input.loadTestId).executeTakeFirst();
    if (Number(locked.numUpdatedRows) === 0) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Load test not found');
    const scriptHash = input.script === undefined ? loadTest.script_hash : input.script === null ? null : await putScript(trx, input.script);
    const history: StatusEntry[] = [statusEntry('created', now)];
    const row = await trx
      .insertInto('test_runs')
      .values({
        load_test_id: input.loadTestId,
        project_id: loadTest.project_id,
        stack_id: input.stackId,
        status: 'created',
        status_history: JSON.stringify(history),
        result: null,
        result_details: null,
        options: input.options == null ? null : JSON.stringify(input.options),
        distribution: input.distribution == null ? null : JSON.stringify(input.distribution),
        max_vus: input.maxVus ?? null,
        max_browser_vus: input.maxBrowserVus ?? null,
        estimated_duration: input.estimatedDuration ?? null,
        execution_duration: 0,
        cost: input.cost == null ? null : JSON.stringify(input.cost),
        cost_vuh: input.cost?.total_vuh ?? 0,
        k6_dependencies: JSON.stringify(input.k6Dependencies ?? {}),
        k6_versions: JSON.stringify(input.k6Versions ?? {}),
        started_by: input.startedBy,
        note: '',
        is_starred: 0,
        is_saved: 0,
        retention_expiry: retentionExpiry(null, false, config.retentionDays, now)?.getTime() ?? null,
        results_deleted: 0,
        runner_distribution: null,
        script_hash: scriptHash,
        summary: null,
        thresholds: null,
        created: now.getTime(),
        ended: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function findIdempotent(loadTestId: number, key: string, now: Date): Promise<number | null> {
    const row = await db
      .selectFrom('idempotency_keys')
      .select('run_id')
      .where('load_test_id', '=', loadTestId)
      .where('key', '=', key)
      .where('expires', '>', now.getTime())
      .executeTakeFirst();
    return row?.run_id ?? null;
  }

  async function sweep(now: Date): Promise<number> {
    let swept = 0;
    for (;;) {
      const rows = await db
        .selectFrom('test_runs')
        .select('id')
        .where('is_saved', '=', 0)
        .where('results_deleted', '=', 0)
        .where('retention_expiry', '<=', now.getTime())
        // A run still in flight keeps its results whatever its provisional expiry says.
        .where('ended', 'is not', null)
        .orderBy('id')
        .limit(SWEEP_BATCH)
        .execute();
      if (rows.length === 0) return swept;
      const ids = rows.map((r) => r.id);
      // Nothing a list shows changes here; forgotten all the same, so no write ever leaves a run cached.
      try {
        await db.transaction().execute(async (trx) => {
          await trx.deleteFrom('run_metrics').where('run_id', 'in', ids).execute();
          await trx.deleteFrom('run_metric_defs').where('run_id', 'in', ids).execute();
          await trx.updateTable('test_runs').set({ summary: null, thresholds: null, results_deleted: 1 }).where('id', 'in', ids).execute();
        });
      } finally {
        for (const id of ids) runCache.forget(id);
      }
      swept += ids.length;
    }
  }

  return {
    async create(input) {
      const now = input.now ?? new Date();
      const loadTest = await db
        .selectFrom('load_tests')
        .select(['project_id', 'script_hash'])
        .where('stack_id', '=', input.stackId)
        .where('id', '=', input.loadTestId)
        .executeTakeFirst();
      if (loadTest === undefined) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Load test not found');
      const key = input.idempotencyKey;
      // A new run changes list counts: the run cache forgets them once the insert has committed.
      if (key === undefined) {
        const id = await db.transaction().execute((trx) => insertRun(trx, input, loadTest, now));
        runCache.forget(id);
        return { run: (await getById(id)) as TestRunRecord, reused: false };
      }
      const existing = await findIdempotent(input.loadTestId, key, now);
      if (existing !== null) {
        const run = await getById(existing);
        if (run !== null) return { run, reused: true };
      }
      try {
        const id = await db.transaction().execute(async (trx) => {
          await trx.deleteFrom('idempotency_keys').where('load_test_id', '=', input.loadTestId).where('key', '=', key).where('expires', '<=', now.getTime()).execute();
          const runId = await insertRun(trx, input, loadTest, now);
          await trx.insertInto('idempotency_keys').values({ load_test_id: input.loadTestId, key, run_id: runId, expires: now.getTime() + IDEMPOTENCY_TTL_MS }).execute();
          return runId;
        });
        runCache.forget(id);
        return { run: (await getById(id)) as TestRunRecord, reused: false };
      } catch (err) {
        // A concurrent start with the same key won the race: answer with its run.
        if (!isUniqueViolation(err)) throw err;
        const winner = await findIdempotent(input.loadTestId, key, now);
        const run = winner === null ? null : await getById(winner);
        if (run === null) throw err;
        return { run, reused: true };
      }
    },

    async get(stackId, id) {
      const row = await selectRuns().where('stack_id', '=', stackId).where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : toRun(row as RunRow);
    },

    getById: (id) => getById(id),

    async list(stackId, query, scope = {}) {
      const { base, paged } = listQueries(RUN_COLUMNS, stackId, query, scope);
      const [rows, count] = await Promise.all([paged.execute(), countRuns(base, stackId, query, scope)]);
      return { items: rows.map((r) => toRun(r as RunRow)), count };
    },

    async listText(stackId, query, scope = {}) {
      // The page's ids (an index-only read), then the rows of the runs not in the run cache.
      const { base, paged } = listQueries(ID_COLUMN, stackId, query, scope);
      const generation = runCache.generation;
      const [idRows, count] = await Promise.all([readValues(paged.compile(), ID_COLUMN), countRuns(base, stackId, query, scope)]);
      const ids = idRows.map((r) => r[0] as number);
      const runs = new Map<number, TestRunText>();
      const missing: number[] = [];
      for (const id of ids) {
        const cached = runCache.get(id);
        if (cached === undefined) missing.push(id);
        else runs.set(id, cached);
      }
      if (missing.length > 0) {
        const rows = await readValues(db.selectFrom('test_runs').select(RUN_TEXT_COLUMNS).where('id', 'in', missing).compile(), RUN_TEXT_COLUMNS);
        for (const row of rows) {
          const run = runTextFromValues(row);
          runs.set(run.id, run);
          runCache.keep(generation, run);
        }
      }
      const items: TestRunText[] = [];
      for (const id of ids) {
        const run = runs.get(id);
        if (run !== undefined) items.push(run);
      }
      // A run deleted between the two reads: read the page in one go instead, so paging stays right.
      if (items.length < ids.length) {
        const whole = listQueries(RUN_TEXT_COLUMNS, stackId, query, scope).paged;
        return { items: (await readValues(whole.compile(), RUN_TEXT_COLUMNS)).map(runTextFromValues), count };
      }
      return { items, count };
    },

    async transition(id, to, opts = {}) {
      for (let attempt = 0; attempt < TRANSITION_ATTEMPTS; attempt++) {
        const at = opts.at ?? new Date();
        const row = await db
          .selectFrom('test_runs')
          .select(['status', 'status_history', 'is_saved', 'max_vus', 'max_browser_vus', 'thresholds', 'execution_duration'])
          .where('id', '=', id)
          .executeTakeFirst();
        if (row === undefined) throw notFound();
        const from = toStatus(row.status);
        const history = appendStatus(JSON.parse(row.status_history) as StatusEntry[], to, at, opts.extra ?? null);
        const fields = opts.fields ?? {};
        const set: Partial<Omit<TestRunsTable, 'id'>> = { ...patchColumns(fields), status: to, status_history: JSON.stringify(history) };
        if (isFinalStatus(to)) {
          // Cost bills partial minutes as whole ones, so it uses the unrounded running time.
          const lastStored = opts.durationAsLastStored === true && from === 'running' ? Number(row.execution_duration) : undefined;
          const executionDuration = fields.executionDuration ?? lastStored ?? runningMs(history, at) / 1000;
          set.ended = at.getTime();
          set.execution_duration = Math.round(executionDuration);
          set.retention_expiry = retentionExpiry(at, row.is_saved === 1, config.retentionDays)?.getTime() ?? null;
          const maxVus = fields.maxVus ?? row.max_vus;
          if (fields.cost === undefined && maxVus !== null) {
            const cost = computeCost({
              maxVus,
              maxBrowserVus: fields.maxBrowserVus ?? row.max_browser_vus ?? 0,
              durationSeconds: executionDuration,
              ...(config.costReductions === undefined ? {} : { reductions: config.costReductions }),
            });
            set.cost = JSON.stringify(cost);
            set.cost_vuh = cost.total_vuh;
          }
          if (fields.resultDetails === undefined) {
            const final = history[history.length - 1] as StatusEntry;
            const thresholds = fields.thresholds !== undefined ? fields.thresholds : row.thresholds === null ? null : (JSON.parse(row.thresholds) as unknown);
            const details = deriveResult({ final, failedThresholds: failedThresholds(thresholds) });
            set.result = details.type;
            set.result_details = JSON.stringify(details);
          }
        }
        const res = await changing(id, () => db.updateTable('test_runs').set(set).where('id', '=', id).where('status', '=', from).executeTakeFirst());
        if (Number(res.numUpdatedRows) === 1) return (await getById(id)) as TestRunRecord;
      }
      throw new StampedeError('STAMPEDE_ERR_CONFLICT', 'Test run status changed concurrently; try again');
    },

    async updateFields(id, fields) {
      const set = patchColumns(fields);
      if (Object.keys(set).length > 0) {
        const res = await changing(id, () => db.updateTable('test_runs').set(set).where('id', '=', id).executeTakeFirst());
        if (Number(res.numUpdatedRows) === 0) throw notFound();
      }
      const run = await getById(id);
      if (run === null) throw notFound();
      return run;
    },

    setNote: (stackId, id, note) => setScoped(stackId, id, { note }),
    setStarred: (stackId, id, starred) => setScoped(stackId, id, { is_starred: starred ? 1 : 0 }),

    async save(stackId, id) {
      await changing(id, () => db.transaction().execute(async (trx) => {
        const run = await requireScoped(stackId, id, trx);
        if (run.resultsDeleted) throw new StampedeError('STAMPEDE_ERR_CONFLICT', 'Test run has been deleted');
        if (run.isSaved) return;
        const cap = config.maxSavedRunsPerStack;
        if (cap !== undefined && cap !== null) {
          // SQLite transactions are already serial; on PostgreSQL, concurrent saves in one stack queue
          // on the stack row so the count below cannot be raced past the cap.
          if (dialect === 'postgres') await trx.selectFrom('stacks').select('id').where('id', '=', stackId).forUpdate().execute();
          const row = await trx
            .selectFrom('test_runs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('stack_id', '=', stackId)
            .where('is_saved', '=', 1)
            .executeTakeFirstOrThrow();
          if (Number(row.n) >= cap) throw new StampedeError('STAMPEDE_ERR_CONFLICT', `The maximum number of saved test runs (${cap}) has been reached`);
        }
        await trx.updateTable('test_runs').set({ is_saved: 1, retention_expiry: null }).where('id', '=', id).execute();
      }));
      return requireScoped(stackId, id);
    },

    async unsave(stackId, id) {
      const run = await requireScoped(stackId, id);
      const expiry = retentionExpiry(run.ended, false, config.retentionDays, run.created);
      return setScoped(stackId, id, { is_saved: 0, retention_expiry: expiry?.getTime() ?? null });
    },

    async delete(stackId, id) {
      // Long: a long run's metrics go with it.
      await changing(id, () =>
        storeWork('long', () => db.transaction().execute(async (trx) => {
          const run = await requireScoped(stackId, id, trx);
          if (!isFinalStatus(run.status)) throw new StampedeError('STAMPEDE_ERR_CONFLICT', 'Test run is still in progress; abort it first');
          // A concurrent delete of the same run got here first (PostgreSQL): it is gone, not deleted twice.
          const res = await trx.deleteFrom('test_runs').where('id', '=', id).executeTakeFirst();
          if (Number(res.numDeletedRows) === 0) throw notFound();
        })),
      );
    },

    async getScript(stackId, id) {
      const row = await db.selectFrom('test_runs').select('script_hash').where('stack_id', '=', stackId).where('id', '=', id).executeTakeFirst();
      if (row === undefined) throw notFound();
      return getScriptByHash(db, row.script_hash);
    },

    async getResults(id) {
      const row = await db.selectFrom('test_runs').select(['summary', 'thresholds']).where('id', '=', id).executeTakeFirst();
      if (row === undefined) return null;
      return {
        summary: row.summary === null ? null : (JSON.parse(row.summary) as unknown),
        thresholds: row.thresholds === null ? null : (JSON.parse(row.thresholds) as unknown),
      };
    },

    async listUnfinished(opts = {}) {
      const rows = await selectRuns()
        .where('status', 'not in', FINAL_RUN_STATUSES)
        .where(({ not, exists, selectFrom }) => {
          const local = exists(selectFrom('run_tokens').select('run_tokens.run_id').whereRef('run_tokens.run_id', '=', 'test_runs.id').where('run_tokens.purpose', '=', 'run'));
          return opts.localExecution === true ? local : not(local);
        })
        .orderBy('id')
        .execute();
      return rows.map((r) => toRun(r as RunRow));
    },

    async setScript(id, script) {
      await changing(id, () =>
        db.transaction().execute(async (trx) => {
          const hash = await putScript(trx, script);
          const res = await trx.updateTable('test_runs').set({ script_hash: hash }).where('id', '=', id).executeTakeFirst();
          if (Number(res.numUpdatedRows) === 0) throw notFound();
        }),
      );
    },

    sweepRetention(now) {
      // Long: a batch deletes the metrics of up to SWEEP_BATCH runs, long ones included.
      return storeWork('long', () => sweep(now));
    },

    async vuhUsedInMonth(projectId, at, excludeRunId) {
      const start = monthStart(at);
      const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
      let q = db
        .selectFrom('test_runs')
        .select((eb) => eb.fn.sum<number>('cost_vuh').as('vuh'))
        .where('project_id', '=', projectId)
        .where('created', '>=', start.getTime())
        .where('created', '<', end.getTime());
      if (excludeRunId !== undefined) q = q.where('id', '!=', excludeRunId);
      const row = await q.executeTakeFirst();
      return Math.round(Number(row?.vuh ?? 0) * 10_000) / 10_000;
    },
  };
}
