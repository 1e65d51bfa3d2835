// Opening a Store: pick the dialect from the config, run pending migrations, wire the repositories.
import { Migrator, type Kysely } from 'kysely';
import { StampedeError } from '../core/index.ts';
import { seedBulkRuns } from './bulk-seed.ts';
import { seedFirstStart } from './first-start.ts';
import { loadTestsRepo } from './load-tests-repo.ts';
import { loadZonesRepo } from './load-zones-repo.ts';
import { migrationProvider } from './migrations.ts';
import { connectPostgres } from './postgres-connection.ts';
import { projectsRepo } from './projects-repo.ts';
import { runMetricsRepo } from './run-metrics-repo.ts';
import type { Database, Dialect } from './schema.ts';
import { connectSqlite } from './sqlite-connection.ts';
import { stacksRepo } from './stacks-repo.ts';
import type { Store, StoreConfig } from './store.ts';
import { testRunsRepo } from './test-runs-repo.ts';
import { tokensRepo } from './tokens-repo.ts';
import { usersRepo } from './users-repo.ts';

async function migrate(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw new StampedeError('STAMPEDE_ERR_INTERNAL', 'Database migration failed', { cause: error });
}

export async function openStore(config: StoreConfig): Promise<Store> {
  const isPostgres = config.databaseUrl !== undefined && config.databaseUrl !== '';
  const dialect: Dialect = isPostgres ? 'postgres' : 'sqlite';
  const sqlite = isPostgres ? null : connectSqlite(config.dataDir);
  const pg = isPostgres ? await connectPostgres(config.databaseUrl as string, config.pgSchema) : null;
  const db = (sqlite?.db ?? pg?.db) as Kysely<Database>;
  try {
    await migrate(db, dialect);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const stacks = stacksRepo(db);
  const users = usersRepo(db);
  const tokens = tokensRepo(db);
  return {
    dialect,
    stacks,
    users,
    tokens,
    projects: projectsRepo(db),
    loadTests: loadTestsRepo(db),
    testRuns: testRunsRepo(db, config),
    runMetrics: runMetricsRepo(db),
    loadZones: loadZonesRepo(db),
    seedFirstStart: (opts = {}) => seedFirstStart(db, { stacks, users, tokens }, opts),
    seedBulkRuns: (opts) => seedBulkRuns(sqlite === null ? { kind: 'postgres', db } : { kind: 'sqlite', db, raw: sqlite.raw }, opts, config.retentionDays),
    close: () => db.destroy(),
  };
}
