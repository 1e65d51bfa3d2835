// The server side of `npm run bench:api`, in a process of its own so the load generator does not share
// its event loop. Composed as `stampede server` composes it (src/cli/server-command.ts): the real
// store (openStore + seedFirstStart), the real orchestrator (opened, never asked to start a run) and
// buildApp, listening on 127.0.0.1 on a random port. Before listening it bulk-seeds the runs and
// reports how long that took. Driven over IPC by bench/api-bench.ts (messages in ./protocol.ts).
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { createOrchestrator } from '../../src/orchestrator/index.ts';
import { buildApp, parseServerConfig } from '../../src/server/index.ts';
import { openStore } from '../../src/store/index.ts';
import type { FromServer, ToServer } from './protocol.ts';

function send(msg: FromServer): void {
  process.send?.(msg);
}

async function serve(start: Extract<ToServer, { type: 'start' }>): Promise<void> {
  const config = parseServerConfig({
    STAMPEDE_HOST: '127.0.0.1',
    STAMPEDE_PORT: '0',
    STAMPEDE_DATA_DIR: start.dataDir,
    STAMPEDE_ADMIN_TOKEN: start.adminToken,
    ...(start.databaseUrl === undefined ? {} : { DATABASE_URL: start.databaseUrl }),
  });
  // Warnings and errors only: a request error during the bench must show, request lines must not.
  const log = pino({ name: 'stampede-bench', level: 'warn' });
  const store = await openStore({
    dataDir: config.dataDir,
    retentionDays: config.retentionDays,
    maxSavedRunsPerStack: config.maxSavedRuns === 0 ? null : config.maxSavedRuns,
    ...(config.databaseUrl !== undefined && { databaseUrl: config.databaseUrl }),
    ...(start.pgSchema !== undefined && { pgSchema: start.pgSchema }),
  });
  const seeded = await store.seedFirstStart({ adminToken: start.adminToken });

  const t0 = performance.now();
  const bulk = await store.seedBulkRuns({
    stackId: seeded.stackId,
    projectId: seeded.projectId,
    loadTests: start.loadTests,
    runs: start.runs,
    startAt: new Date(start.startAtMs),
    spacingMs: start.spacingMs,
  });
  const seedMs = performance.now() - t0;

  const orchestrator = createOrchestrator({ store, config: { maxConcurrentRuns: config.maxConcurrentRuns }, log: log.child({ part: 'orchestrator' }) });
  await orchestrator.open();
  const app = await buildApp({ store, runs: orchestrator, config, logger: log });
  await app.listen({ host: config.host, port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  const stop = async (): Promise<void> => {
    await app.close();
    await orchestrator.close();
    await store.close();
    send({ type: 'stopped' });
    process.disconnect?.();
  };
  process.on('message', (msg: ToServer) => {
    if (msg.type === 'stop') void stop().catch((err: unknown) => fail(err));
    if (msg.type === 'cpu') {
      const used = process.cpuUsage();
      send({ type: 'cpu', micros: used.user + used.system });
    }
  });
  send({ type: 'ready', port, dialect: store.dialect, stackId: seeded.stackId, projectId: seeded.projectId, loadTestIds: bulk.loadTestIds, runCount: bulk.runCount, seedMs });
}

function fail(err: unknown): void {
  send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  process.disconnect?.();
}

process.once('message', (msg: ToServer) => {
  if (msg.type === 'start') void serve(msg).catch(fail);
});
send({ type: 'hello' });
