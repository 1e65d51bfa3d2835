// Schema migrations, in code so they ship with the source. Append new migrations; never edit one
// that has shipped. Ids use AUTOINCREMENT (SQLite) / identity (PostgreSQL) so a deleted run's id is
// never handed out again.
import type { ColumnDefinitionBuilder, Kysely, Migration, MigrationProvider } from 'kysely';
import { withId } from './id-column.ts';
import { DEFAULT_LOAD_ZONE_ID } from '../domain/index.ts';
import { runSeriesMigration } from './migration-0002-run-series.ts';
import { labelsMigration } from './migration-0003-labels.ts';
import { runTokensMigration } from './migration-0004-run-tokens.ts';
import { runLogsMigration } from './migration-0005-run-logs.ts';
import { schedulesMigration } from './migration-0006-schedules.ts';
import type { Dialect } from './schema.ts';


const bigint = 'bigint';
const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

function initial(dialect: Dialect): Migration {
  const blob = dialect === 'sqlite' ? 'blob' : 'bytea';
  const real = dialect === 'sqlite' ? 'real' : 'double precision';
  return {
    async up(db: Kysely<unknown>) {
      await withId(dialect, db.schema.createTable('stacks'))
        .addColumn('name', 'text', notNull)
        .addColumn('created', bigint, notNull)
        .execute();
      await withId(dialect, db.schema.createTable('users'))
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('created', bigint, notNull)
        .execute();
      await db.schema
        .createTable('stack_members')
        .addColumn('stack_id', bigint, (c) => c.notNull().references('stacks.id').onDelete('cascade'))
        .addColumn('user_id', bigint, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role', 'text', notNull)
        .addPrimaryKeyConstraint('stack_members_pk', ['stack_id', 'user_id'])
        .execute();
      await db.schema.createIndex('stack_members_user').on('stack_members').column('user_id').execute();
      await withId(dialect, db.schema.createTable('tokens'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', notNull)
        .addColumn('user_id', bigint, (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('stack_id', bigint, (c) => c.references('stacks.id').onDelete('cascade'))
        .addColumn('name', 'text', notNull)
        .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created', bigint, notNull)
        .execute();
      await withId(dialect, db.schema.createTable('projects'))
        .addColumn('stack_id', bigint, (c) => c.notNull().references('stacks.id').onDelete('cascade'))
        .addColumn('name', 'text', notNull)
        .addColumn('is_default', 'integer', notNull)
        .addColumn('created', bigint, notNull)
        .addColumn('updated', bigint, notNull)
        .addUniqueConstraint('projects_stack_name', ['stack_id', 'name'])
        .execute();
      await db.schema
        .createTable('project_limits')
        .addColumn('project_id', bigint, (c) => c.primaryKey().references('projects.id').onDelete('cascade'))
        .addColumn('vuh_max_per_month', bigint)
        .addColumn('vu_max_per_test', bigint)
        .addColumn('vu_browser_max_per_test', bigint)
        .addColumn('duration_max_per_test', bigint)
        .execute();
      await db.schema
        .createTable('scripts')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('bytes', blob, notNull)
        .addColumn('content_type', 'text', notNull)
        .execute();
      await withId(dialect, db.schema.createTable('load_tests'))
        .addColumn('project_id', bigint, (c) => c.notNull().references('projects.id').onDelete('cascade'))
        .addColumn('stack_id', bigint, notNull)
        .addColumn('name', 'text', notNull)
        .addColumn('baseline_test_run_id', bigint)
        .addColumn('k6_version', bigint)
        .addColumn('script_hash', 'text', (c) => c.references('scripts.hash'))
        .addColumn('created', bigint, notNull)
        .addColumn('updated', bigint, notNull)
        .addUniqueConstraint('load_tests_project_name', ['project_id', 'name'])
        .execute();
      await db.schema.createIndex('load_tests_stack_created').on('load_tests').columns(['stack_id', 'created', 'id']).execute();
      await withId(dialect, db.schema.createTable('test_runs'))
        .addColumn('load_test_id', bigint, (c) => c.notNull().references('load_tests.id').onDelete('cascade'))
        .addColumn('project_id', bigint, notNull)
        .addColumn('stack_id', bigint, notNull)
        .addColumn('status', 'text', notNull)
        .addColumn('status_history', 'text', notNull)
        .addColumn('result', 'text')
        .addColumn('result_details', 'text')
        .addColumn('options', 'text')
        .addColumn('distribution', 'text')
        .addColumn('max_vus', bigint)
        .addColumn('max_browser_vus', bigint)
        .addColumn('estimated_duration', bigint)
        .addColumn('execution_duration', bigint, (c) => c.notNull().defaultTo(0))
        .addColumn('cost', 'text')
        .addColumn('cost_vuh', real, (c) => c.notNull().defaultTo(0))
        .addColumn('k6_dependencies', 'text', notNull)
        .addColumn('k6_versions', 'text', notNull)
        .addColumn('started_by', 'text')
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('is_starred', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('is_saved', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('retention_expiry', bigint)
        .addColumn('results_deleted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('runner_distribution', 'text')
        .addColumn('script_hash', 'text', (c) => c.references('scripts.hash'))
        .addColumn('summary', 'text')
        .addColumn('thresholds', 'text')
        .addColumn('created', bigint, notNull)
        .addColumn('ended', bigint)
        .execute();
      await db.schema.createIndex('test_runs_stack_created').on('test_runs').columns(['stack_id', 'created', 'id']).execute();
      await db.schema.createIndex('test_runs_load_test_created').on('test_runs').columns(['load_test_id', 'created', 'id']).execute();
      await db.schema.createIndex('test_runs_project_created').on('test_runs').columns(['project_id', 'created']).execute();
      await db.schema.createIndex('test_runs_status').on('test_runs').column('status').execute();
      await db.schema.createIndex('test_runs_retention').on('test_runs').column('retention_expiry').execute();
      await db.schema
        .createTable('idempotency_keys')
        .addColumn('load_test_id', bigint, (c) => c.notNull().references('load_tests.id').onDelete('cascade'))
        .addColumn('key', 'text', notNull)
        .addColumn('run_id', bigint, (c) => c.notNull().references('test_runs.id').onDelete('cascade'))
        .addColumn('expires', bigint, notNull)
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['load_test_id', 'key'])
        .execute();
      await withId(dialect, db.schema.createTable('load_zones'))
        .addColumn('name', 'text', notNull)
        .addColumn('k6_load_zone_id', 'text', (c) => c.notNull().unique())
        .addColumn('available', 'integer', notNull)
        .addColumn('public', 'integer', notNull)
        .addColumn('custom_image', 'text')
        .execute();
      await db
        .insertInto('load_zones' as never)
        .values({ name: 'Stampede local runners', k6_load_zone_id: DEFAULT_LOAD_ZONE_ID, available: 1, public: 1, custom_image: null } as never)
        .execute();
      await db.schema
        .createTable('run_metric_defs')
        .addColumn('run_id', bigint, (c) => c.notNull().references('test_runs.id').onDelete('cascade'))
        .addColumn('name', 'text', notNull)
        .addColumn('type', 'text', notNull)
        .addColumn('contains', 'text', notNull)
        .addPrimaryKeyConstraint('run_metric_defs_pk', ['run_id', 'name'])
        .execute();
      await withId(dialect, db.schema.createTable('run_metrics'))
        .addColumn('run_id', bigint, (c) => c.notNull().references('test_runs.id').onDelete('cascade'))
        .addColumn('time', bigint, notNull)
        .addColumn('metric', 'text', notNull)
        .addColumn('tags', 'text', notNull)
        .addColumn('aggregate', 'text', notNull)
        .execute();
      await db.schema.createIndex('run_metrics_run_time').on('run_metrics').columns(['run_id', 'time']).execute();
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    getMigrations: () => Promise.resolve({ '0001_initial': initial(dialect), '0002_run_series': runSeriesMigration(dialect), '0003_labels': labelsMigration(dialect), '0004_run_tokens': runTokensMigration(dialect), '0005_run_logs': runLogsMigration(dialect), '0006_schedules': schedulesMigration(dialect) }),
  };
}
