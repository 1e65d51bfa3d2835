// sql.open()'s third argument (xk6-sql options.go): connection pool settings as database/sql's
// SetConnMaxIdleTime, SetConnMaxLifetime, SetMaxIdleConns and SetMaxOpenConns take them.
import { parseGoDuration } from '../../options/flag-values.ts';

export interface SqlPoolOptions {
  /** Idle connections older than this are closed; 0: never (Go's default). */
  readonly connMaxIdleTimeMs: number;
  /** Connections older than this are not reused; 0: no limit (Go's default). */
  readonly connMaxLifetimeMs: number;
  /** Idle connections kept; Go's default is 2, 0 or less keeps none. */
  readonly maxIdleConns: number;
  /** 0 or less: unlimited (Go's default). */
  readonly maxOpenConns: number;
}

export const DEFAULT_POOL_OPTIONS: SqlPoolOptions = { connMaxIdleTimeMs: 0, connMaxLifetimeMs: 0, maxIdleConns: 2, maxOpenConns: 0 };

/**
 * Reads the options object as sobek fills xk6-sql's struct (snake_case keys, each a sobek.Value):
 * durations go through the value's string form and Go's time.ParseDuration (its error text), counts
 * through ToInteger. A missing or undefined key leaves Go's default; anything but an object is no options.
 */
export function parseSqlOptions(value: unknown): SqlPoolOptions {
  if (value === null || typeof value !== 'object') return DEFAULT_POOL_OPTIONS;
  const o = value as Record<string, unknown>;
  const opts = { ...DEFAULT_POOL_OPTIONS };
  if (o.conn_max_idle_time !== undefined) opts.connMaxIdleTimeMs = goDuration(o.conn_max_idle_time);
  if (o.conn_max_lifetime !== undefined) opts.connMaxLifetimeMs = goDuration(o.conn_max_lifetime);
  if (o.max_idle_conns !== undefined) opts.maxIdleConns = toInteger(o.max_idle_conns);
  if (o.max_open_conns !== undefined) opts.maxOpenConns = toInteger(o.max_open_conns);
  return opts;
}

/** Go's time.ParseDuration of a value's string form (sobek's Value.String()), in ms; Go's error text. */
export function goDuration(value: unknown): number {
  return parseGoDuration(String(value));
}

function toInteger(value: unknown): number {
  const n = Number(value);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}
