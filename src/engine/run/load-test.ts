// Loading a test (k6-semantics §1, up to "plan"): compile → VU-0 init to read `options` (unless an
// archive brings them) → consolidate and validate every tier (exit 104 listing every problem) →
// thresholds validated against the known metrics → the execution plan.
import { errorText } from '../vu/error-text.ts';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileScript, CompileError, type CompiledScript, type ScriptInput } from '../compile/compile-script.ts';
import { buildExecutionPlan, type ExecutionPlan } from '../executors/execution-plan.ts';
import type { ScenarioConfig } from '../executors/executor-config.ts';
import { MetricRegistry } from '../metrics/metric-registry.ts';
import { MetricsAggregator } from '../metrics/metrics-aggregator.ts';
import type { CliOptionFlags } from '../options/cli-options.ts';
import { checkScenarioExecs, consolidateOptions } from '../options/consolidate.ts';
import type { ResolvedOptions } from '../options/k6-options.ts';
import { OptionsError } from '../options/options-error.ts';
import { parseOptionsObject } from '../options/parse-options.ts';
import { parseScenarios } from '../executors/scenario-config.ts';
import { parseThresholds, type ThresholdDefinition } from '../thresholds/parse-thresholds.ts';
import { ScriptAbort } from '../vu/interrupt.ts';
import type { ExecutionFacts } from '../vu/vu-services.ts';
import type { SampleSink } from '../vu/vu-host.ts';
import { JsonOutput, jsonMetricDescriptions, type JsonMetricDescriptions } from '../summary/json-output.ts';
import type { EngineIo } from './engine-io.ts';
import { EngineLog, stricterLevel, type LogFormat } from './engine-log.ts';
import { EngineError, EXIT_CODES, SCRIPT_EXCEPTION_FIELDS } from './exit-codes.ts';
import { parseCsvArgument, type CsvOutputConfig } from './csv-output.ts';
import { PointOutputs } from './point-outputs.ts';
import { createNetworkOutput, isNetworkOutput, OUTPUTS_AVAILABLE, type NetworkOutputSpec } from '../outputs/network-outputs.ts';
import type { SampleOutput } from '../outputs/sample-output.ts';
import { readConfigFile, type ConfigFileRead } from './config-file.ts';
import { checkCommandEnvBools, envNullBool } from './env-null-bool.ts';
import { scriptRuntimeOptions } from './runtime-options.ts';
import { MainScript } from './main-script.ts';
import { InstanceCounters } from './instance-counters.ts';
import { RequestRateLimit } from '../http/request-rate-limit.ts';
import type { SummaryModeSetting } from '../summary/summary-mode.ts';
import { captureUnhandledRejections } from './unhandled-rejections.ts';
import type { LogLevel, LogSink } from '../vu/log-sink.ts';
import { newStopBuffer, stopFlagOf } from './stop-flag.ts';
import { SecretStore, type SecretTable } from '../modules/secret-store.ts';
import { SecretRedactor } from './secret-redactor.ts';
import { loadSecretSources } from './secret-source-flags.ts';
import { workerCount } from './worker-count.ts';
import { configFileFeatures, resolveFeatures, runTagsWithFeatures } from './feature-flags.ts';
import { goErrnoText } from './go-errno.ts';
import { openKeyLog } from './key-log.ts';

export interface RunFlags extends CliOptionFlags {
  /** `-e K=V` values. */
  env?: Readonly<Record<string, string>>;
  /** Adds the whole system environment (EngineIo.env) to `__ENV`. */
  includeSystemEnvVars?: boolean;
  /** Worker threads to spread VUs over; default: one per core, never more than the max VUs. */
  workers?: number;
  /** `--summary-export FILE`. */
  summaryExport?: string;
  /** `--no-summary`: neither handleSummary nor the default text summary. */
  noSummary?: boolean;
  /** `--summary-mode`: compact, full or disabled (else K6_SUMMARY_MODE; default compact). */
  summaryMode?: string;
  /** Log debug lines (console.debug) too. */
  verbose?: boolean;
  /** `--log-format`: k6's logrus formatter (text by default). The log goes to EngineIo.log. */
  logFormat?: LogFormat;
  /** `--log-output=file=…,level=L`: only lines at least this severe are written. */
  logLevel?: LogLevel;
  /** `--compatibility-mode` (else K6_COMPATIBILITY_MODE): extended (default), base or experimental_enhanced. */
  compatibilityMode?: string;
  /** `-t/--type` (else K6_TYPE): js or archive, forcing how the input is read. */
  testType?: string;
  /**
   * `--new-machine-readable-summary` (or K6_NEW_MACHINE_READABLE_SUMMARY): handleSummary gets, and
   * `--summary-export` writes, k6's machine-readable summary instead of the legacy data.
   */
  newMachineReadableSummary?: boolean;
  /** `--no-color` (k6's global flag; K6_NO_COLOR or NO_COLOR in EngineIo.env do the same). */
  noColor?: boolean;
  /** `--out json=FILE`: every sample as k6's NDJSON points, written at the end of the run ("-": stdout, ".gz": gzipped). */
  jsonOut?: string;
  /** `--out csv=ARG`: k6's CSV rows of every sample (ARG: a file, "-" or "" for stdout, or fileName=…,timeFormat=…). */
  csvOut?: string;
  /** `--out influxdb[=URL]` and the other network outputs, in the order given. */
  networkOuts?: readonly NetworkOutputSpec[];
  /**
   * `--out web-dashboard[=ARG]`: the web dashboard with xk6-dashboard's `key=value&…` options ("" for
   * none). The engine only resolves it (K6_OUT, K6_WEB_DASHBOARD, the config file); the host serves it.
   */
  webDashboard?: string;
  /** `--features` values as given (repeatable, comma-separated names); undefined: the flag was not given. */
  features?: readonly string[];
  /** `--secret-source` values (k6's global flag): `file=PATH`, `mock=k=v,…`, with `name=`/`default` (secret-source-flags.ts). */
  secretSources?: readonly string[];
  /**
   * k6's JSON config file (`-c`/`--config`, K6_CONFIG): its options are the lowest tier. `optional`:
   * k6's default path, skipped quietly when it does not exist.
   */
  config?: { readonly path: string; readonly optional?: boolean };
}

/** What start() needs of a loaded test; everything is decided before any VU of the run exists. */
export interface LoadedTestState {
  readonly compiled: CompiledScript;
  readonly io: EngineIo;
  readonly flags: RunFlags;
  readonly options: ResolvedOptions;
  /** The options as the script (or archive) declared them, after k6's JSON round trip. */
  readonly scriptOptions: unknown;
  readonly scenarios: readonly ScenarioConfig[];
  /** k6/execution `test.options` (JSON-safe). */
  readonly testOptions: Readonly<Record<string, unknown>>;
  readonly plan: ExecutionPlan;
  /** Warnings of the options' consolidation: k6 logs them as it loads the test, before its banner. */
  readonly warnings: readonly string[];
  /**
   * The metrics engine's warnings (thresholds on the non-indexable vu/iter tags): k6 logs them once
   * its banner's logo is out, before the execution description (InitSubMetricsAndThresholds).
   */
  readonly thresholdWarnings: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly thresholds: readonly ThresholdDefinition[];
  /** SSLKEYLOGFILE, when set: the workers' TLS session keys are written here (key-log.ts). */
  readonly keyLog: { write(lines: string): void } | undefined;
  /** The tags every sample carries: the options' `tags` and the active features' (feature-flags.ts). */
  readonly runTags: Readonly<Record<string, string>>;
  readonly registry: MetricRegistry;
  readonly mainSamples: MetricsAggregator;
  /** Where main-thread samples go: mainSamples, through the JSON output when there is one. */
  readonly mainSink: SampleSink;
  /** Where `--out json`/`--out csv` NDJSON chunks of every thread go (streamed once the run opens it). */
  readonly points: PointOutputs;
  readonly mainJson: JsonOutput | undefined;
  /** `--out csv`, when given (checked at load). */
  readonly csv: CsvOutputConfig | undefined;
  /** The network outputs (`--out influxdb`, …), made at load (their config checked); started with the run. */
  readonly sampleOutputs: readonly SampleOutput[];
  readonly mainScript: MainScript;
  readonly log: EngineLog;
  readonly exports: ReadonlySet<string>;
  /** `handleSummary` is exported but is not a function: the summary fails at the end (k6 HandleSummary). */
  readonly handleSummaryNotAFunction: boolean;
  /** Maps stack traces to the original sources without Stampede's own frames. */
  readonly mapText: (text: string) => string;
  /** Worker threads the run uses: --workers or one per core, never more than the max VUs. */
  readonly workers: number;
  /** The main thread's own stop flag (service VUs stuck in loops). */
  readonly serviceStop: ReturnType<typeof stopFlagOf>;
  /** Instance facts for the service VUs; filled in by the run. */
  readonly facts: MutableFacts;
  /** k6/execution's instance counters, shared with the workers. */
  readonly instance: InstanceCounters;
  /** The instance's `rps` bucket, shared by the service VUs and the workers. */
  readonly rateBuffer: SharedArrayBuffer;
  /** `--summary-mode` / `K6_SUMMARY_MODE`, 'disabled' with `--no-summary`. */
  readonly summaryMode: SummaryModeSetting;
  /** No colours anywhere (handleSummary's data.options.noColor): see noColorFrom. */
  readonly noColor: boolean;
  /** The `--secret-source` secrets, read at load; the workers get them too. */
  readonly secrets: SecretTable;
  /** Secrets handed to scripts so far, redacted from the log. */
  readonly redactor: SecretRedactor;
  /** k6's "extended" compatibility mode (not "base"): `global` is an alias of `globalThis`. */
  readonly globalAlias: boolean;
  /** k6's `freeze-env` feature: every VU's `__ENV` is frozen. */
  readonly freezeEnv: boolean;
  /** The compatibility mode, as an archive records it. */
  readonly compatibilityMode: string;
}

/** What k6's json.Unmarshal of a script's options rejects: type errors and undecodable scenarios (not validation). */
function scriptDecodingProblems(scriptOptions: unknown): string[] {
  const tier = parseOptionsObject(scriptOptions);
  const raw = (scriptOptions as { scenarios?: unknown } | null | undefined)?.scenarios;
  const scenarios = raw === undefined || raw === null ? undefined : parseScenarios(raw);
  const scenarioProblems = scenarios === undefined ? [] : scenarios.problems.filter((p) => !scenarios.validation.includes(p));
  return [...tier.problems, ...scenarioProblems];
}

/** k6 cmd/state: --no-color, a non-empty K6_NO_COLOR, or NO_COLOR set at all (https://no-color.org). */
export function noColorFrom(flags: RunFlags, env: Readonly<Record<string, string | undefined>>): boolean {
  return flags.noColor === true || (env.K6_NO_COLOR ?? '') !== '' || env.NO_COLOR !== undefined;
}

export interface MutableFacts extends ExecutionFacts {
  /** Epoch ms of t=0, set when the executors start. */
  start: number;
  /** Epoch ms the test run started, set just before setup(). */
  runStartedAt: number;
}

/** The instance facts of the main thread's service VUs: the workers' shared counters. */
function newFacts(options: () => unknown, instance: InstanceCounters): MutableFacts {
  const f: MutableFacts = {
    start: 0,
    runStartedAt: 0,
    iterationsCompleted: () => instance.get('iterationsCompleted'),
    iterationsInterrupted: () => instance.get('iterationsInterrupted'),
    vusActive: () => instance.get('vusActive'),
    vusInitialized: () => instance.get('vusInitialized'),
    testStart: () => f.start,
    runStart: () => f.runStartedAt,
    scenario: () => undefined,
    testOptions: options,
    abortTest: () => undefined,
    failTest: () => undefined,
  };
  return f;
}

/** Stampede's own sources: frames there (engine, CLI, runner) are below the script's. */
const SOURCE_DIR = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const HOST_FRAME = /^\s+at .*(?:node:internal\/|\(node:|__stampede_factory)/;

/**
 * Stack traces as a script author wants them: positions in the original files (the compiler's map),
 * without the engine's own frames below the script's.
 */
export function stackMapper(compiled: CompiledScript): (text: string) => string {
  return (text) =>
    compiled
      .mapStack(text)
      .split('\n')
      .filter((line) => !(line.includes(`${SOURCE_DIR}/`) || HOST_FRAME.test(line)))
      .join('\n');
}

function scriptException(e: unknown, mapText: (t: string) => string): EngineError {
  if (e instanceof ScriptAbort) return new EngineError(EXIT_CODES.scriptAborted, e.message, { cause: e });
  return new EngineError(EXIT_CODES.scriptException, mapText(errorText(e)), { cause: e, fields: SCRIPT_EXCEPTION_FIELDS });
}

/** JSON round trip of the script's `options`, as k6 does (functions and undefined vanish). */
/** A function anywhere in the value (own enumerable properties of objects and arrays). */
function holdsFunction(v: unknown, seen = new Set<object>()): boolean {
  if (typeof v === 'function') return true;
  if (v === null || typeof v !== 'object' || seen.has(v)) return false;
  seen.add(v);
  return Object.values(v).some((x) => holdsFunction(x, seen));
}

function jsonRoundTrip(v: unknown, loadErrorPrefix: string): unknown {
  if (v === undefined) return undefined;
  // k6 json.Marshal()s the exported options, which fails on a function (JSON.stringify drops it);
  // bundle.go attaches no exit code to that, test_load.go its load prefix.
  if (holdsFunction(v)) throw new EngineError(EXIT_CODES.noExitCode, `${loadErrorPrefix}error parsing script options: json: unsupported type: func(sobek.FunctionCall) sobek.Value`);
  try {
    return JSON.parse(JSON.stringify(v) ?? 'null') as unknown;
  } catch (e) {
    throw new EngineError(EXIT_CODES.invalidConfig, `options could not be serialised: ${(e as Error).message}`);
  }
}

export async function loadTestState(input: ScriptInput, flags: RunFlags, io: EngineIo): Promise<LoadedTestState> {
  // VU 0's init may leave a rejected promise behind: capture while loading, log once the engine log
  // exists. The run captures again while it lives (a loaded test may never be started).
  const target: { log?: LogSink } = {};
  const releaseRejections = captureUnhandledRejections({
    write: (level, msg, fields) => (target.log ?? new EngineLog(io.log ?? io.stderr, { colors: (io.log ?? io.stderr).isTTY, format: flags.logFormat ?? 'text', ...(io.logEntries === undefined ? {} : { entries: io.logEntries }) })).write(level, msg, fields),
  });
  try {
    return await loadUnguarded(input, flags, io, target);
  } finally {
    // Rejections of VU 0's init surface at the latest one macrotask after it settled.
    setImmediate(releaseRejections);
  }
}

/**
 * The runtime options k6 also takes from the environment when no flag gave them: K6_SUMMARY_EXPORT,
 * K6_OUT (outputs separated by commas, as k6's envconfig splits it) and K6_WEB_DASHBOARD.
 */
function withEnvOutputs(given: RunFlags, env: Readonly<Record<string, string>>, file: ConfigFileRead): RunFlags {
  const flags: RunFlags = { ...given };
  const exportFile = env.K6_SUMMARY_EXPORT;
  if (flags.summaryExport === undefined && exportFile !== undefined && exportFile !== '') flags.summaryExport = exportFile;
  const envOut = env.K6_OUT;
  // k6 Config.Apply: the flags' outputs, else K6_OUT's, else the config file's `out`.
  const out = envOut !== undefined && envOut !== '' ? envOut.split(',') : file.out;
  const from = envOut !== undefined && envOut !== '' ? 'K6_OUT' : 'the config file';
  if (flags.jsonOut === undefined && flags.csvOut === undefined && flags.networkOuts === undefined && flags.webDashboard === undefined && out !== undefined) {
    const network: NetworkOutputSpec[] = [];
    for (const item of out) {
      const eq = item.indexOf('=');
      const kind = eq < 0 ? item : item.slice(0, eq);
      const target = eq < 0 ? '' : item.slice(eq + 1);
      if (kind === 'json') flags.jsonOut = target === '' ? '-' : target;
      else if (kind === 'csv') flags.csvOut = target;
      else if (kind === 'web-dashboard') flags.webDashboard = target;
      else if (isNetworkOutput(kind)) network.push({ kind, arg: target });
      else throw new EngineError(EXIT_CODES.invalidConfig, `unsupported output "${item}" in ${from}: ${OUTPUTS_AVAILABLE}`);
    }
    if (network.length > 0) flags.networkOuts = network;
  }
  // k6 createOutputs adds the dashboard when Config.WebDashboard (config file < K6_WEB_DASHBOARD) is
  // true; an `--out web-dashboard=…` already there keeps its options (one dashboard, not two).
  checkCommandEnvBools(env);
  if (flags.webDashboard === undefined && webDashboardEnabled(env, file.source?.content)) flags.webDashboard = '';
  return flags;
}

/** k6 Config.WebDashboard: K6_WEB_DASHBOARD (env-null-bool.ts), else the config file's `webDashboard`. */
function webDashboardEnabled(env: Readonly<Record<string, string>>, content: unknown): boolean {
  const v = envNullBool(env, 'K6_WEB_DASHBOARD', 'WebDashboard');
  if (v !== undefined) return v;
  return content !== null && typeof content === 'object' && (content as { webDashboard?: unknown }).webDashboard === true;
}

async function loadUnguarded(
  input: ScriptInput, givenFlags: RunFlags, io: EngineIo, rejections: { log?: LogSink },
): Promise<LoadedTestState> {
  const configFile = await readConfigFile(givenFlags.config, io);
  const flags = withEnvOutputs(givenFlags, io.env, configFile);
  // k6 resolves them once the runtime options (-e) are known, before the script's init.
  const features = resolveFeatures({
    ...(flags.features !== undefined ? { cli: flags.features } : {}),
    env: { ...io.env, ...(flags.env ?? {}) },
    ...(configFile.source !== undefined ? { json: configFileFeatures(configFile.source.content) } : {}),
  });
  // k6 creates its secret sources with its loggers, before anything else.
  const secrets = await loadSecretSources(flags.secretSources ?? [], io.cwd, (p) => io.readFile(p));
  const redactor = new SecretRedactor();
  let csv: CsvOutputConfig | undefined;
  try {
    const content = configFile.source?.content as { collectors?: { csv?: unknown } } | null | undefined;
    csv = flags.csvOut === undefined ? undefined : parseCsvArgument(flags.csvOut, io.env, content?.collectors?.csv);
  } catch (e) {
    throw new EngineError(EXIT_CODES.noExitCode, `could not create the 'csv' output: ${(e as Error).message}`);
  }
  const scriptName = 'path' in input ? input.path : input.name;
  const runtime = scriptRuntimeOptions(flags, io.env, scriptName);
  // k6 opens it before reading the script (test_load.go prepareFirstRunner).
  const keyLog = await openKeyLog(io, scriptName, 'path' in input ? path.resolve(io.cwd, input.path) : undefined);
  const globalAlias = runtime.compatibilityMode === 'extended';
  const freezeEnv = features.activated.includes('freeze-env');
  // The log is there before the script is read: k6 warns about the runtime options (a deprecated
  // compatibility mode) before it loads the test, so the warning comes first and also when the test
  // then fails to load. Stack positions are mapped once the script is compiled.
  let mapText: (text: string) => string = (text) => text;
  const noColor = noColorFrom(flags, io.env);
  const logOut = io.log ?? io.stderr;
  const log = new EngineLog(logOut, {
    minLevel: stricterLevel(flags.verbose === true ? 'debug' : 'info', flags.logLevel),
    colors: logOut.isTTY && !noColor,
    format: flags.logFormat ?? 'text',
    mapText: (text) => mapText(text),
    secrets: redactor,
    ...(io.logEntries === undefined ? {} : { entries: io.logEntries }),
  });
  for (const w of runtime.warnings) log.write('warn', w);
  let compiled: CompiledScript;
  try {
    compiled = await compileScript(input, { cwd: io.cwd, readFile: (p) => io.readFile(p) }, runtime.testType);
  } catch (e) {
    if (e instanceof CompileError) throw new EngineError(e.exitCode, e.message, { cause: e, ...(e.fields === undefined ? {} : { fields: e.fields }) });
    throw e;
  }
  mapText = stackMapper(compiled);
  rejections.log = log;
  if (keyLog !== undefined) log.write('warn', keyLog.warning.msg, keyLog.warning.fields);
  for (const line of features.log) log.write(line.level, line.msg, line.fields);
  // k6 NewBundleFromArchive: the run's environment (system variables, then -e) over the archive's.
  const env: Record<string, string> = {
    ...(compiled.archive?.env ?? {}),
    ...(flags.includeSystemEnvVars === true ? io.env : {}),
    ...(flags.env ?? {}),
  };
  // k6 propagateFeatureEnv: the script sees the active features, and no K6_FEATURES when there are none.
  if (features.activated.length > 0) env.K6_FEATURES = features.activated.join(',');
  else delete env.K6_FEATURES;
  const registry = new MetricRegistry();
  const mainSamples = new MetricsAggregator(registry);
  const points = new PointOutputs(io, log);
  const collectors = (configFile.source?.content as { collectors?: Record<string, unknown> } | null | undefined)?.collectors;
  const sampleOutputs: SampleOutput[] = [];
  for (const spec of flags.networkOuts ?? []) {
    try {
      sampleOutputs.push(await createNetworkOutput(spec, {
        env: io.env, json: collectors?.[spec.kind], log, cwd: io.cwd, readFile: (p) => io.readFile(p), features: features.activated,
      }));
    } catch (e) {
      throw new EngineError(EXIT_CODES.noExitCode, `could not create the '${spec.kind}' output: ${(e as Error).message}`);
    }
  }
  // The JSON output describes thresholds in its Metric lines; they are known only after consolidation.
  let jsonMeta: JsonMetricDescriptions = { submetrics: [] };
  // The CSV output is made from the same sample points.
  const mainJson = flags.jsonOut === undefined && csv === undefined && sampleOutputs.length === 0 ? undefined : new JsonOutput({
    write: (chunk) => points.push(chunk),
    metrics: registry,
    next: mainSamples,
    get thresholds() { return jsonMeta.thresholds; },
    get submetrics() { return jsonMeta.submetrics; },
  });
  const mainSink: SampleSink = mainJson ?? mainSamples;
  const serviceStop = stopFlagOf(newStopBuffer());
  let testOptions: unknown = {};
  const instance = new InstanceCounters();
  const rateBuffer = RequestRateLimit.newBuffer();
  const facts = newFacts(() => testOptions, instance);
  const mainScript = new MainScript({
    compiled,
    readFile: (p) => io.readFile(p),
    env,
    samples: mainSink,
    metrics: registry,
    log,
    execution: facts,
    stop: serviceStop,
    rateBuffer,
    secrets: new SecretStore(secrets, (value) => redactor.add(value)),
    globalAlias,
    freezeEnv,
    ...(keyLog !== undefined ? { keyLog: (line: Buffer) => keyLog.write(line.toString('latin1')) } : {}),
  });

  let optionsVu;
  try {
    optionsVu = await mainScript.initOptionsVu();
  } catch (e) {
    throw scriptException(e, mapText);
  }
  const ns = optionsVu.exports;
  // VU 0 only tells the options and exports; its modules' resources (HTTP clients) go now.
  await optionsVu.close();
  const exportedFunctions = Object.keys(ns).filter((k) => typeof ns[k] === 'function');
  // k6 (internal/js/bundle.go populateExports) attaches no exit code to these: 255; test_load.go puts
  // the test's name and URL before them. A handleSummary that is not a function is only found at the
  // end (the summary fails, the run does not).
  for (const name of ['setup', 'teardown'] as const) {
    if (ns[name] !== undefined && typeof ns[name] !== 'function') {
      throw new EngineError(EXIT_CODES.noExitCode, `${compiled.loadErrorPrefix}exported '${name}' must be a function`);
    }
  }
  const scriptOptions = compiled.archive !== undefined ? compiled.archive.options : jsonRoundTrip(ns.options, compiled.loadErrorPrefix);
  if (exportedFunctions.length === 0) {
    // k6 populateExports decodes the script's options before it looks for a function: options it
    // cannot decode (a wrong type, a scenario without an executor) fail first, with 104.
    const decoding = scriptDecodingProblems(scriptOptions);
    if (decoding.length > 0) throw new EngineError(EXIT_CODES.invalidConfig, new OptionsError(decoding).message);
    throw new EngineError(EXIT_CODES.noExitCode, `${compiled.loadErrorPrefix}no exported functions in script`);
  }

  // k6 warnOnScriptOptionsFeatures: a script's `features` is decoded but never used.
  const scriptFeatures = (scriptOptions as { features?: unknown } | null | undefined)?.features;
  if (Array.isArray(scriptFeatures) && scriptFeatures.length > 0) {
    log.write('warn', 'Feature flags in script options are not supported; use --features, K6_FEATURES, or the JSON config', { source: 'options' });
  }
  if (configFile.error !== undefined) throw configFile.error;
  let consolidated;
  try {
    consolidated = consolidateOptions({
      ...(configFile.source === undefined ? {} : { file: configFile.source }),
      script: scriptOptions,
      scriptSource: compiled.archive !== undefined ? 'archive' : 'script',
      env: io.env,
      cli: flags,
      settings: { mergeRunTags: features.mergeRunTags },
    });
  } catch (e) {
    if (!(e instanceof OptionsError)) throw e;
    // Every problem at once: the thresholds as written are checked too, though consolidation failed.
    const raw = (scriptOptions as { thresholds?: unknown } | undefined)?.thresholds;
    const more = flags.noThresholds === true || raw === undefined ? [] : parseThresholds(raw, (name) => registry.get(name)).errors;
    const all = new OptionsError([...e.problems, ...more], e.uncoded, e.validation);
    throw new EngineError(all.exitCode, all.message, { cause: e });
  }
  const execProblems = checkScenarioExecs(consolidated.scenarios, exportedFunctions);
  const problems = [...execProblems];
  const options = consolidated.options;
  jsonMeta = jsonMetricDescriptions(options, runtime.summaryMode !== 'disabled');
  let thresholds: ThresholdDefinition[] = [];
  const warnings = [...consolidated.warnings];
  const thresholdWarnings: string[] = [];
  if (options.noThresholds !== true) {
    const parsed = parseThresholds(options.thresholds, (name) => registry.get(name));
    problems.push(...parsed.errors);
    thresholds = parsed.thresholds;
    // k6's metrics engine warns about thresholds on the non-indexable vu/iter tags.
    thresholdWarnings.push(...parsed.warnings);
  }
  if (problems.length > 0) {
    const all = new OptionsError(problems, [], execProblems);
    throw new EngineError(all.exitCode, all.message);
  }

  if (options.consoleOutput !== undefined && io.openAppend !== undefined) {
    // k6 Runner.SetOptions opens it (append, create) once the options are known: VU 0's init above
    // still logged to the log; every later VU's console writes to the file.
    try {
      log.redirectConsole(await io.openAppend(path.resolve(io.cwd, options.consoleOutput)));
    } catch (e) {
      throw new EngineError(EXIT_CODES.noExitCode, `open ${options.consoleOutput}: ${goErrnoText(e)}`);
    }
  }
  const plan = buildExecutionPlan(consolidated.scenarios, consolidated.tuple);
  testOptions = consolidated.testOptions;
  const runTags = runTagsWithFeatures(options.tags, features.activated);
  mainScript.configure(options as unknown as Record<string, unknown>, runTags);
  return {
    compiled,
    io,
    flags,
    options,
    scriptOptions,
    scenarios: consolidated.scenarios,
    testOptions: consolidated.testOptions,
    plan,
    warnings,
    thresholdWarnings,
    env,
    thresholds,
    runTags,
    keyLog,
    registry,
    mainSamples,
    mainSink,
    points,
    mainJson,
    csv,
    sampleOutputs,
    mainScript,
    log,
    exports: new Set(exportedFunctions),
    // k6 (runner.go runUserProvidedHandleSummaryCallback): an export of that name that is not a
    // function, even one holding undefined, fails the summary.
    handleSummaryNotAFunction: Object.keys(ns).includes('handleSummary') && typeof ns.handleSummary !== 'function',
    workers: workerCount(flags.workers ?? availableParallelism(), plan.maxVUs, consolidated.scenarios, consolidated.tuple),
    mapText,
    serviceStop,
    facts,
    instance,
    rateBuffer,
    summaryMode: runtime.summaryMode,
    noColor,
    secrets,
    redactor,
    globalAlias,
    freezeEnv,
    compatibilityMode: runtime.compatibilityMode,
  };
}
