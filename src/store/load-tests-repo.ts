import type { Kysely } from 'kysely';
import { StampedeError } from '../core/index.ts';
import { FINAL_RUN_STATUSES } from '../domain/index.ts';
import { applyOrder } from './ordering.ts';
import { countOf, pageOf } from './paging.ts';
import type { Database, LoadTestsTable } from './schema.ts';
import { getScriptByHash, putScript } from './scripts.ts';
import type { RunTextCache } from './run-text-cache.ts';
import { isForeignKeyViolation, isUniqueViolation } from './sql-errors.ts';
import type { LoadTestRecord, LoadTestsRepo } from './store.ts';
import { storeWork } from './query-bounds.ts';

const ORDERABLE = ['id', 'project_id', 'name', 'created', 'updated'] as const;

type LoadTestRow = Omit<LoadTestsTable, 'id'> & { id: number };

function toLoadTest(row: LoadTestRow): LoadTestRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    stackId: row.stack_id,
    name: row.name,
    baselineTestRunId: row.baseline_test_run_id,
    k6Version: row.k6_version,
    hasScript: row.script_hash !== null,
    created: new Date(row.created),
    updated: new Date(row.updated),
  };
}

function duplicateName(name: string): StampedeError {
  return new StampedeError('STAMPEDE_ERR_CONFLICT', `A load test named ${JSON.stringify(name)} already exists in this project`);
}

const notFound = () => new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Load test not found');
const projectGone = () => new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Project not found');

/** `runCache`: the test-run repository's, cleared when a move or delete changes runs. */
export function loadTestsRepo(db: Kysely<Database>, runCache?: RunTextCache): LoadTestsRepo {
  async function requireProject(stackId: number, projectId: number): Promise<void> {
    const row = await db.selectFrom('projects').select('id').where('stack_id', '=', stackId).where('id', '=', projectId).executeTakeFirst();
    if (row === undefined) throw projectGone();
  }

  async function getRow(stackId: number, id: number): Promise<LoadTestRow | undefined> {
    return db.selectFrom('load_tests').selectAll().where('stack_id', '=', stackId).where('id', '=', id).executeTakeFirst();
  }

  async function update(stackId: number, id: number, set: Partial<Omit<LoadTestsTable, 'id'>>, nameForConflict?: string): Promise<LoadTestRecord> {
    try {
      const row = await db
        .updateTable('load_tests')
        .set({ ...set, updated: Date.now() })
        .where('stack_id', '=', stackId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw notFound();
      return toLoadTest(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateName(nameForConflict ?? set.name ?? '');
      throw err;
    }
  }

  return {
    async list(stackId, filter, page) {
      let base = db.selectFrom('load_tests').selectAll().where('stack_id', '=', stackId);
      if (filter.projectId !== undefined) base = base.where('project_id', '=', filter.projectId);
      if (filter.name !== undefined) base = base.where('name', '=', filter.name);
      const [rows, count] = await Promise.all([pageOf(applyOrder(base, 'load_tests', page.orderBy, ORDERABLE), page).execute(), countOf(base, page.count)]);
      return { items: rows.map(toLoadTest), count };
    },
    async get(stackId, id) {
      const row = await getRow(stackId, id);
      return row === undefined ? null : toLoadTest(row);
    },
    async stackOf(id) {
      const row = await db.selectFrom('load_tests').select('stack_id').where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : Number(row.stack_id);
    },
    async create(stackId, input) {
      await requireProject(stackId, input.projectId);
      const hash = input.script === null ? null : await putScript(db, input.script);
      const now = Date.now();
      try {
        const row = await db
          .insertInto('load_tests')
          .values({
            project_id: input.projectId,
            stack_id: stackId,
            name: input.name,
            baseline_test_run_id: null,
            k6_version: input.k6Version ?? null,
            script_hash: hash,
            created: now,
            updated: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toLoadTest(row);
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicateName(input.name);
        // The project was deleted by a concurrent request after the check above.
        if (isForeignKeyViolation(err)) throw projectGone();
        throw err;
      }
    },
    async update(stackId, id, patch) {
      const set: Partial<Omit<LoadTestsTable, 'id'>> = {};
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.k6Version !== undefined) set.k6_version = patch.k6Version;
      if (patch.baselineTestRunId !== undefined) {
        if (patch.baselineTestRunId !== null) {
          const run = await db.selectFrom('test_runs').select('id').where('id', '=', patch.baselineTestRunId).where('load_test_id', '=', id).where('stack_id', '=', stackId).executeTakeFirst();
          if (run === undefined) {
            throw new StampedeError('STAMPEDE_ERR_VALIDATION', 'baseline_test_run_id must be a test run of this load test', {
              target: 'baseline_test_run_id',
              details: [{ target: 'baseline_test_run_id', message: 'baseline_test_run_id must be a test run of this load test' }],
            });
          }
        }
        set.baseline_test_run_id = patch.baselineTestRunId;
      }
      return update(stackId, id, set);
    },
    async move(stackId, id, projectId) {
      const current = await getRow(stackId, id);
      if (current === undefined) throw notFound();
      await requireProject(stackId, projectId);
      try {
        return await db.transaction().execute(async (trx) => {
          try {
            const row = await trx.updateTable('load_tests').set({ project_id: projectId, updated: Date.now() }).where('stack_id', '=', stackId).where('id', '=', id).returningAll().executeTakeFirst();
            // Deleted by a concurrent request after the check above.
            if (row === undefined) throw notFound();
            await trx.updateTable('test_runs').set({ project_id: projectId }).where('load_test_id', '=', id).execute();
            return toLoadTest(row);
          } catch (err) {
            if (isUniqueViolation(err)) throw duplicateName(current.name);
            // The target project was deleted by a concurrent request after the check above.
            if (isForeignKeyViolation(err)) throw projectGone();
            throw err;
          }
        });
      } finally {
        runCache?.clear();
      }
    },
    async delete(stackId, id) {
      try {
        // Long: the load test's runs and all their metrics go with it.
        await storeWork('long', () => db.transaction().execute(async (trx) => {
          // The row lock first (a start holds it while it inserts its run), then the check for active runs.
          const locked = await trx.updateTable('load_tests').set((eb) => ({ name: eb.ref('name') })).where('stack_id', '=', stackId).where('id', '=', id).executeTakeFirst();
          if (Number(locked.numUpdatedRows) === 0) throw notFound();
          const active = await trx.selectFrom('test_runs').select('id').where('load_test_id', '=', id).where('status', 'not in', FINAL_RUN_STATUSES).executeTakeFirst();
          if (active !== undefined) throw new StampedeError('STAMPEDE_ERR_CONFLICT', 'The load test has a test run in progress');
          // A concurrent delete of the same load test got here first (PostgreSQL): it is gone, not deleted twice.
          const res = await trx.deleteFrom('load_tests').where('id', '=', id).executeTakeFirst();
          if (Number(res.numDeletedRows) === 0) throw notFound();
        }));
      } finally {
        runCache?.clear(); // its runs went with it
      }
    },
    async getScript(stackId, id) {
      const row = await getRow(stackId, id);
      if (row === undefined) throw notFound();
      return getScriptByHash(db, row.script_hash);
    },
    async putScript(stackId, id, script) {
      const row = await getRow(stackId, id);
      if (row === undefined) throw notFound();
      const hash = await putScript(db, script);
      await update(stackId, id, { script_hash: hash });
    },
  };
}
