// The booleans of k6's command config read from the environment (internal/cmd/config.go Config:
// K6_LINGER, K6_NO_USAGE_REPORT, K6_WEB_DASHBOARD). envconfig hands their text to guregu null.Bool's
// UnmarshalText, which knows only "true" and "false", and reads "" and "null" as not set; anything
// else (even Go's "1" or "t") is k6's envconfig error, exit code 104 (getConsolidatedConfig).
import { parseNullBool } from '../../core/index.ts';
import { EngineError, EXIT_CODES } from './exit-codes.ts';

/** The variable's value; undefined when it is missing, empty or "null". */
export function envNullBool(env: Readonly<Record<string, string | undefined>>, key: string, field: string): boolean | undefined {
  const v = env[key];
  if (v === undefined) return undefined;
  const b = parseNullBool(v);
  if (b !== undefined) return b ?? undefined;
  throw new EngineError(EXIT_CODES.invalidConfig, `envconfig.Process: assigning ${key} to ${field}: converting '${v}' to type null.Bool. details: invalid input:${v}`);
}

/** Checks them in the order envconfig reads the struct's fields; the first bad one is the error. */
export function checkCommandEnvBools(env: Readonly<Record<string, string | undefined>>): void {
  envNullBool(env, 'K6_LINGER', 'Linger');
  envNullBool(env, 'K6_NO_USAGE_REPORT', 'NoUsageReport');
  envNullBool(env, 'K6_WEB_DASHBOARD', 'WebDashboard');
}
