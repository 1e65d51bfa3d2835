// k6's global `--secret-source` flag (internal/cmd/root.go; declared in global-flags.ts), repeatable:
// `file=PATH`, `file=name=N,filename=PATH`, `mock=key=value,…`, each optionally with `name=N` and
// `default`. The engine reads the sources (secret-source-flags.ts).
import type { RunFlags } from '../engine/index.ts';

export interface SecretSourceFlagValues {
  secretSource: string[];
}

/**
 * The `--secret-source` values as RunFlags (nothing when none was given). Without the flag,
 * K6_SECRET_SOURCE is one whole value of it (k6 cmd/state: the flag's default), commas and all.
 */
export function secretSourceFlags(
  o: SecretSourceFlagValues, env: Readonly<Record<string, string | undefined>> = process.env,
): Pick<RunFlags, 'secretSources'> {
  if (o.secretSource.length > 0) return { secretSources: o.secretSource };
  const fromEnv = env.K6_SECRET_SOURCE;
  return fromEnv === undefined ? {} : { secretSources: [fromEnv] };
}
