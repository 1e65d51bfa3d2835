// `stampede server` (= `npm start`): the control plane. Reads the environment once into a frozen
// configuration, opens the store, seeds the first start (printing a generated admin token once) and
// the declared load zones, starts the orchestrator and the retention sweeper, and serves the API
// until SIGTERM/SIGINT.
import { pino } from 'pino';
import { StampedeError } from '../core/index.ts';
import { createOrchestrator } from '../orchestrator/index.ts';
import { buildApp, declareLoadZones, parseServerConfig, startRetentionSweeper, startScheduleTrigger } from '../server/index.ts';
import { acquireServerLock, databaseEndpoints, isStoreUnavailable, openStore, type StoreConfig } from '../store/index.ts';

/** host:port/database of a DATABASE_URL, without its credentials. */
function databaseAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'the configured address';
  }
}

export async function runServer(): Promise<void> {
  let config;
  try {
    config = parseServerConfig(process.env);
  } catch (err) {
    if (err instanceof StampedeError) {
      process.stderr.write(`stampede server: ${err.details.map((d) => d.message).join('\n') || err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  const log = pino({ name: 'stampede' });

  const storeConfig: StoreConfig = {
    dataDir: config.dataDir,
    retentionDays: config.retentionDays,
    maxSavedRunsPerStack: config.maxSavedRuns === 0 ? null : config.maxSavedRuns,
    ...(config.databaseUrl !== undefined && { databaseUrl: config.databaseUrl }),
    pgQueryTimeoutMs: config.pgQueryTimeoutS * 1000,
    log: log.child({ part: 'store' }),
    onConnectionLost: (err) => log.warn({ part: 'store', err: err.message }, 'a PostgreSQL connection was lost; the next query opens a new one'),
  };
  // Before the store is migrated and its runs in flight reconciled: those belong to a server still
  // running when another holds the lock.
  let lock;
  try {
    lock = await acquireServerLock(storeConfig, {
      lost: () => log.warn({ part: 'store' }, 'the PostgreSQL session holding the server lock ended; taking the lock again once the database answers'),
      retaken: () => log.info({ part: 'store' }, 'the server lock is held again'),
      takenByAnother: () => log.error({ part: 'store' }, 'another Stampede server took this database\'s lock while it was away: run one server per database (docs/api.md); retrying'),
    });
  } catch (err) {
    if (err instanceof StampedeError && err.code === 'STAMPEDE_ERR_CONFLICT') {
      process.stderr.write(`stampede server: ${err.message}\n`);
      process.exitCode = 1;
      return;
    }
    if (config.databaseUrl !== undefined && isStoreUnavailable(err)) {
      process.stderr.write(`stampede server: cannot reach the PostgreSQL database at ${databaseAddress(config.databaseUrl)} (DATABASE_URL): ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
  const store = await openStore(storeConfig).catch(async (err: unknown) => {
    await lock.release();
    throw err;
  });
  const seeded = await store.seedFirstStart(config.adminToken === undefined ? {} : { adminToken: config.adminToken });
  if (seeded.token !== null) {
    // Printed once, on the first start only: the store keeps nothing but its hash.
    process.stdout.write(
      `\nStampede first start: stack ${seeded.stackId}, default project ${seeded.projectId}, user ${seeded.adminEmail}\n` +
        `Admin API token (shown only now, store it safely):\n\n  ${seeded.token}\n\n`,
    );
  }

  for (const zone of await declareLoadZones(store, config.loadZones)) log.info({ zone: zone.k6LoadZoneId, name: zone.name }, 'declared load zone created');

  const orchestrator = createOrchestrator({ store, config: { maxConcurrentRuns: config.maxConcurrentRuns, runLogLines: config.runLogLines, runnerMemoryBytes: config.runnerMemoryMb * 1024 * 1024, runnerDiskBytes: config.runnerDiskMb * 1024 * 1024, runnerDeniedEndpoints: databaseEndpoints(storeConfig) }, log: log.child({ part: 'orchestrator' }) });
  await orchestrator.open();
  const sweeper = startRetentionSweeper(store, log.child({ part: 'retention' }));
  const trigger = startScheduleTrigger({ store, runs: orchestrator, log: log.child({ part: 'schedules' }) });
  const app = await buildApp({ store, runs: orchestrator, config, logger: log });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    // e.g. the port is taken: release what was opened so the process can exit with the error.
    sweeper.stop();
    await trigger.stop();
    await app.close();
    await orchestrator.close();
    await store.close();
    await lock.release();
    throw err;
  }
  log.info({ host: config.host, port: config.port, store: store.dialect }, 'stampede server listening');

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    sweeper.stop();
    await trigger.stop();
    try {
      await app.close();
      await orchestrator.close();
      await store.close();
      await lock.release();
    } catch (err) {
      log.error({ err }, 'error during shutdown');
      process.exitCode = 1;
    }
    log.info('stopped');
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
