// Opening a Store: pick the dialect from the config, run pending migrations, wire the repositories.
import { join } from 'node:path';
import { Migrator, sql, type Kysely } from 'kysely';
import { StampedeError } from '../core/index.ts';
import { validateReductions } from '../domain/index.ts';
import { seedBulkRuns } from './bulk-seed.ts';
import { seedFirstStart } from './first-start.ts';
import { loadTestsRepo } from './load-tests-repo.ts';
import { loadZonesRepo } from './load-zones-repo.ts';
import { labelsRepo } from './labels-repo.ts';
import { runLogsRepo } from './run-logs-repo.ts';
import { runTokensRepo } from './run-tokens-repo.ts';
import { schedulesRepo } from './schedules-repo.ts';
import { migrationProvider } from './migrations.ts';
import { applyRetentionDays } from './retention-days.ts';
import { connectPostgres, postgresEndpoint } from './postgres-connection.ts';
import type { DatabaseEndpoint } from './postgres-connection.ts';
import { projectsRepo } from './projects-repo.ts';
import { storeWork } from './query-bounds.ts';
import { runMetricsRepo } from './run-metrics-repo.ts';
import { RunTextCache } from './run-text-cache.ts';
import type { Database, Dialect } from './schema.ts';
import { connectSqlite, watchSqliteFiles } from './sqlite-connection.ts';
import { stacksRepo } from './stacks-repo.ts';
import type { Store, StoreConfig } from './store.ts';
import { testRunsRepo } from './test-runs-repo.ts';
import { tokensRepo } from './tokens-repo.ts';
import { usersRepo } from './users-repo.ts';

async function migrate(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  // Kysely looks for its migration table in every schema unless told which one; on a PostgreSQL
  // database holding several Stampede schemas that would find another schema's table. Pin it to ours.
  let migrationTableSchema: string | undefined;
  if (dialect === 'postgres') {
    const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
    migrationTableSchema = rows[0]?.schema;
  }
  const migrator = new Migrator({ db, provider: migrationProvider(dialect), ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }) });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) {
    if (isDamagedSqlite(error)) throw error;
    throw new StampedeError('STAMPEDE_ERR_INTERNAL', `Database migration failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** SQLite's answer for a file that is not (or no longer) a valid database: truncated, overwritten, not SQLite. */
function isDamagedSqlite(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code);
}

/** A damaged SQLite file, said as such: which file, what SQLite found, and what to do. */
function damagedSqlite(dataDir: string, err: unknown): StampedeError {
  const file = join(dataDir, 'stampede.db');
  const found = err instanceof Error ? err.message : String(err);
  return new StampedeError(
    'STAMPEDE_ERR_INTERNAL',
    `The SQLite database ${file} is damaged (${found}): restore it (and its -wal file, if any) from a backup, or move it away to start with an empty store`,
    { cause: err },
  );
}

function validateConfig(config: StoreConfig): StoreConfig {
  const problems: { target: string; message: string }[] = [];
  if (typeof config.dataDir !== 'string' || config.dataDir === '') problems.push({ target: 'dataDir', message: 'dataDir must be a directory path' });
  if (config.retentionDays !== undefined && !(Number.isFinite(config.retentionDays) && config.retentionDays > 0)) {
    problems.push({ target: 'retentionDays', message: 'retentionDays must be a positive number' });
  }
  const cap = config.maxSavedRunsPerStack;
  if (cap !== undefined && cap !== null && !(Number.isInteger(cap) && cap >= 0)) {
    problems.push({ target: 'maxSavedRunsPerStack', message: 'maxSavedRunsPerStack must be a non-negative integer or null' });
  }
  for (const message of validateReductions(config.costReductions ?? {})) problems.push({ target: 'costReductions', message });
  if (problems.length > 0) {
    throw new StampedeError('STAMPEDE_ERR_VALIDATION', `Invalid store configuration: ${problems.map((p) => p.message).join('; ')}`, { target: problems[0]?.target, details: problems });
  }
  return Object.freeze({ ...config, ...(config.costReductions === undefined ? {} : { costReductions: Object.freeze({ ...config.costReductions }) }) });
}

/** The database servers a store of this configuration talks to (none for the embedded SQLite store). */
export function databaseEndpoints(config: StoreConfig): DatabaseEndpoint[] {
  return config.databaseUrl === undefined ? [] : [postgresEndpoint(config.databaseUrl)];
}

export async function openStore(input: StoreConfig): Promise<Store> {
  const config = validateConfig(input);
  const isPostgres = config.databaseUrl !== undefined && config.databaseUrl !== '';
  const dialect: Dialect = isPostgres ? 'postgres' : 'sqlite';
  let sqlite;
  try {
    sqlite = isPostgres ? null : connectSqlite(config.dataDir);
  } catch (err) {
    throw isDamagedSqlite(err) ? damagedSqlite(config.dataDir, err) : err;
  }
  const pg = isPostgres
    ? await connectPostgres(config.databaseUrl as string, config.pgSchema, {
        ...(config.onConnectionLost !== undefined && { onConnectionLost: config.onConnectionLost }),
        ...(config.pgQueryTimeoutMs !== undefined && { queryTimeoutMs: config.pgQueryTimeoutMs }),
      })
    : null;
  const db = (sqlite?.db ?? pg?.db) as Kysely<Database>;
  try {
    // Unbounded: a migration over a large store may rightly take long, and cutting it would stop the start.
    await storeWork('unbounded', async () => {
      await migrate(db, dialect);
      await applyRetentionDays(db, config.retentionDays);
    });
  } catch (err) {
    await db.destroy();
    throw sqlite !== null && isDamagedSqlite(err) ? damagedSqlite(config.dataDir, err) : err;
  }
  const noLog = { info: () => undefined, error: () => undefined };
  const watcher = sqlite === null ? null : await watchSqliteFiles(sqlite, config.dataDir, config.log ?? noLog, config.sqliteFileCheckMs);
  const stacks = stacksRepo(db);
  const users = usersRepo(db);
  const tokens = tokensRepo(db);
  const runCache = new RunTextCache();
  return {
    dialect,
    stacks,
    users,
    tokens,
    projects: projectsRepo(db, runCache),
    loadTests: loadTestsRepo(db, runCache),
    testRuns: testRunsRepo(db, dialect, config, sqlite === null ? { ...(pg !== null && { pgPool: pg.pool }) } : { sqlite: sqlite.raw }, runCache),
    runMetrics: runMetricsRepo(db),
    loadZones: loadZonesRepo(db),
    labels: labelsRepo(db),
    runTokens: runTokensRepo(db),
    runLogs: runLogsRepo(db, dialect),
    schedules: schedulesRepo(db),
    seedFirstStart: (opts = {}) => seedFirstStart(db, { stacks, users, tokens }, opts),
    seedBulkRuns: async (opts) => {
      try {
        return await storeWork('unbounded', () => seedBulkRuns(sqlite === null ? { kind: 'postgres', db } : { kind: 'sqlite', db, raw: sqlite.raw }, opts, config.retentionDays));
      } finally {
        runCache.clear();
      }
    },
    close: () => {
      watcher?.stop();
      return db.destroy();
    },
  };
}
