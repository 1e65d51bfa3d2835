// IPC messages between bench/results-bench.ts (the client side) and bench/results/server-process.ts.

export type ToServer =
  | { type: 'start'; dataDir: string; adminToken: string; metricsHoldMs?: number }
  /** A real run through the orchestrator and a sandboxed runner with the real engine. */
  | { type: 'ingest'; target: string; vus: number; seconds: number; names: number; /** Iterations (requests) a second; 0: as fast as the VUs go. */ rate: number }
  /** Synthesises a one-hour finished run's per-second batches into the store. */
  | { type: 'seed-hour'; names: number; seconds: number; requestsPerSecond: number }
  | { type: 'cpu' }
  | { type: 'stop' };

export interface IngestOutcome {
  runId: number;
  finalStatus: string;
  result: string | null;
  /** Wall time the run spent in `running`, as the server saw it (ms). */
  runningWallMs: number;
  /** Server process CPU (user + system) during that window, µs. */
  serverCpuMicros: number;
  /** Server process CPU over an idle window of the same process before the run, per ms of wall time (µs/ms). */
  idleCpuMicrosPerMs: number;
  /** The runner process's CPU (all its threads) during the window, µs (from /proc/<pid>/stat); null when unreadable. */
  runnerCpuMicros: number | null;
  /** Requests the engine made (sum of stored http_reqs) and failed (http_req_failed non-zero). */
  requests: number;
  failedRequests: number;
  /** Seconds covered by stored batches. */
  storedSeconds: number;
  rows: number;
  distinctSeries: number;
  /** Bytes of the stored text columns (metric, tags, aggregate) + 16 bytes per row for run_id/time. */
  storedBytes: number;
  /** Same, if the batches were rolled up to 10 s (rollUpBatches). */
  rolledUp10sBytes: number;
  bytesByMetric: Record<string, number>;
  /** One stored http_req_duration row, for the record. */
  sampleRow: string;
  /** Growth of the SQLite files (db + wal) over the run, bytes. */
  sqliteGrowthBytes: number;
  batchesAppended: number;
  /** Time the store's append took in total (ms), measured around each call. */
  appendMs: number;
  maxVus: number | null;
  statusMessage: string | null;
}

export type FromServer =
  | { type: 'hello' }
  | { type: 'ready'; port: number; stackId: number; projectId: number }
  | { type: 'ingested'; outcome: IngestOutcome }
  | { type: 'seeded'; runId: number; rows: number; storedBytes: number; seedMs: number; startS: number; endS: number }
  /** process.cpuUsage() of the server process, user + system, in microseconds. */
  | { type: 'cpu'; micros: number }
  | { type: 'stopped' }
  | { type: 'error'; message: string };
