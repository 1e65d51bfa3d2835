// What the orchestrator needs from its surroundings: a slice of the store (a full Store satisfies it),
// its configuration (validated by the CLI, frozen here), and a pino-compatible logger.
import type { CostReductions } from '../domain/index.ts';
import type { ServerEndpoint } from '../runner/index.ts';
import type { LoadZonesRepo, ProjectsRepo, RunLogsRepo, RunMetricsRepo, TestRunsRepo } from '../store/index.ts';

export interface OrchestratorStore {
  testRuns: Pick<TestRunsRepo, 'getById' | 'transition' | 'updateFields' | 'getScript' | 'listUnfinished' | 'vuhUsedInMonth'>;
  projects: Pick<ProjectsRepo, 'getLimits'>;
  runMetrics: Pick<RunMetricsRepo, 'append'>;
  runLogs: Pick<RunLogsRepo, 'append'>;
  loadZones: Pick<LoadZonesRepo, 'list'>;
}

export interface OrchestratorConfig {
  /** Runs executing at once in this deployment; the rest wait in `queued`. */
  maxConcurrentRuns: number;
  /** Parent folder of the runners' private folders (default: the OS temp folder). Never the data dir. */
  runnerTmpRoot?: string;
  /** After an abort, how long the engine may take to stop gracefully before the runner is killed. */
  abortGraceMs: number;
  /** A runner silent for this long is killed and its run aborted by the system. */
  heartbeatTimeoutMs: number;
  /** A run still going this long past its planned duration is aborted as timed out (code 4). */
  overrunMs: number;
  /**
   * A runner whose resident memory (all its threads) or run folder (its disk use) grows past these is
   * killed and its run aborted by the system (code 6, the message naming the limit): a script reaches
   * its runner's Node APIs (docs/runner.md) and could otherwise fill the machine's memory or disk.
   */
  runnerMemoryBytes: number;
  runnerDiskBytes: number;
  /** The server's own services (its database): runners cannot connect to them (docs/runner.md). */
  runnerDeniedEndpoints?: readonly ServerEndpoint[];
  /** Longest a script inspection may take. */
  inspectTimeoutMs: number;
  /** Inspection runners alive at once; more requests wait their turn. */
  maxConcurrentInspections: number;
  /** How a runner is described in the run's distribution. */
  runnerSize: string;
  runnerAddress: string;
  costReductions?: CostReductions;
  /**
   * How long each second's metrics batches (one per engine thread) are held after the first arrives,
   * to be stored merged as one (default DEFAULT_HOLD_MS, 2 s); 0 stores every batch as it arrives.
   */
  metricsHoldMs?: number;
  /** Log lines a run keeps (the script's console, engine warnings); past it they are counted and dropped. Default DEFAULT_RUN_LOG_LINES. */
  runLogLines?: number;
  /**
   * How long a run's store writes (metrics, logs, statuses, its end) are held and retried while the
   * store is unavailable (down, restarting, full, read-only, locked) before they are dropped. Default
   * DEFAULT_STORE_RETRY_MS.
   */
  storeRetryMs?: number;
  /** Test seam: engine module the runners load instead of the engine. */
  engineModule?: string;
}

/** 10 minutes: a database restart or failover, with room to spare. */
export const DEFAULT_STORE_RETRY_MS = 10 * 60_000;

export const DEFAULT_ORCHESTRATOR_CONFIG: Omit<OrchestratorConfig, 'maxConcurrentRuns'> = Object.freeze({
  abortGraceMs: 30_000,
  heartbeatTimeoutMs: 30_000,
  overrunMs: 5 * 60_000,
  runnerMemoryBytes: 8 * 1024 * 1024 * 1024,
  runnerDiskBytes: 1024 * 1024 * 1024,
  inspectTimeoutMs: 60_000,
  maxConcurrentInspections: 4,
  runnerSize: 'local-process',
  runnerAddress: '127.0.0.1',
});

export interface OrchestratorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
