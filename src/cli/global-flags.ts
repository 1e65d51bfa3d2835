// k6's persistent flags (internal/cmd/root.go rootCmdPersistentFlagSet): declared once on the root
// command, so they are accepted before the command (`stampede --quiet run x.js`, `stampede -v archive
// x.js`) as well as after it, by every command, as cobra does for k6. Commands read them with
// `optsWithGlobals()`; commands they mean nothing to accept and ignore them, as k6's do.
import type { Command } from 'commander';
import { collect } from './option-flags.ts';

export interface GlobalFlagValues {
  secretSource: string[];
  logOutput?: string;
  logFormat?: string;
  config?: string;
  color: boolean;
  verbose?: boolean;
  quiet?: boolean;
  address?: string;
  profilingEnabled?: boolean;
}


export function addGlobalFlags(program: Command): Command {
  return program
    .option('--secret-source <source>', 'a secret source for k6/secrets: file=PATH, file=name=N,filename=PATH or mock=KEY=VALUE,… (repeatable; add name=N, default)', collect, [])
    .option('--log-output <output>', 'where logs go: stderr (default), stdout, none, file=PATH[,level=LEVEL] (also K6_LOG_OUTPUT)')
    .option('--log-format <format>', 'log format: text (default), json or raw (also K6_LOG_FORMAT)')
    .option('-c, --config <file>', 'JSON config file: options at its top level, below the script, env and flags (also K6_CONFIG)')
    .option('--no-color', 'disable colored output (also K6_NO_COLOR, NO_COLOR)')
    .option('-v, --verbose', 'enable verbose logging (debug lines, console.debug)')
    .option('-q, --quiet', 'disable progress updates')
    .option('-a, --address <address>', 'address for the REST API server (e.g. localhost:6565); the server is disabled when not set (also K6_ADDRESS)')
    .option('--profiling-enabled', 'enable profiling (pprof) endpoints, requires the REST API to be enabled (--address)');
}
