// Migration 0002: compact per-second metrics (see run-metrics-repo.ts).
//
// - `run_series`: each time series of a run (metric + tag set, tags as JSON with sorted keys) once,
//   numbered from 0 in the order the run first stored it.
// - `run_metric_points`: one row per (second, series): the series number and the aggregate in the
//   binary encoding of run-metrics-repo.ts. `pos` keeps the order of the series within their batch.
//   Keyed (run_id, time, pos), which is also the read order.
// - Rows of the old `run_metrics` table stay where they are and are still read (runs stored before
//   this migration); new batches go to the new tables only.
// - The retention sweeper marks a run `results_deleted` (and deletes its `run_metrics` rows); a trigger
//   deletes the run's rows of the new tables in the same transaction. Deleting a run cascades.
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './schema.ts';

export function runSeriesMigration(dialect: Dialect): Migration {
  const blob = dialect === 'sqlite' ? 'blob' : 'bytea';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('run_series')
        .addColumn('run_id', 'bigint', (c) => c.notNull().references('test_runs.id').onDelete('cascade'))
        .addColumn('series_id', 'integer', (c) => c.notNull())
        .addColumn('metric', 'text', (c) => c.notNull())
        .addColumn('tags', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('run_series_pk', ['run_id', 'series_id'])
        .execute();
      let points = db.schema
        .createTable('run_metric_points')
        .addColumn('run_id', 'bigint', (c) => c.notNull().references('test_runs.id').onDelete('cascade'))
        .addColumn('time', 'bigint', (c) => c.notNull())
        .addColumn('pos', 'integer', (c) => c.notNull())
        .addColumn('series_id', 'integer', (c) => c.notNull())
        .addColumn('data', blob, (c) => c.notNull())
        .addPrimaryKeyConstraint('run_metric_points_pk', ['run_id', 'time', 'pos']);
      // The key is the only index: no separate rowid b-tree.
      if (dialect === 'sqlite') points = points.modifyEnd(sql`without rowid`);
      await points.execute();
      if (dialect === 'sqlite') {
        await sql`CREATE TRIGGER run_results_deleted_points AFTER UPDATE OF results_deleted ON test_runs
          WHEN NEW.results_deleted = 1 AND OLD.results_deleted = 0
          BEGIN
            DELETE FROM run_metric_points WHERE run_id = NEW.id;
            DELETE FROM run_series WHERE run_id = NEW.id;
          END`.execute(db);
      } else {
        await sql`CREATE FUNCTION run_results_deleted_points() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            DELETE FROM run_metric_points WHERE run_id = NEW.id;
            DELETE FROM run_series WHERE run_id = NEW.id;
            RETURN NULL;
          END $$`.execute(db);
        await sql`CREATE TRIGGER run_results_deleted_points AFTER UPDATE OF results_deleted ON test_runs
          FOR EACH ROW WHEN (NEW.results_deleted = 1 AND OLD.results_deleted = 0)
          EXECUTE FUNCTION run_results_deleted_points()`.execute(db);
      }
    },
  };
}
