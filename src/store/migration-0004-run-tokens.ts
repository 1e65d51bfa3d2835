// Migration 0004: the credentials of local-execution runs (`k6 cloud run --local-execution`).
//
// - `run_tokens`: SHA-256 hashes of secrets that act for one run only. Purpose `run`: the test run
//   token k6 signs its metrics, logs and notify calls with; `archive`: the secret in the archive upload
//   URL (k6 sends that PUT without an Authorization header). A run with a `run` token executes on the
//   user's machine, so the orchestrator leaves it alone. Deleting the run deletes its tokens.
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from './schema.ts';

export function runTokensMigration(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('run_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('run_id', 'bigint', (c) => c.notNull().references('test_runs.id').onDelete('cascade'))
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('created', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('run_tokens_run').on('run_tokens').columns(['run_id', 'purpose']).execute();
    },
  };
}
