// k6's global `--secret-source` flag (internal/cmd/root.go), repeatable: `file=PATH`,
// `file=name=N,filename=PATH`, `mock=key=value,…`, each optionally with `name=N` and `default`.
// The engine reads the sources (secret-source-flags.ts); `stampede run` is where they apply.
import type { Command } from 'commander';
import type { RunFlags } from '../engine/index.ts';

export interface SecretSourceFlagValues {
  secretSource: string[];
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addSecretSourceFlag(command: Command): Command {
  return command.option('--secret-source <source>', 'a secret source for k6/secrets: file=PATH, file=name=N,filename=PATH or mock=KEY=VALUE,… (repeatable; add name=N, default)', collect, []);
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
