// Migration 0005: the log lines of runs (the script's console, the engine's warnings and errors).
//
// - `run_logs`: one row per line: its level, message, labels (JSON with sorted keys: `source`,
//   `load_zone`, `instance_id`, a pushed stream's own labels…) and time in microseconds since the
//   epoch (Loki speaks nanoseconds; k6 logs carry no finer time). `id` orders the lines of a run and
//   is the cursor readers page and tail with.
// - Deleting a run cascades; the retention sweeper's `results_deleted` takes them too (a trigger, as
//   for the metrics of migration 0002).
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './schema.ts';

export function runLogsMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      let table = db.schema.createTable('run_logs');
      table = dialect === 'sqlite'
        ? table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        : table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity());
      await table
        .addColumn('run_id', 'bigint', (c) => c.notNull().references('test_runs.id').onDelete('cascade'))
        .addColumn('time_us', 'bigint', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('run_logs_run').on('run_logs').columns(['run_id', 'id']).execute();
      if (dialect === 'sqlite') {
        await sql`CREATE TRIGGER run_results_deleted_logs AFTER UPDATE OF results_deleted ON test_runs
          WHEN NEW.results_deleted = 1 AND OLD.results_deleted = 0
          BEGIN
            DELETE FROM run_logs WHERE run_id = NEW.id;
          END`.execute(db);
      } else {
        await sql`CREATE FUNCTION run_results_deleted_logs() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            DELETE FROM run_logs WHERE run_id = NEW.id;
            RETURN NULL;
          END $$`.execute(db);
        await sql`CREATE TRIGGER run_results_deleted_logs AFTER UPDATE OF results_deleted ON test_runs
          FOR EACH ROW WHEN (NEW.results_deleted = 1 AND OLD.results_deleted = 0)
          EXECUTE FUNCTION run_results_deleted_logs()`.execute(db);
      }
    },
  };
}
