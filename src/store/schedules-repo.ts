// Load test schedules. The trigger claims an occurrence with a compare-and-set on `next_run`, so an
// occurrence starts at most one run even if two triggers share a database.
import type { Kysely, Selectable } from 'kysely';
import { StampedeError } from '../core/index.ts';
import type { ScheduleTiming } from '../domain/index.ts';
import { countOf, pageOf } from './paging.ts';
import type { Database, SchedulesTable } from './schema.ts';
import { isForeignKeyViolation, isUniqueViolation } from './sql-errors.ts';
import type { ScheduleRecord, SchedulesRepo } from './store.ts';

function toSchedule(row: Selectable<SchedulesTable>): ScheduleRecord {
  return {
    id: Number(row.id),
    stackId: Number(row.stack_id),
    loadTestId: Number(row.load_test_id),
    timing: JSON.parse(row.timing) as ScheduleTiming,
    deactivated: row.deactivated === 1,
    nextRun: row.next_run === null ? null : new Date(Number(row.next_run)),
    createdBy: row.created_by,
    created: new Date(Number(row.created)),
  };
}

const loadTestNotFound = () => new StampedeError('STAMPEDE_ERR_NOT_FOUND', 'Load test not found');

export function schedulesRepo(db: Kysely<Database>): SchedulesRepo {
  const byId = (stackId: number, id: number) => db.selectFrom('schedules').selectAll().where('stack_id', '=', stackId).where('id', '=', id);

  async function get(stackId: number, id: number): Promise<ScheduleRecord | null> {
    const row = await byId(stackId, id).executeTakeFirst();
    return row === undefined ? null : toSchedule(row);
  }

  async function getByLoadTest(stackId: number, loadTestId: number): Promise<ScheduleRecord | null> {
    const row = await db.selectFrom('schedules').selectAll().where('stack_id', '=', stackId).where('load_test_id', '=', loadTestId).executeTakeFirst();
    return row === undefined ? null : toSchedule(row);
  }

  async function upsert(stackId: number, loadTestId: number, values: { timing: string; deactivated: number; next_run: number | null; created_by: string | null; created: number }): Promise<void> {
    await db.transaction().execute(async (trx) => {
      const test = await trx.selectFrom('load_tests').select('id').where('stack_id', '=', stackId).where('id', '=', loadTestId).executeTakeFirst();
      if (test === undefined) throw loadTestNotFound();
      const existing = await trx.selectFrom('schedules').select('id').where('load_test_id', '=', loadTestId).executeTakeFirst();
      if (existing === undefined) {
        await trx.insertInto('schedules').values({ stack_id: stackId, load_test_id: loadTestId, ...values }).execute();
      } else {
        const { created: _kept, ...changed } = values;
        await trx.updateTable('schedules').set(changed).where('id', '=', existing.id).execute();
      }
    });
  }

  return {
    async list(stackId, page) {
      const base = db.selectFrom('schedules').selectAll().where('stack_id', '=', stackId);
      const [rows, count] = await Promise.all([pageOf(base.orderBy('id'), page).execute(), countOf(base, page.count)]);
      return { items: rows.map(toSchedule), count };
    },
    get,
    getByLoadTest,

    async put(stackId, loadTestId, input) {
      const values = { timing: JSON.stringify(input.timing), deactivated: 0, next_run: input.nextRun?.getTime() ?? null, created_by: input.createdBy, created: input.now.getTime() };
      try {
        await upsert(stackId, loadTestId, values);
      } catch (err) {
        // Two first PUTs racing (PostgreSQL): the loser's insert meets the winner's row; overwrite it.
        if (isUniqueViolation(err)) await upsert(stackId, loadTestId, values);
        // The load test was deleted between the check and the write.
        else if (isForeignKeyViolation(err)) throw loadTestNotFound();
        else throw err;
      }
      const stored = await getByLoadTest(stackId, loadTestId);
      if (stored === null) throw loadTestNotFound();
      return stored;
    },

    async remove(stackId, id) {
      const res = await db.deleteFrom('schedules').where('stack_id', '=', stackId).where('id', '=', id).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },

    async setDeactivated(stackId, id, deactivated, nextRun) {
      await db
        .updateTable('schedules')
        .set({ deactivated: deactivated ? 1 : 0, ...(nextRun !== undefined && { next_run: nextRun?.getTime() ?? null }) })
        .where('stack_id', '=', stackId)
        .where('id', '=', id)
        .execute();
      return get(stackId, id);
    },

    async due(now, limit) {
      const rows = await db.selectFrom('schedules').selectAll().where('deactivated', '=', 0).where('next_run', '<=', now.getTime()).orderBy('next_run').orderBy('id').limit(limit).execute();
      return rows.map(toSchedule);
    },

    async advance(id, from, to) {
      const res = await db
        .updateTable('schedules')
        .set({ next_run: to?.getTime() ?? null })
        .where('id', '=', id)
        .where('deactivated', '=', 0)
        .where('next_run', '=', from.getTime())
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
  };
}
