// The test-option flags `stampede run` and `stampede archive` share (k6 internal/cmd/options.go
// optionFlagSet, plus -e and --include-system-env-vars of runtime_options.go), and their conversion to
// the engine's RunFlags. Only flags the user gave end up in RunFlags, so lower tiers keep their values.
import { Option, type Command } from 'commander';
import { EngineError, EXIT_CODES, type RunFlags } from '../engine/index.ts';
import type { GlobalFlagValues } from './global-flags.ts';
import { parseGoBool } from '../core/index.ts';

export interface OptionFlagValues extends GlobalFlagValues {
  vus?: string;
  duration?: string;
  iterations?: string;
  stage: string[];
  env: string[];
  tag: string[];
  thresholds: boolean;
  includeSystemEnvVars?: boolean;
  summaryTrendStats?: string;
  summaryTimeUnit?: string;
  httpDebug?: string | boolean;
  setup: boolean;
  teardown: boolean;
  throw?: boolean;
  maxRedirects?: string;
  userAgent?: string;
  insecureSkipTlsVerify?: boolean;
  connectionReuse: boolean;
  vuConnectionReuse: boolean;
  minIterationDuration?: string;
  batch?: string;
  batchPerHost?: string;
  discardResponseBodies?: boolean;
  systemTags?: string;
  executionSegment?: string;
  executionSegmentSequence?: string;
  rps?: string;
  dns?: string;
  paused?: boolean;
  blacklistIp: string[];
  blockHostnames: string[];
  consoleOutput?: string;
  localIps?: string;
  compatibilityMode?: string;
  type?: string;
}

/** commander's accumulator for a repeatable flag. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addOptionFlags(command: Command): Command {
  return addIncludeSystemEnvVarsFlag(command)
    // An unknown flag or a missing argument: cobra's error, which k6 exits with -1 (255); see main.ts.
    .exitOverride()
    .option('-u, --vus <n>', 'number of virtual users')
    .option('-d, --duration <duration>', 'test duration, e.g. 30s, 1m30s')
    .option('-i, --iterations <n>', 'total iterations shared by the VUs')
    .option('-p, --paused', 'start the test in a paused state (resume it through the REST API, see --address)')
    .option('-s, --stage <duration:target>', 'a ramping stage, e.g. 30s:10 (repeatable)', collect, [])
    .option('-e, --env <KEY=VALUE>', 'add an environment variable to __ENV (repeatable)', collect, [])
    .option('--tag <NAME=VALUE>', 'add a tag to every metric sample (repeatable)', collect, [])
    .option('--no-thresholds', "don't run thresholds")
    .option('--summary-trend-stats <stats>', 'trend stats in the summary, e.g. avg,p(95),p(99.9)')
    .option('--summary-time-unit <unit>', 'time unit in the summary: s, ms or us')
    .option('--http-debug [level]', 'log HTTP requests and responses; "full" includes bodies')
    .option('--no-setup', "don't run setup()")
    .option('--no-teardown', "don't run teardown()")
    .option('-w, --throw', 'throw errors on failed HTTP requests')
    .option('--max-redirects <n>', 'follow at most n redirects')
    .option('--user-agent <ua>', 'User-Agent header')
    .option('--insecure-skip-tls-verify', 'skip TLS certificate verification')
    .option('--no-connection-reuse', 'disable keep-alive connections')
    .option('--no-vu-connection-reuse', "don't reuse connections between iterations of a VU")
    .option('--min-iteration-duration <duration>', 'minimum time an iteration takes')
    .option('--batch <n>', 'max parallel requests of http.batch')
    .option('--batch-per-host <n>', 'max parallel requests of http.batch per host')
    .option('--discard-response-bodies', 'read and discard response bodies')
    .option('--system-tags <tags>', 'system tags to emit')
    .option('--execution-segment <segment>', 'run only this segment of the test, e.g. 0:1/2')
    .option('--execution-segment-sequence <sequence>', 'all segments of the split, e.g. 0,1/2,1')
    .option('--rps <n>', 'limit HTTP requests per second across all VUs of the instance')
    .option('--dns <config>', 'DNS resolver settings, e.g. "ttl=5m,select=random,policy=preferIPv4"')
    .option('--blacklist-ip <ranges>', 'refuse requests to these IP ranges (CIDR, comma-separated or repeated)', collect, [])
    .option('--block-hostnames <patterns>', 'refuse requests to these hostnames, e.g. "*.example.com" (comma-separated or repeated)', collect, [])
    .option('--local-ips <ranges>', "local IPs VUs send requests from, one per VU in turn, e.g. '192.168.0.10-192.168.0.25,10.0.0.0/30'")
    .option('--console-output <file>', "append the script's console output to this file instead of the log")
    // k6's script runtime options (runtime_options.go); its global flags are the root's (global-flags.ts).
    .option('--compatibility-mode <mode>', 'JavaScript compatibility mode: "extended" (default: `global` is globalThis) or "base"')
    .option('-t, --type <type>', 'read the test as "js" or "archive" instead of detecting it');
}

/** k6 runtime_options.go userEnvVarName. */
const ENV_VAR_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * `-e KEY=VALUE` values as __ENV entries (k6 state.ParseEnvKeyValue): `-e KEY` alone is KEY with an
 * empty value. A name that is not a C identifier is k6's error without an exit code (255).
 */
export function envFlagValues(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    const [name, value] = eq < 0 ? [item, ''] : [item.slice(0, eq), item.slice(eq + 1)];
    if (!ENV_VAR_NAME.test(name)) throw new EngineError(EXIT_CODES.noExitCode, `invalid environment variable name '${name}'`);
    out[name] = value;
  }
  return out;
}

/** k6 saveBoolFromEnv: a runtime option's variable, which must be a Go boolean when set (255 otherwise). */
export function envBool(env: Readonly<Record<string, string | undefined>>, name: string): boolean | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  const b = parseGoBool(v);
  if (b !== undefined) return b;
  throw new EngineError(EXIT_CODES.noExitCode, `env var '${name}' is not a valid boolean value: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

/**
 * `--include-system-env-vars` and its `=false` form (main.ts turns `--include-system-env-vars=0` into
 * the hidden `--no-include-system-env-vars`), left undefined when not given so that
 * K6_INCLUDE_SYSTEM_ENV_VARS and the command's default apply (see includeSystemEnvVars).
 */
export function addIncludeSystemEnvVarsFlag(command: Command): Command {
  return command
    .option('--include-system-env-vars', 'pass the real system environment variables to __ENV (also K6_INCLUDE_SYSTEM_ENV_VARS)')
    .addOption(new Option('--no-include-system-env-vars').hideHelp());
}

/**
 * Whether the system environment goes into __ENV (k6 getRuntimeOptions): the flag, else
 * K6_INCLUDE_SYSTEM_ENV_VARS, else the command's default. That default is false for every command:
 * issue 2 asks for the process environment only with --include-system-env-vars, where `k6 run`
 * defaults to true (runtimeOptionFlagSet(true)); see test/scripts/compat/README.md. A bad K6_INCLUDE_SYSTEM_ENV_VARS fails even when the flag is given.
 */
export function includeSystemEnvVars(flag: boolean | undefined, env: Readonly<Record<string, string | undefined>>, commandDefault: boolean): boolean {
  const fromEnv = envBool(env, 'K6_INCLUDE_SYSTEM_ENV_VARS');
  return flag ?? fromEnv ?? commandDefault;
}

/**
 * The flags the user gave, as RunFlags; a malformed -e is an EngineError without a k6 exit code (255),
 * as in k6. `includeSystemEnvByDefault` is the command's default for --include-system-env-vars.
 */
export function optionFlagsFrom(o: OptionFlagValues, env: Readonly<Record<string, string | undefined>>, includeSystemEnvByDefault: boolean): RunFlags {
  const flags: RunFlags = {
    env: envFlagValues(o.env),
    includeSystemEnvVars: includeSystemEnvVars(o.includeSystemEnvVars, env, includeSystemEnvByDefault),
  };
  if (o.vus !== undefined) flags.vus = o.vus;
  if (o.duration !== undefined) flags.duration = o.duration;
  if (o.iterations !== undefined) flags.iterations = o.iterations;
  if (o.stage.length > 0) flags.stage = o.stage;
  if (o.tag.length > 0) flags.tag = o.tag;
  if (!o.thresholds) flags.noThresholds = true;
  if (o.summaryTrendStats !== undefined) flags.summaryTrendStats = o.summaryTrendStats;
  if (o.summaryTimeUnit !== undefined) flags.summaryTimeUnit = o.summaryTimeUnit;
  if (o.httpDebug !== undefined) flags.httpDebug = o.httpDebug === true ? 'headers' : o.httpDebug;
  if (!o.setup) flags.noSetup = true;
  if (!o.teardown) flags.noTeardown = true;
  if (o.throw === true) flags.throw = true;
  if (o.maxRedirects !== undefined) flags.maxRedirects = o.maxRedirects;
  if (o.userAgent !== undefined) flags.userAgent = o.userAgent;
  if (o.insecureSkipTlsVerify === true) flags.insecureSkipTlsVerify = true;
  if (!o.connectionReuse) flags.noConnectionReuse = true;
  if (!o.vuConnectionReuse) flags.noVuConnectionReuse = true;
  if (o.minIterationDuration !== undefined) flags.minIterationDuration = o.minIterationDuration;
  if (o.batch !== undefined) flags.batch = o.batch;
  if (o.batchPerHost !== undefined) flags.batchPerHost = o.batchPerHost;
  if (o.discardResponseBodies === true) flags.discardResponseBodies = true;
  if (o.systemTags !== undefined) flags.systemTags = o.systemTags;
  if (o.executionSegment !== undefined) flags.executionSegment = o.executionSegment;
  if (o.executionSegmentSequence !== undefined) flags.executionSegmentSequence = o.executionSegmentSequence;
  if (o.rps !== undefined) flags.rps = o.rps;
  if (o.dns !== undefined) flags.dns = o.dns;
  if (o.paused === true) flags.paused = true;
  if (o.blacklistIp.length > 0) flags.blacklistIp = o.blacklistIp;
  if (o.blockHostnames.length > 0) flags.blockHostnames = o.blockHostnames;
  if (o.localIps !== undefined) flags.localIps = o.localIps;
  if (o.consoleOutput !== undefined) flags.consoleOutput = o.consoleOutput;
  if (o.compatibilityMode !== undefined) flags.compatibilityMode = o.compatibilityMode;
  if (o.type !== undefined) flags.testType = o.type;
  return flags;
}
