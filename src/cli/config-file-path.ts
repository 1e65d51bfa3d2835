// Which JSON config file `stampede run`/`archive` read (k6 cmd/state getFlags and GetDefaultFlags):
// `-c/--config`, else K6_CONFIG, else k6's default `<user config dir>/k6/config.json`
// ($XDG_CONFIG_HOME, or ~/.config, as Go's os.UserConfigDir on Linux). Only the default path may be
// missing; k6 compares the path given with the default one to decide.
import * as path from 'node:path';
import type { RunFlags } from '../engine/index.ts';

export function defaultConfigPath(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg !== undefined && xdg !== '' ? xdg : env.HOME !== undefined && env.HOME !== '' ? path.join(env.HOME, '.config') : undefined;
  return base === undefined ? undefined : path.join(base, 'k6', 'config.json');
}

export function configFileFlag(given: string | undefined, env: Readonly<Record<string, string | undefined>>): RunFlags['config'] {
  const fallback = defaultConfigPath(env);
  const chosen = given ?? env.K6_CONFIG ?? fallback;
  if (chosen === undefined) return undefined;
  return { path: chosen, optional: chosen === fallback };
}
