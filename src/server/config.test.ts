import { describe, expect, it } from 'vitest';
import { StampedeError } from '../core/index.ts';
import { parseServerConfig } from './config.ts';

describe('parseServerConfig', () => {
  it('uses the documented defaults and freezes the result', () => {
    const config = parseServerConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8060, dataDir: './data', databaseUrl: undefined, publicUrl: undefined, retentionDays: 30, maxSavedRuns: 0, runnerMemoryMb: 8192, runnerDiskMb: 1024, pgQueryTimeoutS: 30 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const config = parseServerConfig({
      STAMPEDE_HOST: '0.0.0.0',
      STAMPEDE_PORT: '9000',
      STAMPEDE_DATA_DIR: '/var/lib/stampede',
      DATABASE_URL: 'postgres://u@db/stampede',
      STAMPEDE_ADMIN_TOKEN: 'a-long-enough-secret',
      STAMPEDE_PUBLIC_URL: 'https://load.example.com/',
      STAMPEDE_MAX_CONCURRENT_RUNS: '8',
      STAMPEDE_RETENTION_DAYS: '7',
      STAMPEDE_MAX_SAVED_RUNS: '100',
      STAMPEDE_RUN_LOG_LINES: '500',
      STAMPEDE_RUNNER_MEMORY_MB: '2048',
      STAMPEDE_RUNNER_DISK_MB: '100',
      STAMPEDE_PG_QUERY_TIMEOUT_S: '120',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0', port: 9000, dataDir: '/var/lib/stampede', databaseUrl: 'postgres://u@db/stampede', adminToken: 'a-long-enough-secret',
      publicUrl: 'https://load.example.com', maxConcurrentRuns: 8, retentionDays: 7, maxSavedRuns: 100, runLogLines: 500, runnerMemoryMb: 2048, runnerDiskMb: 100, pgQueryTimeoutS: 120,
    });
  });

  it('reports every bad variable at once', () => {
    let caught: unknown;
    try {
      parseServerConfig({ STAMPEDE_PORT: '70000', STAMPEDE_PUBLIC_URL: 'ftp://x', DATABASE_URL: 'mysql://x', STAMPEDE_RETENTION_DAYS: 'ten', STAMPEDE_ADMIN_TOKEN: 'short' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StampedeError);
    expect((caught as StampedeError).details.map((d) => d.target).sort()).toEqual(['DATABASE_URL', 'STAMPEDE_ADMIN_TOKEN', 'STAMPEDE_PORT', 'STAMPEDE_PUBLIC_URL', 'STAMPEDE_RETENTION_DAYS']);
  });
});
