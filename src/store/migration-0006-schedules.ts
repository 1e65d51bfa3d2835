// Migration 0006: load test schedules (v6 `/schedules`, `/load_tests/{id}/schedule`).
//
// - `schedules`: at most one per load test (unique `load_test_id`); deleting the load test (or its
//   project or stack) deletes it. `timing` holds when it runs (starts, recurrence rule or cron) as
//   JSON; `next_run` is the next occurrence the trigger has not handled yet, indexed with
//   `deactivated` so finding the due schedules reads the index alone.
import type { Kysely, Migration } from 'kysely';
import { withId } from './id-column.ts';
import type { Dialect } from './schema.ts';

export function schedulesMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await withId(dialect, db.schema.createTable('schedules'))
        .addColumn('stack_id', 'bigint', (c) => c.notNull().references('stacks.id').onDelete('cascade'))
        .addColumn('load_test_id', 'bigint', (c) => c.notNull().unique().references('load_tests.id').onDelete('cascade'))
        .addColumn('timing', 'text', (c) => c.notNull())
        .addColumn('deactivated', 'integer', (c) => c.notNull())
        .addColumn('next_run', 'bigint')
        .addColumn('created_by', 'text')
        .addColumn('created', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('schedules_stack').on('schedules').columns(['stack_id', 'id']).execute();
      await db.schema.createIndex('schedules_due').on('schedules').columns(['deactivated', 'next_run']).execute();
    },
  };
}
