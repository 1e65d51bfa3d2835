// `stampede inspect script.js`: `k6 inspect` (internal/cmd/inspect.go) — load the test as `run` would
// (its init code runs) and print its options as k6 prints lib.Options: Go's json.MarshalIndent with two
// spaces, `<`, `>` and `&` escaped, no newline after it. `--execution-requirements` prints the
// consolidated and derived options (config file, script and K6_* env; k6 reads no option flags here)
// with the plan's totalDuration and maxVUs. Load errors are reported as `run` reports them, with k6's
// exit codes (104 invalid options, 107 script error, 255 where k6 attaches none).
import type { Command } from 'commander';
import type { EngineIo, RunFlags } from '../engine/index.ts';
import { addIncludeSystemEnvVarsFlag, collect, envFlagValues, includeSystemEnvVars } from './option-flags.ts';
import { processIo } from './process-io.ts';
import { withLoadedTest } from './command-load.ts';

interface InspectCliOptions {
  executionRequirements?: boolean;
  env: string[];
  includeSystemEnvVars?: boolean;
  compatibilityMode?: string;
  type?: string;
  thresholds: boolean;
  config?: string;
  logOutput?: string;
  logFormat?: string;
  /** k6's global -v and --no-color, when the root command has them. */
  verbose?: boolean;
  color?: boolean;
}


export function registerInspectCommand(program: Command): void {
  const inspect = program
    .command('inspect')
    .description('Inspect a script or archive: print its options as JSON, like `k6 inspect`')
    .argument('<file>', 'script file (.js, .ts) or k6 archive (.tar)')
    // A missing argument or an unknown flag: cobra's error, which k6 exits with -1 (255); see main.ts.
    .exitOverride();
  // k6's runtime option flags (runtime_options.go runtimeOptionFlagSet(false)).
  addIncludeSystemEnvVarsFlag(inspect)
    .option('--compatibility-mode <mode>', 'JavaScript compatibility mode: "extended" (default) or "base"')
    .option('-t, --type <type>', 'read the test as "js" or "archive" instead of detecting it')
    .option('-e, --env <KEY=VALUE>', 'add an environment variable to __ENV (repeatable)', collect, [])
    .option('--no-thresholds', "don't validate thresholds")
    .option('--execution-requirements', 'include calculations of execution requirements for the test (totalDuration, maxVUs)')
    // -c/--config, --log-output, --log-format, -v, --no-color: k6's global flags (global-flags.ts).
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      process.exitCode = await inspectCommand(file, cmd.optsWithGlobals<InspectCliOptions>(), processIo());
      // VU 0's module resources (HTTP clients) must not hold the process open.
      process.exit(process.exitCode);
    });
}

/** Go's encoding/json escapes these inside strings (HTML safety); they occur in JSON text only there. */
function goJsonEscapes(text: string): string {
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export async function inspectCommand(file: string, o: InspectCliOptions, given: EngineIo): Promise<number> {
  const loaded = await withLoadedTest(file, o, given, (io) => {
    const flags: RunFlags = { env: envFlagValues(o.env), includeSystemEnvVars: includeSystemEnvVars(o.includeSystemEnvVars, io.env, false) };
    if (!o.thresholds) flags.noThresholds = true;
    if (o.compatibilityMode !== undefined) flags.compatibilityMode = o.compatibilityMode;
    if (o.type !== undefined) flags.testType = o.type;
    return flags;
  }, (test) => test.inspect({ executionRequirements: o.executionRequirements === true }));
  if (typeof loaded === 'number') return loaded;
  const { value: doc, io } = loaded;
  io.stdout.write(goJsonEscapes(JSON.stringify(doc, null, 2)));
  return 0;
}
