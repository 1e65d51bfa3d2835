// `stampede run script.js`: k6 run's flags, banner, live progress, summary and exit code, over the
// engine's public entry. The first SIGINT stops gracefully (teardown and summary still run); a
// second one exits at once with 105, as k6 does. `--address` serves k6's REST API while the run lives
// (its code is loaded only then); `--linger` keeps it answering after teardown until Ctrl+C.
import type { Command } from 'commander';
import type { RestApiServer } from './rest-api-server.ts';
import type { WebDashboard } from './web-dashboard/web-dashboard.ts';
import { EngineError, envNullBool, EXIT_CODES, isNetworkOutput, loadTest, logLine, OUTPUTS_AVAILABLE, warningLogEntry, type EngineIo, type NetworkOutputSpec, type LoadedTest, type RunFlags, type RunningTest, type RunResult } from '../engine/index.ts';
import { addOptionFlags, collect, envBool, optionFlagsFrom, type OptionFlagValues } from './option-flags.ts';
import { processIo } from './process-io.ts';
import { secretSourceFlags } from './secret-source-flag.ts';
import { configFileFlag } from './config-file-path.ts';
import { openLogSetup, writeLog, type LogSetup } from './log-output.ts';
import { withExamples } from './help-examples.ts';
import { progressBlock, runStatsLine, scenarioBars } from './progress-bars.ts';
import { BANNER, executionDescription } from './execution-description.ts';

/** run's own flags and k6's global ones (global-flags.ts: -q, -v, -a, -c, --no-color, … anywhere). */
export interface RunCliOptions extends OptionFlagValues {
  summaryExport?: string;
  out: string[];
  workers?: string;
  summary: boolean;
  summaryMode?: string;
  linger?: boolean;
  tracesOutput?: string;
  newMachineReadableSummary?: boolean;
  /** Undefined unless given: an empty `--features ""` still wins over K6_FEATURES (k6 `Changed`). */
  features?: string[];
}


export function registerRunCommand(program: Command): void {
  const run = program
    .command('run')
    .description('Run a k6 test script (JavaScript, TypeScript or a k6 archive) locally, like `k6 run`')
    .argument('<script>', 'script file (.js, .ts) or k6 archive (.tar); - reads it from stdin');
  addOptionFlags(run)
    .option('--summary-export <file>', 'write the end-of-test summary as JSON (k6 legacy format)')
    .option('-o, --out <output>', 'metrics output: json=FILE, csv=FILE, web-dashboard[=OPTS], influxdb=URL, xk6-influxdb=URL, experimental-prometheus-rw, opentelemetry (repeatable)', collect, [])
    .option('--workers <n>', 'worker threads to spread VUs over (default: one per core)')
    .option('--no-summary', "don't show the end-of-test summary (nor run handleSummary)")
    .option('--summary-mode <mode>', 'end-of-test summary: compact (default), full or disabled')
    .option('-l, --linger', 'keep the API server alive past test end (also K6_LINGER)')
    .option('--no-usage-report', "accepted as k6's flag (also K6_NO_USAGE_REPORT): Stampede never sends usage reports")
    .option('--traces-output <output>', 'traces output: none (default); otel is not supported (Stampede exports no traces)')
    .option('--features <names>', 'enable feature flags, comma-separated (repeatable; also K6_FEATURES), e.g. merge-run-tags', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--new-machine-readable-summary', "handleSummary() and --summary-export get k6's new machine-readable summary (also K6_NEW_MACHINE_READABLE_SUMMARY)")
    .action(async (script: string, _opts: unknown, cmd: Command) => {
      process.exitCode = await runCommand(script, cmd.optsWithGlobals<RunCliOptions>());
      // Keep-alive sockets of service VUs must not hold the process open after the summary.
      process.exit(process.exitCode);
    });
  // k6 run's examples (internal/cmd/run.go), with the outputs Stampede has.
  withExamples(run, [
    ['Run a single VU, once.', 'stampede run script.js'],
    ['Run a single VU, 10 times.', 'stampede run -i 10 script.js'],
    ['Run 5 VUs, splitting 10 iterations between them.', 'stampede run -u 5 -i 10 script.js'],
    ['Run 5 VUs for 10s.', 'stampede run -u 5 -d 10s script.js'],
    ['Ramp VUs from 0 to 100 over 10s, stay there for 60s, then 10s down to 0.', 'stampede run -u 0 -s 10s:100 -s 60s:100 -s 10s:0 script.js'],
    ['Write every metric sample to a JSON file.', 'stampede run -o json=results.json script.js'],
    ['Show the web dashboard while the test runs and save its HTML report.', 'K6_WEB_DASHBOARD=true K6_WEB_DASHBOARD_EXPORT=report.html stampede run script.js'],
    ['Read the script from stdin, quietly (global flags may also come before the command).', 'stampede -q run - < script.js'],
  ]);
}

function toFlags(o: RunCliOptions, io: EngineIo, log: LogSetup): RunFlags {
  const flags: RunFlags = { ...optionFlagsFrom(o, io.env, false), ...secretSourceFlags(o, io.env) };
  const config = configFileFlag(o.config, io.env);
  if (config !== undefined) flags.config = config;
  flags.logFormat = log.format;
  if (log.level !== undefined) flags.logLevel = log.level;
  if (o.summaryExport !== undefined) flags.summaryExport = o.summaryExport;
  if (o.workers !== undefined) {
    const n = Number(o.workers);
    if (!Number.isInteger(n) || n < 1) throw new EngineError(EXIT_CODES.noExitCode, `invalid --workers "${o.workers}": expected a positive integer`);
    flags.workers = n;
  }
  if (!o.summary) flags.noSummary = true;
  if (o.verbose === true) flags.verbose = true;
  if (o.summaryMode !== undefined) flags.summaryMode = o.summaryMode;
  if (o.features !== undefined) flags.features = o.features;
  if (!o.color) flags.noColor = true;
  const network: NetworkOutputSpec[] = [];
  for (const out of o.out) {
    const [kind, target] = splitOnce(out, '=');
    if (kind === 'csv') {
      flags.csvOut = target;
      continue;
    }
    if (kind === 'web-dashboard') {
      flags.webDashboard = target;
      continue;
    }
    if (isNetworkOutput(kind)) {
      network.push({ kind, arg: target });
      continue;
    }
    if (kind !== 'json') {
      // k6's createOutputs fails without an exit code (255).
      throw new EngineError(EXIT_CODES.noExitCode, `unsupported output "${out}": ${OUTPUTS_AVAILABLE}`);
    }
    // `-o json` and `-o json=-` write to stdout, as in k6.
    flags.jsonOut = target === '' ? '-' : target;
  }
  if (network.length > 0) flags.networkOuts = network;
  return flags;
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** The banner's output line, as k6's outputs describe themselves ("json(stdout), csv (file.csv)"). */
function outputsLine(flags: LoadedTest['outputs']): string {
  const described = (kind: string, file: string): string => `${kind} (${file === '' || file === '-' ? 'stdout' : file})`;
  const out: string[] = [];
  // k6's json output writes "json(stdout)" without the space its other descriptions have.
  if (flags.jsonOut !== undefined) out.push(flags.jsonOut === '' || flags.jsonOut === '-' ? 'json(stdout)' : described('json', flags.jsonOut));
  if (flags.csvOut !== undefined) {
    const arg = flags.csvOut;
    const named = arg.includes('=') ? /(?:^|,)fileName=([^,]*)/.exec(arg)?.[1] ?? 'file.csv' : arg === '' ? 'file.csv' : arg;
    out.push(described('csv', named));
  }
  for (const d of flags.network ?? []) out.push(d);
  return out.length === 0 ? '-' : out.join(', ');
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

/** The execution description k6 prints after its logo, once the outputs are started. */
function description(script: string, test: LoadedTest, attached: string | undefined, dashboard: WebDashboard | undefined): string {
  const outputs = outputsLine(test.outputs);
  return `${executionDescription({
    execution: `local (${test.workers} worker thread${test.workers === 1 ? '' : 's'})`,
    script,
    output: attached === undefined ? outputs : outputs === '-' ? attached : `${outputs}, ${attached}`,
    ...(dashboard === undefined ? {} : { webDashboard: dashboard.description }),
    plan: test.plan,
  })}`;
}

/** What the signal handler acts on: the run once it exists, and the --linger wait once it began. */
interface SignalTarget {
  running?: RunningTest;
  /** Ends the --linger wait (the first Ctrl+C after the test). */
  endLinger?: () => void;
  signals: number;
  /** Go's name of the signal that stopped the run ("interrupt", "terminated"): k6 ends with that error. */
  stoppedBy?: string;
  /** Ends the web dashboard's wait for open pages after the test; whether it was waiting. */
  releaseDashboard?: () => boolean;
}

/** os.Signal's String() in Go, which k6's messages print. */
const GO_SIGNAL_NAMES: Readonly<Record<string, string>> = { SIGINT: 'interrupt', SIGTERM: 'terminated' };

/**
 * What a run reports to besides the terminal (`cloud run --local-execution`: the server), set up once
 * the test is loaded and before its banner, as k6 creates its cloud test run.
 */
export interface RunAttachment {
  /** The banner's output line ("cloud (URL)"). */
  readonly output: string;
  /** Variables the VUs' __ENV gets (K6_CLOUDRUN_TEST_RUN_ID). */
  readonly env?: Readonly<Record<string, string>>;
  /** The run has started. */
  attach(running: RunningTest): void;
  /** The run has ended (summary written): last pushes and the end notification. `signal`: Go's name of the signal that stopped it. */
  finish(result: RunResult, signal: string | undefined): Promise<void>;
}

export type RunLogFn = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, string>) => void;

export interface RunExtras {
  /** The process's io unless given (tests; the cloud log hook). */
  io?: EngineIo;
  /** The script for `-`; the process's stdin unless given. */
  readStdin?: () => Promise<Uint8Array>;
  /** Throws EngineError (its exit code) or Error (255) when the run cannot be set up. */
  prepare?(script: string, test: LoadedTest, io: EngineIo, log: RunLogFn): Promise<RunAttachment>;
}

export async function runCommand(script: string, o: RunCliOptions, extras: RunExtras = {}): Promise<number> {
  const io = extras.io ?? processIo();
  // Before the run exists a signal ends the process at once; afterwards the first one stops gracefully,
  // or, once the test is done and lingers, lets it go on to the summary.
  const target: SignalTarget = { signals: 0 };
  const onSignal = (signal: NodeJS.Signals): void => {
    const sig = GO_SIGNAL_NAMES[signal] ?? signal;
    // After the test, the dashboard waits for its open pages to disconnect: Ctrl+C ends that wait only.
    if (target.releaseDashboard?.() === true) return;
    target.signals++;
    if (target.signals === 1 && target.endLinger !== undefined) {
      target.endLinger();
    } else if (target.signals === 1 && target.running !== undefined) {
      target.stoppedBy = sig;
      target.running.abort('user', `Stopping the test in response to the '${sig}' signal; teardown and the summary still run (press Ctrl+C again to exit at once)`);
    } else {
      // k6 run.go: a second signal is a hard stop, logged as such; one before the run is its error.
      const msg = target.signals === 1 ? `test run was aborted because k6 received a '${sig}' signal` : 'Aborting k6 in response to signal';
      io.stderr.write(logLine('error', msg, io.stderr.isTTY, target.signals === 1 ? undefined : { sig }));
      process.exit(EXIT_CODES.externalAbort);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await runLoaded(script, o, io, target, extras);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** --linger, else K6_LINGER (k6's config envconfig, a null.Bool: "true", "false", "" or "null", else 104). */
function lingerOf(o: RunCliOptions, env: Readonly<Record<string, string>>): boolean {
  if (o.linger === true) return true;
  return envNullBool(env, 'K6_LINGER', 'Linger') ?? false;
}

/**
 * Starts k6's REST API when an address is set (--address, else K6_ADDRESS). A port that cannot be
 * bound ends the command with 106 when --address asked for it, and is only a warning when the address
 * came from the environment (k6's `Changed` check).
 */
async function startApi(o: RunCliOptions, io: EngineIo, log: LogSetup, colors: boolean): Promise<RestApiServer | number | undefined> {
  const address = o.address ?? io.env.K6_ADDRESS ?? '';
  // K6_PROFILING_ENABLED counts when set at all (k6 cmd/state getFlags).
  const profilingEnabled = o.profilingEnabled === true || io.env.K6_PROFILING_ENABLED !== undefined;
  if (profilingEnabled && address === '') {
    writeLog(log, 'warn', 'Profiling is enabled but no REST API server is running — profiling endpoints won\'t be reachable until you enable the REST API server via --address (or K6_ADDRESS)', colors);
  }
  if (address === '') return undefined;
  if (o.verbose === true) writeLog(log, 'debug', `Starting the REST API server on ${address}`, colors);
  const { startRestApi, RestApiListenError } = await import('./rest-api-server.ts');
  try {
    return await startRestApi(address, {
      profilingEnabled,
      log: (level, msg, fields) => {
        if (level !== 'debug' || o.verbose === true) writeLog(log, level, msg, colors, fields);
      },
    });
  } catch (e) {
    if (!(e instanceof RestApiListenError)) throw e;
    if (o.address === undefined) {
      writeLog(log, 'warn', 'Error from API server', colors, { error: e.message });
      return undefined;
    }
    writeLog(log, 'error', 'Error from API server', colors, { error: e.message });
    return EXIT_CODES.cannotStartRestApi;
  }
}

/** k6 run.go setupTracerProvider: "none", or an OpenTelemetry exporter Stampede does not have. */
function checkTracesOutput(o: RunCliOptions, env: Readonly<Record<string, string>>): void {
  const line = o.tracesOutput ?? env.K6_TRACES_OUTPUT ?? 'none';
  if (line === 'none') return;
  const kind = splitOnce(line, '=')[0];
  if (kind === 'otel') throw new EngineError(EXIT_CODES.noExitCode, `unsupported traces output "${line}": Stampede does not export traces (use --traces-output=none)`);
  throw new EngineError(EXIT_CODES.noExitCode, `invalid traces output ${JSON.stringify(kind)}`);
}

async function runLoaded(script: string, o: RunCliOptions, given: EngineIo, target: SignalTarget, extras: RunExtras): Promise<number> {
  const log = openLogSetup(o, given);
  if (typeof log === 'number') return log;
  const io: EngineIo = { ...given, log: log.out };
  const colors = !(o.color === false || (io.env.K6_NO_COLOR ?? '') !== '' || io.env.NO_COLOR !== undefined);
  const logWarnings = (warnings: readonly string[]): void => {
    for (const w of warnings) {
      const entry = warningLogEntry(w);
      writeLog(log, 'warn', entry.msg, colors, entry.fields);
    }
  };
  let flags: RunFlags;
  let test: LoadedTest;
  let linger: boolean;
  try {
    flags = toFlags(o, io, log);
    linger = lingerOf(o, io.env);
    // The flag wins; the variable counts only when it is a Go boolean (k6 saveBoolFromEnv).
    const envSummary = envBool(io.env, 'K6_NEW_MACHINE_READABLE_SUMMARY');
    if (o.newMachineReadableSummary === true || envSummary === true) flags.newMachineReadableSummary = true;
    // `-` reads the script (or archive) from stdin, as `k6 run -` does.
    test = await loadTest(script === '-' ? { name: 'stdin', data: await (extras.readStdin ?? readStdin)() } : { path: script }, flags, io);
  } catch (e) {
    if (e instanceof EngineError) {
      writeLog(log, 'error', e.message, colors, e.fields);
      return e.exitCode;
    }
    throw e;
  }
  // k6 logs the options' warnings as it loads the test (loadConfiguredTest), before its logo.
  logWarnings(test.warnings);
  let attachment: RunAttachment | undefined;
  if (extras.prepare !== undefined) {
    try {
      attachment = await extras.prepare(script, test, io, (level, msg, fields) => writeLog(log, level, msg, colors, fields));
    } catch (e) {
      writeLog(log, 'error', (e as Error).message, colors, e instanceof EngineError ? e.fields : undefined);
      return e instanceof EngineError ? e.exitCode : EXIT_CODES.noExitCode;
    }
  }
  // k6's cmd/run.go: the logo (printBanner), then the metrics engine's threshold warnings, the
  // outputs created and started (the dashboard's server among them), then the execution description.
  if (o.quiet !== true) io.stdout.write(`${BANNER}\n`);
  logWarnings(test.thresholdWarnings);
  let dashboard: WebDashboard | undefined;
  if (test.outputs.webDashboard !== undefined) {
    try {
      const { startWebDashboard } = await import('./web-dashboard/web-dashboard.ts');
      dashboard = await startWebDashboard(test.outputs.webDashboard, script, test, io, (msg, fields) => writeLog(log, 'warn', msg, colors, fields));
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      writeLog(log, 'error', e.message, colors);
      return e.exitCode;
    }
  }
  // k6 names the script as its argument was written (cmd/run.go passes args[0]): `./dist/x.js`, an absolute path.
  if (o.quiet !== true) io.stdout.write(description(script, test, attachment?.output, dashboard));
  try {
    checkTracesOutput(o, io.env);
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    writeLog(log, 'error', e.message, colors);
    return e.exitCode;
  }
  const api = await startApi(o, io, log, colors);
  if (typeof api === 'number') return api;
  let draw: (final: boolean) => void = () => undefined;
  // k6's output manager logs a failed Stop with the output's index among the run's outputs.
  const dashboardIndex = (test.outputs.jsonOut === undefined ? 0 : 1) + (test.outputs.csvOut === undefined ? 0 : 1) + (test.outputs.network?.length ?? 0);
  let dashboardStopped = false;
  const stopDashboard = async (): Promise<void> => {
    if (dashboard === undefined || dashboardStopped) return;
    dashboardStopped = true;
    const failure = await dashboard.stop(running.control.snapshot().stopped);
    if (failure !== undefined) writeLog(log, 'error', `Stopping output ${dashboardIndex} failed`, colors, { error: failure });
  };
  const running = test.start({
    onPhase(phase) {
      if (phase === 'teardown' || phase === 'summary' || phase === 'done') draw(true);
    },
    // k6 run.go: after teardown, --linger waits for Ctrl+C (unless one came already) before the summary;
    // then the outputs stop (the dashboard's stop event and export) before the summary too.
    ...(linger || dashboard !== undefined ? {
      afterTeardown: async () => {
        if (linger) await lingerUntilSignal(o, io, target);
        await stopDashboard();
      },
    } : {}),
    ...(attachment?.env !== undefined && { env: attachment.env }),
  });
  // No await since start(): no request is answered before the server knows the run.
  api?.attach(running.control);
  dashboard?.attach(running);
  if (dashboard !== undefined) target.releaseDashboard = () => dashboard?.release() ?? false;
  target.running = running;
  attachment?.attach(running);

  let drawn = 0;
  let finalDrawn = false;
  const color = io.stdout.isTTY && colors;
  draw = (final: boolean): void => {
    if (o.quiet === true || finalDrawn) return;
    const p = running.progress();
    if (p.phase === 'init' || p.phase === 'setup' || (p.phase !== 'running' && !final)) return;
    if (final) finalDrawn = true;
    // k6 (showProgress): redrawn in place on a terminal (k6 every 100 ms, here every 250 ms), else printed every second.
    const lines = progressBlock(runStatsLine(p, test.plan.maxVUs), scenarioBars(p, test.plan.scenarios, final), {
      termWidth: io.stdout.isTTY ? io.stdout.columns || 80 : undefined,
      color,
    });
    if (io.stdout.isTTY) {
      const up = drawn > 0 ? `\x1b[${drawn}A` : '';
      io.stdout.write(`${up}${lines.map((l) => `\x1b[2K${l}`).join('\n')}\n`);
      drawn = lines.length;
    } else {
      io.stdout.write(`${lines.join('\n')}\n`);
    }
  };
  const timer = o.quiet === true ? undefined : setInterval(() => draw(false), io.stdout.isTTY ? 250 : 1000);
  const result = await running.result.finally(() => {
    if (timer !== undefined) clearInterval(timer);
  });
  await api?.close();
  // Only when the run ended before teardown's hook (an output file that could not be opened).
  await stopDashboard();
  await attachment?.finish(result, target.stoppedBy);
  // k6's run returns the signal's abort error, which its root command logs last.
  if (target.stoppedBy !== undefined && result.abortReason === 'user') {
    writeLog(log, 'error', `test run was aborted because k6 received a '${target.stoppedBy}' signal`, colors);
  }
  return result.exitCode;
}

function lingerUntilSignal(o: RunCliOptions, io: EngineIo, target: SignalTarget): Promise<void> {
  if (target.signals > 0) return Promise.resolve();
  if (o.quiet !== true) io.stdout.write('The test is done, but --linger was enabled, so k6 is waiting for Ctrl+C to continue...\n');
  return new Promise((resolve) => {
    target.endLinger = resolve;
  });
}
