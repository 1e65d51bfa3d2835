// IPC messages between bench/api-bench.ts (the client side) and bench/api/server-process.ts.

export type ToServer =
  | {
      type: 'start';
      /** SQLite file folder (also the server's data dir with PostgreSQL). */
      dataDir: string;
      databaseUrl?: string;
      pgSchema?: string;
      adminToken: string;
      runs: number;
      loadTests: number;
      /** Creation time of the first seeded run; later runs are `spacingMs` apart. */
      startAtMs: number;
      spacingMs: number;
    }
  | { type: 'cpu' }
  | { type: 'stop' };

export type FromServer =
  | { type: 'hello' }
  | {
      type: 'ready';
      port: number;
      dialect: 'sqlite' | 'postgres';
      stackId: number;
      projectId: number;
      loadTestIds: number[];
      runCount: number;
      /** Wall time of seedBulkRuns (inserts, then ANALYZE / VACUUM ANALYZE), in ms. */
      seedMs: number;
    }
  /** process.cpuUsage() of the server process, user + system, in microseconds. */
  | { type: 'cpu'; micros: number }
  | { type: 'stopped' }
  | { type: 'error'; message: string };
