// STAMPEDE_RETENTION_DAYS applies to every unsaved run, not only to runs that end from now on: at open,
// each unsaved run's stored expiry is set again from the configured days (its end, or its creation
// while in flight), so lowering the retention lets the next sweep remove what is now past it, and
// raising it keeps runs longer. Runs already swept keep theirs; only rows whose expiry differs are written.
import { sql, type Kysely } from 'kysely';
import { DEFAULT_RETENTION_DAYS } from '../domain/index.ts';
import type { Database } from './schema.ts';

const DAY_MS = 86_400_000;

export async function applyRetentionDays(db: Kysely<Database>, retentionDays: number = DEFAULT_RETENTION_DAYS): Promise<number> {
  const expiry = sql<number>`coalesce(ended, created) + ${retentionDays * DAY_MS}`;
  const res = await db
    .updateTable('test_runs')
    .set({ retention_expiry: expiry })
    .where('is_saved', '=', 0)
    .where('results_deleted', '=', 0)
    .where((eb) => eb.or([eb('retention_expiry', 'is', null), eb('retention_expiry', '<>', expiry)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
