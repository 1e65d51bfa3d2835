// Deployment configuration: read from an environment-shaped record once at start-up, validated as a
// whole (every problem reported together), then frozen. Nothing else in the server reads the environment.
import { StampedeError } from '../core/index.ts';
import { DEFAULT_RUN_LOG_LINES } from '../domain/index.ts';
import { parseDeclaredLoadZones } from './load-zone-declarations.ts';
import type { DeclaredLoadZone } from './load-zone-declarations.ts';

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** PostgreSQL connection string; SQLite under `dataDir` when absent. */
  readonly databaseUrl: string | undefined;
  /** Secret for the first start's admin token; a random one is generated when absent. */
  readonly adminToken: string | undefined;
  /** Origin used for absolute links (`@nextLink`, details page); the request's own host when absent. */
  readonly publicUrl: string | undefined;
  readonly maxConcurrentRuns: number;
  readonly retentionDays: number;
  /** Cap on saved runs per stack; 0 means no cap. */
  readonly maxSavedRuns: number;
  /** Largest JSON or script body accepted, in bytes (413 above it). */
  readonly bodyLimitBytes: number;
  /** Load zones created at start-up when missing (STAMPEDE_LOAD_ZONES, see load-zone-declarations.ts). */
  readonly loadZones: readonly DeclaredLoadZone[];
  /** Log lines a run keeps (STAMPEDE_RUN_LOG_LINES); past it they are counted and dropped. */
  readonly runLogLines: number;
  /** A runner's memory and run-folder limits in MiB (STAMPEDE_RUNNER_MEMORY_MB, STAMPEDE_RUNNER_DISK_MB): past them it is killed. */
  readonly runnerMemoryMb: number;
  readonly runnerDiskMb: number;
  /** PostgreSQL: seconds an ordinary statement may go unanswered before its connection counts as stalled (STAMPEDE_PG_QUERY_TIMEOUT_S). */
  readonly pgQueryTimeoutS: number;
}

export const CONFIG_DEFAULTS = {
  host: '127.0.0.1',
  port: 8060,
  dataDir: './data',
  maxConcurrentRuns: 4,
  retentionDays: 30,
  maxSavedRuns: 0,
  bodyLimitBytes: 10 * 1024 * 1024,
  runLogLines: DEFAULT_RUN_LOG_LINES,
  runnerMemoryMb: 8192,
  runnerDiskMb: 1024,
  pgQueryTimeoutS: 30,
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/** Builds the frozen configuration from `env`; throws one validation error naming every bad variable. */
export function parseServerConfig(env: Env): ServerConfig {
  const problems: { target: string; message: string }[] = [];
  const text = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const int = (name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push({ target: name, message: `${name} must be an integer between ${min} and ${max}, got "${raw}"` });
      return fallback;
    }
    return Number(raw);
  };

  const publicUrl = text('STAMPEDE_PUBLIC_URL');
  if (publicUrl !== undefined && !isHttpUrl(publicUrl)) {
    problems.push({ target: 'STAMPEDE_PUBLIC_URL', message: `STAMPEDE_PUBLIC_URL must be an http(s) URL, got "${publicUrl}"` });
  }
  const databaseUrl = text('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push({ target: 'DATABASE_URL', message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' });
  }
  const adminToken = text('STAMPEDE_ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 16) {
    problems.push({ target: 'STAMPEDE_ADMIN_TOKEN', message: 'STAMPEDE_ADMIN_TOKEN must be at least 16 characters long' });
  }

  const declared = parseDeclaredLoadZones(text('STAMPEDE_LOAD_ZONES'), 'STAMPEDE_LOAD_ZONES');
  problems.push(...declared.problems.map((message) => ({ target: 'STAMPEDE_LOAD_ZONES', message })));

  const config: ServerConfig = {
    host: text('STAMPEDE_HOST') ?? CONFIG_DEFAULTS.host,
    port: int('STAMPEDE_PORT', CONFIG_DEFAULTS.port, 0, 65535),
    dataDir: text('STAMPEDE_DATA_DIR') ?? CONFIG_DEFAULTS.dataDir,
    databaseUrl,
    adminToken,
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    maxConcurrentRuns: int('STAMPEDE_MAX_CONCURRENT_RUNS', CONFIG_DEFAULTS.maxConcurrentRuns, 1, 1000),
    retentionDays: int('STAMPEDE_RETENTION_DAYS', CONFIG_DEFAULTS.retentionDays, 1, 36500),
    maxSavedRuns: int('STAMPEDE_MAX_SAVED_RUNS', CONFIG_DEFAULTS.maxSavedRuns, 0),
    bodyLimitBytes: int('STAMPEDE_BODY_LIMIT_BYTES', CONFIG_DEFAULTS.bodyLimitBytes, 1024, 1024 * 1024 * 1024),
    loadZones: Object.freeze(declared.zones),
    runLogLines: int('STAMPEDE_RUN_LOG_LINES', CONFIG_DEFAULTS.runLogLines, 0, 10_000_000),
    runnerMemoryMb: int('STAMPEDE_RUNNER_MEMORY_MB', CONFIG_DEFAULTS.runnerMemoryMb, 256, 1024 * 1024),
    runnerDiskMb: int('STAMPEDE_RUNNER_DISK_MB', CONFIG_DEFAULTS.runnerDiskMb, 1, 1024 * 1024),
    pgQueryTimeoutS: int('STAMPEDE_PG_QUERY_TIMEOUT_S', CONFIG_DEFAULTS.pgQueryTimeoutS, 1, 24 * 3600),
  };
  if (problems.length > 0) {
    throw new StampedeError('STAMPEDE_ERR_VALIDATION', `invalid configuration: ${problems.map((p) => p.message).join('; ')}`, {
      details: problems,
    });
  }
  return Object.freeze(config);
}

/** Configuration for tests and embedding: defaults overridden by `overrides`, frozen. */
export function serverConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return Object.freeze({
    ...CONFIG_DEFAULTS,
    databaseUrl: undefined,
    adminToken: undefined,
    publicUrl: undefined,
    loadZones: [],
    ...overrides,
  });
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
