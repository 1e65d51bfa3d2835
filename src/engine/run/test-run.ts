// The run of a loaded test (k6-semantics §1 from "init VUs" on): worker threads init their VUs →
// setup() once in a service VU → executors in the workers → teardown(data), also after an abort →
// final thresholds → handleSummary(data) → the exit code.
//
// The main thread merges every worker's per-second batches (RunMetrics), emits vus/vus_max every
// second from the start of the VUs' init (k6's scheduler ticker), evaluates thresholds every 2 s, and owns every stop: a graceful one tells the workers to stop
// (their executors interrupt iterations), a hard one raises the shared stop flag that VUs stuck in
// loops read, and a worker that still does not finish is terminated, keeping the metrics received.
import { SetupDataJsonError, setupDataJson } from './setup-data-json.ts';
import { errorText } from '../vu/error-text.ts';
import type { ExecutorProgress } from '../executors/executor-context.ts';
import { goFixed } from '../executors/progress-format.ts';
import type { MetricsBatch } from '../metrics/metrics-batch.ts';
import { RunMetrics, SUMMARY_SERIES_TAGS } from '../metrics/run-metrics.ts';
import { CardinalityWarning } from '../metrics/cardinality-warning.ts';
import { buildRootGroup, buildSummaryData, checkTotals, type SummaryData } from '../summary/summary-data.ts';
import { buildSummaryBreakdown } from '../summary/summary-breakdown.ts';
import { buildLiveMetrics } from '../summary/live-metrics.ts';
import { ThresholdEvaluator, type ThresholdResult } from '../thresholds/evaluate-thresholds.ts';
import { ScriptAbort, VuInterrupt } from '../vu/interrupt.ts';
import type { Vu } from '../vu/vu.ts';
import { ABORT_REASONS, EXIT_CODES, exitCodeForAbort, SCRIPT_EXCEPTION_FIELDS, type AbortReason } from './exit-codes.ts';
import { writeSummaryOutputs } from './summary-outputs.ts';
import { captureUnhandledRejections } from './unhandled-rejections.ts';
import type { LoadedTestState } from './load-test.ts';
import { WorkerFleet } from './worker-fleet.ts';
import { everySecondBoundary } from './second-boundary-timer.ts';
import { everySecondFrom, type SecondTicker } from './second-ticker.ts';
import { RunControlError, type ExecutionStatus, type RunControl } from './run-control.ts';

const THRESHOLD_INTERVAL_MS = 2000;
/** k6's error for a run stopped with PATCH /v1/status `stopped: true`. */
const STOPPED_FROM_REST_API = 'test run stopped from REST API';
/** Past the plan's end (graceful windows included), workers are stopped as if aborted. */
const WATCHDOG_SLACK_MS = 2000;


export interface ScenarioProgress extends ExecutorProgress {
  readonly name: string;
}

export interface RunProgress {
  readonly phase: 'init' | 'setup' | 'running' | 'teardown' | 'summary' | 'done';
  /** k6's test run duration: ms since the run started, setup() included (0 before); stops after teardown(). */
  readonly elapsedMs: number;
  /** Ms since the executors started (0 before): scenarios' startTime counts from there. */
  readonly executorsElapsedMs: number;
  readonly totalDurationMs: number;
  readonly vusActive: number;
  readonly vusInitialized: number;
  readonly scenarios: readonly ScenarioProgress[];
}

export interface RunResult {
  readonly exitCode: number;
  readonly abortReason?: AbortReason;
  /** Why the run was aborted, as logged (threshold names, the script's abort message…). */
  readonly abortMessage?: string;
  /** handleSummary's `data` (k6's legacy shape). */
  readonly summaryData: SummaryData;
  readonly thresholds: readonly ThresholdResult[];
  readonly testRunDurationMs: number;
}

export interface RunningTest {
  /** Stops the run: iterations are interrupted, teardown and the summary still run. */
  abort(reason: AbortReason, message?: string): void;
  onMetrics(cb: (batch: MetricsBatch) => void): void;
  progress(): RunProgress;
  /** What k6's REST API reads and changes while the run lives (status, pause, metrics, setup data). */
  readonly control: RunControl;
  readonly result: Promise<RunResult>;
}

export interface RunHooks {
  /** Called on every phase change (the CLI draws its last progress line when 'running' ends). */
  onPhase?(phase: RunProgress['phase']): void;
  /**
   * Awaited after teardown, before the final thresholds and the summary (`--linger` waits here for
   * Ctrl+C while the REST API still answers).
   */
  afterTeardown?(): Promise<void>;
  /**
   * Variables the host adds to the `__ENV` of the run's VUs (setup and teardown included) once the
   * options are read, under the run's own (`-e` and the archive's win): what a platform tells a
   * script about where it runs, such as Grafana Cloud k6's `K6_CLOUDRUN_*`. VU 0, which read the
   * options, did not see them.
   */
  env?: Readonly<Record<string, string>>;
}

type CallOutcome = { value?: unknown; error?: unknown };

export function startRun(t: LoadedTestState, hooks: RunHooks = {}): RunningTest {
  // Per series, only the tags the summary breaks down by: unique URLs must not keep a state each (run-metrics.ts).
  const metrics = new RunMetrics(t.registry.all(), { seriesTags: SUMMARY_SERIES_TAGS });
  const evaluator = new ThresholdEvaluator(t.thresholds);
  evaluator.track(metrics);
  // k6 InitSubMetricsAndThresholds: a metric given thresholds is in the summary, with an empty list too.
  if (t.options.noThresholds !== true) for (const key of Object.keys(t.options.thresholds ?? {})) metrics.markObserved(key);
  else {
    // With --no-thresholds k6 still makes the submetrics the keys name (reported once they have
    // samples) and evaluates nothing; a key it cannot resolve is only logged.
    for (const key of Object.keys(t.options.thresholds ?? {})) {
      if (!key.includes('{')) continue;
      try {
        metrics.track(key);
      } catch {
        // k6 only warns here (Invalid metric … in threshold definitions).
      }
    }
  }
  const listeners: Array<(b: MetricsBatch) => void> = [];
  let phase: RunProgress['phase'] = 'init';
  let testStart = 0;
  // k6's test run duration (ExecutionState MarkStarted/MarkEnded): from just before setup() to after
  // teardown(). The summary's rates, the "running (…)" clock and live rates count it, not the
  // executors' time alone (testStart).
  let runStart = 0;
  let runEnd = 0;
  const runElapsed = (): number => (runStart === 0 ? 0 : (runEnd || Date.now()) - runStart);
  let abortReason: AbortReason | undefined;
  let abortMessage: string | undefined;
  let failedByScript = false;
  let errorExit: number | undefined;
  let setupVu: Vu | undefined;
  /** The vus/vus_max ticker, from the VUs' init until the run is over (gaugesOver). */
  let gauges: SecondTicker | undefined;
  let gaugesOver = false;
  let status: ExecutionStatus = 'InitVUs';
  let paused = t.options.paused === true;
  let resume: () => void = () => undefined;
  const resumed = new Promise<void>((r) => (resume = r));
  let started = false;
  let ended = false;
  let stoppedFromApi = false;
  /** Teardown is over: a stop now changes nothing but the status's `stopped` (k6's run error is decided). */
  let executed = false;
  let stoppedAfterwards = false;
  /** setup()'s result, or what the REST API set: what the VUs and teardown get. */
  let setupData: string | undefined;

  const cardinality = new CardinalityWarning();
  const ingest = (batches: readonly MetricsBatch[]): void => {
    for (const b of batches) {
      metrics.ingest(b);
      for (const cb of listeners) cb(b);
    }
    const tooMany = cardinality.check(metrics.seriesCount());
    if (tooMany !== undefined) t.log.write('warn', tooMany);
  };
  const flushMain = (all: boolean): void => {
    // The main thread's points (setup, teardown, gauges) reach the outputs in step with the workers'.
    t.mainJson?.flush();
    ingest(all ? t.mainSamples.flushAll() : t.mainSamples.flush(Date.now()));
  };

  if (hooks.env !== undefined) t.mainScript.addHostEnv(hooks.env);
  const fleet = new WorkerFleet(hooks.env === undefined ? t : { ...t, env: { ...hooks.env, ...t.env } }, {
    batches: ingest,
    log: (level, msg, fields) => t.log.write(level, msg, fields),
    failed(message, fields) {
      errorExit ??= EXIT_CODES.scriptException;
      // The first failure is the run's abort message (as a setup() error's is), and its log line.
      if (abortReason === undefined) abort('script-error', message, fields);
      else t.log.write('error', message, fields);
    },
    abortTest: (message) => abort('script-abort', message),
    failTest(message) {
      failedByScript = true;
      t.log.write('error', message);
    },
    output: (chunk) => t.points.push(chunk),
    // k6's Scheduler.Init starts the vus/vus_max ticker before the VUs' init: here when the first
    // worker thread begins it (its boot, a second or more of Stampede's own, has no k6 equivalent).
    initStarted: () => {
      if (!gaugesOver) gauges ??= everySecondFrom(Date.now(), emitGauges);
    },
  });

  function setPhase(next: RunProgress['phase']): void {
    phase = next;
    hooks.onPhase?.(next);
  }

  /** k6's vus and vus_max samples: the instance's active and initialised VUs (shared counters). */
  function emitGauges(): void {
    t.mainSink.add('vus', t.options.tags, t.instance.get('vusActive'));
    t.mainSink.add('vus_max', t.options.tags, t.instance.get('vusInitialized'));
  }

  function abort(requested: AbortReason, message?: string, fields?: Readonly<Record<string, string>>): void {
    if (abortReason !== undefined) return;
    // Hosts pass reasons as strings; anything unknown stops the run like a user abort.
    const reason: AbortReason = (ABORT_REASONS as readonly string[]).includes(requested) ? requested : 'user';
    abortReason = reason;
    // The message as the run's log prints it (a script error's stack in the script's own lines, no
    // Stampede frames): hosts hand it on (the cloud notification, a server run's abort message).
    abortMessage = message === undefined ? undefined : t.mapText(message);
    if (message !== undefined) t.log.write(reason === 'user' ? 'info' : 'error', message, fields);
    fleet.stop();
    // An abort during setup() interrupts it (k6 cancels setup with the run); teardown is then skipped.
    setupVu?.interrupt('aborted');
    resume();
  }

  async function lifecycle(name: 'setup' | 'teardown' | 'handleSummary', args: unknown[], timeoutMs: number): Promise<CallOutcome> {
    let vu: Vu | undefined;
    try {
      vu = await t.mainScript.serviceVu();
      if (name === 'setup') setupVu = vu;
      const value = await vu.runLifecycle(name === 'handleSummary' ? 'summary' : name, name, args, timeoutMs);
      return { value };
    } catch (error) {
      return { error };
    } finally {
      setupVu = undefined;
      await vu?.close();
    }
  }


  /** setup(): its JSON result, or undefined after stopping the run with k6's code for the failure. */
  async function runSetup(): Promise<string | undefined> {
    setPhase('setup');
    status = 'Setup';
    const r = await lifecycle('setup', [], t.options.setupTimeout);
    // Setup's samples reach the metrics before any iteration's, as in k6: its groups and checks come
    // first in root_group and in the summary's check list.
    flushMain(true);
    if (r.error === undefined) return r.value === undefined ? undefined : setupJson(r.value);
    if (abortReason !== undefined) return undefined;
    if (r.error instanceof VuInterrupt && r.error.reason === 'timeout') {
      errorExit = EXIT_CODES.setupTimeout;
      abort('timeout', `setup() execution timed out after ${goFixed(t.options.setupTimeout / 1000, 0)} seconds`, { hint: 'You can increase the time limit via the setupTimeout option' });
    } else if (r.error instanceof ScriptAbort) {
      abort('script-abort', r.error.message);
    } else {
      errorExit = EXIT_CODES.scriptException;
      abort('script-error', errorText(r.error), SCRIPT_EXCEPTION_FIELDS);
    }
    return undefined;
  }

  /**
   * setup()'s value as the JSON the VUs get; a value JSON cannot hold (a cycle) stops the run as k6's
   * json.Marshal error does: no exit code of its own (255), teardown skipped.
   */
  function setupJson(value: unknown): string | undefined {
    try {
      return setupDataJson(value);
    } catch (e) {
      errorExit = EXIT_CODES.noExitCode;
      abort('script-error', `error marshaling setup() data to JSON: ${e instanceof SetupDataJsonError ? e.message : `json: ${errorText(e)}`}`);
      return undefined;
    }
  }

  async function runTeardown(setupData: string | undefined): Promise<void> {
    setPhase('teardown');
    status = 'Teardown';
    const r = await lifecycle('teardown', [setupData === undefined ? undefined : JSON.parse(setupData)], t.options.teardownTimeout);
    if (r.error === undefined) return;
    if (r.error instanceof VuInterrupt && r.error.reason === 'timeout') {
      errorExit ??= EXIT_CODES.teardownTimeout;
      t.log.write('error', `teardown() execution timed out after ${goFixed(t.options.teardownTimeout / 1000, 0)} seconds`, { hint: 'You can increase the time limit via the teardownTimeout option' });
    } else if (r.error instanceof ScriptAbort) {
      abortReason ??= 'script-abort';
      t.log.write('error', r.error.message);
    } else {
      errorExit ??= EXIT_CODES.scriptException;
      t.log.write('error', errorText(r.error), SCRIPT_EXCEPTION_FIELDS);
    }
  }

  /** Workers ready → setup → executors until every worker is done. Returns setup's data. */
  async function execute(): Promise<string | undefined> {
    // The main thread's metrics every second.
    const tick = everySecondBoundary(() => flushMain(false));
    let thresholdTimer: ReturnType<typeof setInterval> | undefined;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    try {
      const ready = await fleet.ready;
      if (ready) status = 'InitDone';
      // k6 Scheduler.Run: a paused run waits with its VUs initialised; setup() runs only after the resume.
      if (ready && paused && abortReason === undefined) {
        status = 'PausedBeforeRun';
        t.log.write('debug', 'Execution is paused, waiting for resume or interrupt...');
        await resumed;
      }
      if (ready && abortReason === undefined) {
        started = true;
        status = 'Started';
        runStart = Date.now();
        t.facts.runStartedAt = runStart;
      }
      if (ready && abortReason === undefined && t.exports.has('setup') && t.options.noSetup !== true) setupData = await runSetup();
      if (ready && abortReason === undefined) {
        setPhase('running');
        status = 'Running';
        testStart = Date.now();
        t.facts.start = testStart;
        fleet.start(testStart, runStart, setupData);
        thresholdTimer = setInterval(() => {
          if (t.thresholds.length === 0 || abortReason !== undefined) return;
          const ev = evaluator.evaluate(metrics, runElapsed(), { final: false });
          if (ev.shouldAbort) abort('threshold', `thresholds on metrics '${ev.failed.join(', ')}' were crossed; at least one has abortOnFail enabled, stopping test prematurely`);
        }, THRESHOLD_INTERVAL_MS);
        watchdog = setTimeout(() => {
          t.log.write('warn', 'the executors did not finish by the end of the plan; stopping them');
          fleet.stop();
        }, t.plan.totalDurationMs + WATCHDOG_SLACK_MS);
      } else {
        fleet.stop();
      }
      await fleet.done;
      return setupData;
    } finally {
      tick.stop();
      clearInterval(thresholdTimer);
      clearTimeout(watchdog);
      await fleet.close();
    }
  }

  async function run(): Promise<RunResult> {
    const outputError = await t.points.open({ jsonOut: t.flags.jsonOut, csv: t.csv, systemTags: t.options.systemTags, sampleOutputs: t.sampleOutputs });
    if (outputError !== undefined) return outputFailed(outputError);
    try {
      await execute();
      if (testStart !== 0 && t.exports.has('teardown') && t.options.noTeardown !== true) await runTeardown(setupData);
      if (runStart !== 0) runEnd = Date.now();
      flushMain(true);
      // k6 marks the run ended unless it was aborted or marked as failed (those statuses stay).
      if (abortReason !== undefined) status = 'Interrupted';
      else if (failedByScript) status = 'MarkedAsFailed';
      else if (started) {
        status = 'Ended';
        ended = true;
      }
      executed = true;
      if (hooks.afterTeardown !== undefined) await hooks.afterTeardown();
    } finally {
      // k6 stops the ticker after the run, --linger's wait included: a run within a second has none.
      gaugesOver = true;
      gauges?.stop();
    }
    flushMain(true);
    t.mainJson?.flush();
    await t.points.close();
    const testRunDurationMs = runElapsed();
    let crossed: string[] = [];
    if (t.thresholds.length > 0) crossed = evaluator.evaluate(metrics, testRunDurationMs, { final: true }).failed;
    const thresholdsFailed = crossed.length > 0;
    const summaryData = buildSummaryData({
      metrics,
      thresholds: evaluator.results(),
      testRunDurationMs,
      options: { summaryTrendStats: t.options.summaryTrendStats, summaryTimeUnit: t.options.summaryTimeUnit ?? '', noColor: t.noColor },
      state: { isStdOutTTY: t.io.stdout.isTTY, isStdErrTTY: t.io.stderr.isTTY },
      setupData: setupData === undefined ? undefined : JSON.parse(setupData),
    });
    // k6 (cmd/run.go) counts full iterations from its execution state: read before handleSummary,
    // which gets this data and may delete `iterations` from it.
    const fullIterations = summaryData.metrics.iterations?.values.count ?? 0;
    // k6 warns in the run's body, before its deferred threshold verdict and summary are written.
    if (errorExit === undefined && abortReason === undefined && fullIterations === 0) {
      t.log.write('warn', 'No script iterations fully finished, consider making the test duration longer');
    }
    // k6 reports only the run's first error (cmd/run.go): an earlier error, abort or test.fail() wins.
    if (thresholdsFailed && errorExit === undefined && abortReason === undefined && !failedByScript) {
      t.log.write('error', `thresholds on metrics '${crossed.join(', ')}' have been crossed`);
    }
    if (t.summaryMode !== 'disabled') {
      setPhase('summary');
      // The full mode's per-group and per-scenario sections come from the run's per-series totals.
      const breakdown = t.summaryMode === 'full' ? buildSummaryBreakdown(metrics, testRunDurationMs, t.options.summaryTrendStats) : undefined;
      const initSummaryVu = async (): Promise<void> => {
        const vu = await t.mainScript.serviceVu();
        await vu.close();
      };
      await writeSummaryOutputs(t, summaryData, evaluator.results(), checkTotals(metrics), (data) => lifecycle('handleSummary', [data], t.options.handleSummaryTimeout), breakdown, initSummaryVu);
    }
    setPhase('done');
    let exitCode: number = EXIT_CODES.ok;
    if (errorExit !== undefined) exitCode = errorExit;
    else if (abortReason !== undefined) exitCode = exitCodeForAbort(abortReason);
    else if (failedByScript) exitCode = EXIT_CODES.markedAsFailed;
    else if (thresholdsFailed) exitCode = EXIT_CODES.thresholdsFailed;
    if (exitCode === EXIT_CODES.markedAsFailed) t.log.write('error', 'test run was marked as failed');
    // k6 returns this error from the run, and its root command logs it last.
    if (stoppedFromApi) t.log.write('error', STOPPED_FROM_REST_API);
    return {
      exitCode,
      ...(abortReason === undefined ? {} : { abortReason }),
      ...(abortMessage === undefined ? {} : { abortMessage }),
      summaryData,
      thresholds: evaluator.results(),
      testRunDurationMs,
    };
  }

  /**
   * k6 (createOutputs, output.Manager.Start): an output that cannot start fails the command before the
   * test runs, with that error and no summary (exit -1, 255). The workers are stopped before setup.
   */
  async function outputFailed(message: string): Promise<RunResult> {
    // k6 starts no vus/vus_max ticker when an output fails to start (its Scheduler.Init comes after).
    gaugesOver = true;
    gauges?.stop();
    t.log.write('error', message);
    abortReason = 'user';
    fleet.stop();
    await execute();
    await t.points.close();
    return {
      exitCode: EXIT_CODES.noExitCode,
      summaryData: buildSummaryData({
        metrics,
        thresholds: [],
        testRunDurationMs: 0,
        options: { summaryTrendStats: t.options.summaryTrendStats, summaryTimeUnit: t.options.summaryTimeUnit ?? '', noColor: t.noColor },
        state: { isStdOutTTY: t.io.stdout.isTTY, isStdErrTTY: t.io.stderr.isTTY },
        setupData: undefined,
      }),
      thresholds: [],
      testRunDurationMs: 0,
    };
  }

  const control: RunControl = {
    snapshot() {
      // The instance's shared counters: the workers' status reports begin only with the run.
      const active = t.instance.get('vusActive');
      const initialized = t.instance.get('vusInitialized');
      let breached = 0;
      for (const failed of evaluator.tainted().values()) if (failed) breached++;
      return {
        status,
        paused,
        running: started && !ended,
        stopped: abortReason !== undefined || stoppedAfterwards,
        vusActive: active,
        vusInitialized: initialized,
        breachedThresholds: breached,
      };
    },
    setPaused(pause) {
      if (!started && paused) {
        if (pause) throw new RunControlError('execution is already paused');
        paused = false;
        resume();
        return;
      }
      const first = t.plan.scenarios[0];
      if (first !== undefined) {
        throw new RunControlError(`${first.executor} executor '${first.name}' doesn't support pause and resume operations after its start`);
      }
      paused = pause;
    },
    stop() {
      if (executed) stoppedAfterwards = true;
      if (abortReason !== undefined || executed) return;
      stoppedFromApi = true;
      errorExit ??= EXIT_CODES.stoppedFromRestApi;
      abort('user');
      // k6's error for the run (logged last, below): hosts hand it on as the abort's message.
      abortMessage = STOPPED_FROM_REST_API;
    },
    metrics() {
      // k6 feeds its metrics engine only when thresholds or the summary need it.
      if (t.options.noThresholds === true && t.summaryMode === 'disabled') return [];
      return buildLiveMetrics(metrics, evaluator.results(), evaluator.tainted(), runElapsed());
    },
    rootGroup: () => buildRootGroup(metrics),
    setupData: () => setupData,
    setSetupData(json) {
      setupData = json;
    },
    async runSetup() {
      const r = t.exports.has('setup') ? await lifecycle('setup', [], t.options.setupTimeout) : { value: undefined };
      flushMain(true);
      // The script's stack as the run's log gives it: original sources, no Stampede frames.
      if (r.error !== undefined) throw new RunControlError(t.mapText(errorText(r.error)));
      setupData = r.value === undefined ? undefined : JSON.stringify(r.value);
    },
    async runTeardown() {
      if (!t.exports.has('teardown')) return;
      const r = await lifecycle('teardown', [setupData === undefined ? undefined : JSON.parse(setupData)], t.options.teardownTimeout);
      flushMain(true);
      if (r.error !== undefined) throw new RunControlError(t.mapText(errorText(r.error)));
    },
  };

  const releaseRejections = captureUnhandledRejections(t.log);
  const result = run().finally(releaseRejections);
  return {
    abort,
    control,
    onMetrics: (cb) => void listeners.push(cb),
    progress(): RunProgress {
      const { active, initialized } = fleet.totals();
      const byName = fleet.scenarios();
      return {
        phase,
        elapsedMs: runElapsed(),
        executorsElapsedMs: testStart === 0 ? 0 : Date.now() - testStart,
        totalDurationMs: t.plan.totalDurationMs,
        vusActive: active,
        vusInitialized: initialized,
        scenarios: t.plan.scenarios.map((p) => byName.get(p.name) ?? { name: p.name, fraction: 0, text: '', vus: 0, iterations: 0, interrupted: 0, dropped: 0 }),
      };
    },
    result,
  };
}
