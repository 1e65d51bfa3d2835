import type { Kysely } from 'kysely';
import { StampedeError } from '../core/index.ts';
import { FINAL_RUN_STATUSES } from '../domain/index.ts';
import { applyOrder } from './ordering.ts';
import { countOf, pageOf } from './paging.ts';
import type { Database, ProjectLimitsTable, ProjectsTable } from './schema.ts';
import type { RunTextCache } from './run-text-cache.ts';
import { isUniqueViolation } from './sql-errors.ts';
import { lockStack } from './stack-lock.ts';
import type { ProjectLimitsRecord, ProjectRecord, ProjectsRepo } from './store.ts';
import { storeWork } from './query-bounds.ts';

const ORDERABLE = ['id', 'name', 'created', 'updated'] as const;

type ProjectRow = Omit<ProjectsTable, 'id'> & { id: number };

function toProject(row: ProjectRow): ProjectRecord {
  return { id: row.id, stackId: row.stack_id, name: row.name, isDefault: row.is_default === 1, created: new Date(row.created), updated: new Date(row.updated) };
}

function toLimits(row: ProjectLimitsTable): ProjectLimitsRecord {
  return {
    projectId: row.project_id,
    vuh_max_per_month: row.vuh_max_per_month,
    vu_max_per_test: row.vu_max_per_test,
    vu_browser_max_per_test: row.vu_browser_max_per_test,
    duration_max_per_test: row.duration_max_per_test,
  };
}

function duplicateName(name: string): StampedeError {
  return new StampedeError('STAMPEDE_ERR_CONFLICT', `A project named ${JSON.stringify(name)} already exists`);
}

/** `runCache`: the test-run repository's, cleared when a delete takes runs with it. */
export function projectsRepo(db: Kysely<Database>, runCache?: RunTextCache): ProjectsRepo {
  const notFound = () => new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Project not found');

  async function get(stackId: number, id: number): Promise<ProjectRecord | null> {
    const row = await db.selectFrom('projects').selectAll().where('stack_id', '=', stackId).where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : toProject(row);
  }

  async function requireProject(stackId: number, id: number): Promise<ProjectRecord> {
    const project = await get(stackId, id);
    if (project === null) throw notFound();
    return project;
  }

  return {
    async list(stackId, page) {
      const base = db.selectFrom('projects').selectAll().where('stack_id', '=', stackId);
      const [rows, count] = await Promise.all([pageOf(applyOrder(base, 'projects', page.orderBy, ORDERABLE), page).execute(), countOf(base, page.count)]);
      return { items: rows.map(toProject), count };
    },
    get,
    async getDefault(stackId) {
      const row = await db.selectFrom('projects').selectAll().where('stack_id', '=', stackId).where('is_default', '=', 1).executeTakeFirst();
      return row === undefined ? null : toProject(row);
    },
    async create(stackId, name, opts = {}) {
      const stack = await db.selectFrom('stacks').select('id').where('id', '=', stackId).executeTakeFirst();
      if (stack === undefined) throw new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Stack not found');
      const now = Date.now();
      try {
        return await db.transaction().execute(async (trx) => {
          if (opts.maxProjects !== undefined) {
            await lockStack(trx, stackId);
            const { n } = await trx.selectFrom('projects').select((eb) => eb.fn.countAll<number | string>().as('n')).where('stack_id', '=', stackId).executeTakeFirstOrThrow();
            if (Number(n) >= opts.maxProjects) throw new StampedeError('STAMPEDE_ERR_CONFLICT', `The maximum number of projects (${opts.maxProjects}) has been reached`);
          }
          const row = await trx.insertInto('projects').values({ stack_id: stackId, name, is_default: 0, created: now, updated: now }).returningAll().executeTakeFirstOrThrow();
          await trx.insertInto('project_limits').values({ project_id: row.id, vuh_max_per_month: null, vu_max_per_test: null, vu_browser_max_per_test: null, duration_max_per_test: null }).execute();
          return toProject(row);
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicateName(name);
        throw err;
      }
    },
    async rename(stackId, id, name) {
      try {
        const row = await db.updateTable('projects').set({ name, updated: Date.now() }).where('stack_id', '=', stackId).where('id', '=', id).returningAll().executeTakeFirst();
        if (row === undefined) throw notFound();
        return toProject(row);
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicateName(name);
        throw err;
      }
    },
    async delete(stackId, id) {
      try {
        // Long: the project's runs and all their metrics go with it.
        await storeWork('long', () => db.transaction().execute(async (trx) => {
          const row = await trx.selectFrom('projects').select(['is_default']).where('stack_id', '=', stackId).where('id', '=', id).executeTakeFirst();
          if (row === undefined) throw notFound();
          if (row.is_default === 1) throw new StampedeError('STAMPEDE_ERR_CONFLICT', 'The default project cannot be deleted');
          // Its load tests' row locks first (a start holds its test's while it inserts the run), then the check for active runs.
          await trx.updateTable('load_tests').set((eb) => ({ name: eb.ref('name') })).where('project_id', '=', id).execute();
          const active = await trx.selectFrom('test_runs').select('id').where('project_id', '=', id).where('status', 'not in', FINAL_RUN_STATUSES).executeTakeFirst();
          if (active !== undefined) throw new StampedeError('STAMPEDE_ERR_CONFLICT', 'The project has a test run in progress');
          // A concurrent delete of the same project got here first (PostgreSQL): it is gone, not deleted twice.
          const res = await trx.deleteFrom('projects').where('id', '=', id).executeTakeFirst();
          if (Number(res.numDeletedRows) === 0) throw notFound();
        }));
      } finally {
        runCache?.clear(); // its runs went with it
      }
    },
    async getLimits(stackId, projectId) {
      const row = await db
        .selectFrom('project_limits')
        .innerJoin('projects', 'projects.id', 'project_limits.project_id')
        .selectAll('project_limits')
        .where('projects.stack_id', '=', stackId)
        .where('project_limits.project_id', '=', projectId)
        .executeTakeFirst();
      return row === undefined ? null : toLimits(row);
    },
    async updateLimits(stackId, projectId, patch) {
      await requireProject(stackId, projectId);
      const set: Partial<ProjectLimitsTable> = {};
      if (patch.vuh_max_per_month !== undefined) set.vuh_max_per_month = patch.vuh_max_per_month;
      if (patch.vu_max_per_test !== undefined) set.vu_max_per_test = patch.vu_max_per_test;
      if (patch.vu_browser_max_per_test !== undefined) set.vu_browser_max_per_test = patch.vu_browser_max_per_test;
      if (patch.duration_max_per_test !== undefined) set.duration_max_per_test = patch.duration_max_per_test;
      if (Object.keys(set).length > 0) await db.updateTable('project_limits').set(set).where('project_id', '=', projectId).execute();
      // Gone when a concurrent request deleted the project after the check above.
      const row = await db.selectFrom('project_limits').selectAll().where('project_id', '=', projectId).executeTakeFirst();
      if (row === undefined) throw notFound();
      return toLimits(row);
    },
    async listLimits(stackId, page) {
      const base = db
        .selectFrom('project_limits')
        .innerJoin('projects', 'projects.id', 'project_limits.project_id')
        .selectAll('project_limits')
        .where('projects.stack_id', '=', stackId);
      const [rows, count] = await Promise.all([pageOf(base.orderBy('project_limits.project_id'), page).execute(), countOf(base, page.count)]);
      return { items: rows.map(toLimits), count };
    },
  };
}
