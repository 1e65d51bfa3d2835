// The run of a loaded test (k6-semantics §1 from "init VUs" on): worker threads init their VUs →
// setup() once in a service VU → executors in the workers → teardown(data), also after an abort →
// final thresholds → handleSummary(data) → the exit code.
//
// The main thread merges every worker's per-second batches (RunMetrics), emits vus/vus_max every
// second, evaluates thresholds every 2 s, and owns every stop: a graceful one tells the workers to stop
// (their executors interrupt iterations), a hard one raises the shared stop flag that VUs stuck in
// loops read, and a worker that still does not finish is terminated, keeping the metrics received.
import { errorText } from '../vu/error-text.ts';
import { ExecutionTuple } from '../executors/execution-segment.ts';
import { buildExecutionPlan } from '../executors/execution-plan.ts';
import type { ExecutorProgress } from '../executors/executor-context.ts';
import type { MetricsBatch } from '../metrics/metrics-batch.ts';
import { RunMetrics } from '../metrics/run-metrics.ts';
import { buildSummaryData, type SummaryData } from '../summary/summary-data.ts';
import { ThresholdEvaluator, type ThresholdResult } from '../thresholds/evaluate-thresholds.ts';
import { ScriptAbort, VuInterrupt } from '../vu/interrupt.ts';
import type { Vu } from '../vu/vu.ts';
import { EXIT_CODES, exitCodeForAbort, type AbortReason } from './exit-codes.ts';
import { writeJsonOutput, writeSummaryOutputs } from './summary-outputs.ts';
import { captureUnhandledRejections } from './unhandled-rejections.ts';
import type { LoadedTestState } from './load-test.ts';
import { newStopBuffer, stopFlagOf } from './stop-flag.ts';
import { WorkerHandle } from './worker-handle.ts';
import type { WorkerStatus, WorkerToMain } from './worker-protocol.ts';

const THRESHOLD_INTERVAL_MS = 2000;
const TICK_MS = 1000;
/** After a stop, how long workers get to report before the stop flag is raised, then before termination. */
const STOP_FLAG_AFTER_MS = 1000;
const TERMINATE_AFTER_MS = 3000;
/** Past the plan's end (graceful windows included), workers are stopped as if aborted. */
const WATCHDOG_SLACK_MS = 2000;

export interface ScenarioProgress extends ExecutorProgress {
  readonly name: string;
}

export interface RunProgress {
  readonly phase: 'init' | 'setup' | 'running' | 'teardown' | 'summary' | 'done';
  /** Ms since the executors started (0 before). */
  readonly elapsedMs: number;
  readonly totalDurationMs: number;
  readonly vusActive: number;
  readonly vusInitialized: number;
  readonly scenarios: readonly ScenarioProgress[];
}

export interface RunResult {
  readonly exitCode: number;
  readonly abortReason?: AbortReason;
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
  readonly result: Promise<RunResult>;
}

interface WorkerState {
  handle: WorkerHandle;
  status: WorkerStatus | undefined;
  ready: boolean;
  done: boolean;
  reportedSinceStart: boolean;
}

export interface RunHooks {
  /** Called on every phase change (the CLI draws its last progress line when 'running' ends). */
  onPhase?(phase: RunProgress['phase']): void;
}

export function startRun(t: LoadedTestState, hooks: RunHooks = {}): RunningTest {
  const metrics = new RunMetrics(t.registry.all());
  const evaluator = new ThresholdEvaluator(t.thresholds);
  evaluator.track(metrics);
  const listeners: Array<(b: MetricsBatch) => void> = [];
  const workers: WorkerState[] = [];
  const stopBuffer = newStopBuffer();
  const stopFlag = stopFlagOf(stopBuffer);
  let phase: RunProgress['phase'] = 'init';
  let testStart = 0;
  let testEnd = 0;
  let abortReason: AbortReason | undefined;
  let abortMessage: string | undefined;
  let failedByScript = false;
  let errorExit: number | undefined;
  let stopping = false;
  let resolveWorkersDone: () => void = () => undefined;
  const workersDone = new Promise<void>((r) => (resolveWorkersDone = r));
  let resolveReady: (ok: boolean) => void = () => undefined;
  const workersReady = new Promise<boolean>((r) => (resolveReady = r));
  const timers: Array<ReturnType<typeof setTimeout>> = [];

  const ingest = (batches: readonly MetricsBatch[]): void => {
    for (const b of batches) {
      metrics.ingest(b);
      for (const cb of listeners) cb(b);
    }
  };
  const flushMain = (all: boolean): void => ingest(all ? t.mainSamples.flushAll() : t.mainSamples.flush(Date.now()));

  const totals = () => {
    let active = 0;
    let initialized = 0;
    for (const w of workers) {
      active += w.status?.vusActive ?? 0;
      initialized += w.status?.vusInitialized ?? 0;
    }
    return { active, initialized };
  };

  const checkAllDone = (): void => {
    if (workers.length > 0 && workers.every((w) => w.done)) resolveWorkersDone();
  };
  const checkAllReady = (): void => {
    if (workers.every((w) => w.ready)) resolveReady(true);
  };

  function stopWorkers(): void {
    if (stopping) return;
    stopping = true;
    for (const w of workers) w.handle.send({ type: 'stop' });
    timers.push(setTimeout(() => stopFlag.raise(), STOP_FLAG_AFTER_MS));
    timers.push(setTimeout(() => {
      for (const w of workers) {
        if (!w.done) {
          t.log.write('warn', `worker ${w.handle.index} did not stop in time; terminating it (its last second of metrics is lost)`);
          w.done = true;
          void w.handle.terminate();
        }
      }
      checkAllDone();
      resolveReady(false);
    }, STOP_FLAG_AFTER_MS + TERMINATE_AFTER_MS));
  }

  function setPhase(next: RunProgress['phase']): void {
    phase = next;
    hooks.onPhase?.(next);
  }

  let gaugesEmitted = false;
  let setupVu: Vu | undefined;
  function emitGauges(): void {
    gaugesEmitted = true;
    const { active, initialized } = totals();
    t.mainSink.add('vus', t.options.tags, active);
    t.mainSink.add('vus_max', t.options.tags, initialized);
  }

  function abort(reason: AbortReason, message?: string): void {
    if (abortReason !== undefined) return;
    abortReason = reason;
    abortMessage = message;
    if (message !== undefined) t.log.write(reason === 'user' ? 'info' : 'error', message);
    stopWorkers();
    resolveReady(false);
    // An abort during setup() interrupts it (k6 cancels setup with the run); teardown is then skipped.
    setupVu?.interrupt('aborted');
  }

  function onMessage(index: number, m: WorkerToMain): void {
    const w = workers[index];
    if (w === undefined) return;
    switch (m.type) {
      case 'ready':
        w.ready = true;
        checkAllReady();
        break;
      case 'failed':
        if (m.phase === 'init') {
          errorExit ??= EXIT_CODES.scriptException;
          t.log.write('error', m.message);
          abort('script-error');
        } else {
          t.log.write('error', m.message);
        }
        break;
      case 'metrics':
        w.status = m.status;
        ingest(m.batches);
        if (phase === 'running') w.reportedSinceStart = true;
        if (!gaugesEmitted && phase === 'running' && workers.every((x) => x.reportedSinceStart || x.done)) emitGauges();
        break;
      case 'done':
        w.status = m.status;
        ingest(m.batches);
        w.done = true;
        checkAllDone();
        break;
      case 'log':
        t.log.write(m.level, m.msg, m.fields);
        break;
      case 'abort-test':
        abort('script-abort', `test aborted: ${m.message}`);
        break;
      case 'output':
        t.jsonChunks.push(m.chunk);
        break;
      case 'fail-test':
        failedByScript = true;
        t.log.write('error', `test marked as failed: ${m.message}`);
        break;
    }
  }

  async function lifecycle(name: 'setup' | 'teardown' | 'handleSummary', args: unknown[], timeoutMs: number): Promise<{ value?: unknown; error?: unknown }> {
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

  async function run(): Promise<RunResult> {
    const plan = t.plan;
    const count = t.workers;
    let nextVuId = 1;
    const files = [...t.mainScript.files.opened.entries()];
    for (let i = 0; i < count; i++) {
      const segmentPlan = buildExecutionPlan(t.scenarios, ExecutionTuple.forWorker(i, count));
      const state: WorkerState = {
        ready: false,
        done: false,
        reportedSinceStart: false,
        status: undefined,
        handle: undefined as unknown as WorkerHandle,
      };
      workers.push(state);
      state.handle = new WorkerHandle(
        {
          index: i,
          count,
          factorySource: t.compiled.factorySource,
          filename: t.compiled.filename,
          scriptDir: t.mainScript.scriptDir,
          files,
          options: t.options as unknown as Record<string, unknown>,
          scenarios: t.scenarios,
          env: t.env,
          runTags: t.options.tags,
          firstVuId: nextVuId,
          stopBuffer,
          jsonOut: t.flags.jsonOut !== undefined,
        },
        onMessage,
        (index, e) => {
          t.log.write('error', `worker ${index} crashed: ${errorText(e)}`);
          const w = workers[index];
          if (w !== undefined) {
            w.done = true;
            w.ready = true;
          }
          errorExit ??= EXIT_CODES.scriptException;
          abort('script-error');
          checkAllDone();
        },
      );
      nextVuId += segmentPlan.maxVUs;
    }
    // The vus/vus_max gauges tick from here on; vus_max shows VUs being initialised.
    const tick = setInterval(() => {
      if (phase === 'running' && gaugesEmitted) emitGauges();
      flushMain(false);
    }, TICK_MS);
    let thresholdTimer: ReturnType<typeof setInterval> | undefined;
    let setupData: string | undefined;
    try {
      const ready = await workersReady;
      if (ready && abortReason === undefined && t.exports.has('setup') && t.options.noSetup !== true) {
        setPhase('setup');
        const r = await lifecycle('setup', [], t.options.setupTimeout);
        if (r.error !== undefined && abortReason === undefined) {
          if (r.error instanceof VuInterrupt && r.error.reason === 'timeout') {
            errorExit = EXIT_CODES.setupTimeout;
            abort('timeout', `setup() execution timed out after ${t.options.setupTimeout / 1000} seconds`);
          } else if (r.error instanceof ScriptAbort) {
            abort('script-abort', `test aborted: ${r.error.message}`);
          } else {
            errorExit = EXIT_CODES.scriptException;
            abort('script-error', errorText(r.error));
          }
        } else if (r.error === undefined) {
          setupData = r.value === undefined ? undefined : JSON.stringify(r.value);
        }
      }
      if (ready && abortReason === undefined) {
        setPhase('running');
        testStart = Date.now();
        t.facts.start = testStart;
        for (const w of workers) w.handle.send({ type: 'start', testStart, setupData });
        thresholdTimer = setInterval(() => {
          if (t.thresholds.length === 0 || abortReason !== undefined) return;
          const ev = evaluator.evaluate(metrics, Date.now() - testStart, { final: false });
          if (ev.shouldAbort) abort('threshold', `thresholds on metrics '${ev.failed.join("', '")}' were crossed; at least one has abortOnFail enabled, stopping test prematurely`);
        }, THRESHOLD_INTERVAL_MS);
        timers.push(setTimeout(() => {
          t.log.write('warn', 'the executors did not finish by the end of the plan; stopping them');
          stopWorkers();
        }, plan.totalDurationMs + WATCHDOG_SLACK_MS));
      } else {
        stopWorkers();
      }
      await workersDone;
      testEnd = testStart === 0 ? 0 : Date.now();
    } finally {
      clearInterval(tick);
      if (thresholdTimer !== undefined) clearInterval(thresholdTimer);
      for (const tm of timers) clearTimeout(tm);
      await Promise.all(workers.map((w) => w.handle.terminate()));
    }
    const { initialized } = totals();
    t.facts.initialized = initialized;

    if (testStart !== 0 && t.exports.has('teardown') && t.options.noTeardown !== true) {
      setPhase('teardown');
      const r = await lifecycle('teardown', [setupData === undefined ? undefined : JSON.parse(setupData)], t.options.teardownTimeout);
      if (r.error !== undefined) {
        if (r.error instanceof VuInterrupt && r.error.reason === 'timeout') {
          errorExit ??= EXIT_CODES.teardownTimeout;
          t.log.write('error', `teardown() execution timed out after ${t.options.teardownTimeout / 1000} seconds`);
        } else if (r.error instanceof ScriptAbort) {
          abortReason ??= 'script-abort';
          t.log.write('error', `test aborted: ${r.error.message}`);
        } else {
          errorExit ??= EXIT_CODES.scriptException;
          t.log.write('error', errorText(r.error));
        }
      }
    }
    flushMain(true);
    await writeJsonOutput(t);
    const testRunDurationMs = testStart === 0 ? 0 : testEnd - testStart;
    let thresholdsFailed = false;
    if (t.thresholds.length > 0) {
      const ev = evaluator.evaluate(metrics, testRunDurationMs, { final: true });
      thresholdsFailed = ev.failed.length > 0;
      if (thresholdsFailed) t.log.write('error', `thresholds on metrics '${ev.failed.join("', '")}' have been crossed`);
    }
    const summaryData = buildSummaryData({
      metrics,
      thresholds: evaluator.results(),
      testRunDurationMs,
      options: { summaryTrendStats: t.options.summaryTrendStats, summaryTimeUnit: t.options.summaryTimeUnit ?? '', noColor: false },
      state: { isStdOutTTY: t.io.stdout.isTTY, isStdErrTTY: t.io.stderr.isTTY },
      setupData: setupData === undefined ? undefined : JSON.parse(setupData),
    });
    if (t.flags.noSummary !== true) {
      setPhase('summary');
      await writeSummaryOutputs(t, summaryData, evaluator.results(), (data) => lifecycle('handleSummary', [data], t.options.handleSummaryTimeout));
    }
    setPhase('done');
    let exitCode: number = EXIT_CODES.ok;
    if (errorExit !== undefined) exitCode = errorExit;
    else if (abortReason !== undefined) exitCode = exitCodeForAbort(abortReason);
    else if (thresholdsFailed) exitCode = EXIT_CODES.thresholdsFailed;
    else if (failedByScript) exitCode = EXIT_CODES.markedAsFailed;
    void abortMessage;
    return {
      exitCode,
      ...(abortReason === undefined ? {} : { abortReason }),
      summaryData,
      thresholds: evaluator.results(),
      testRunDurationMs,
    };
  }

  const releaseRejections = captureUnhandledRejections(t.log);
  const result = run().finally(releaseRejections);
  return {
    abort,
    onMetrics: (cb) => void listeners.push(cb),
    progress(): RunProgress {
      const { active, initialized } = totals();
      const byName = new Map<string, ScenarioProgress>();
      for (const w of workers) {
        for (const s of w.status?.scenarios ?? []) {
          const prev = byName.get(s.name);
          byName.set(s.name, prev === undefined ? { ...s } : {
            ...prev,
            fraction: Math.min(prev.fraction, s.fraction),
            vus: prev.vus + s.vus,
            iterations: prev.iterations + s.iterations,
            interrupted: prev.interrupted + s.interrupted,
            dropped: prev.dropped + s.dropped,
            text: workers.length > 1 ? `${prev.vus + s.vus} VUs  ${prev.iterations + s.iterations} complete and ${prev.interrupted + s.interrupted} interrupted iterations` : s.text,
          });
        }
      }
      return {
        phase,
        elapsedMs: testStart === 0 ? 0 : (testEnd || Date.now()) - testStart,
        totalDurationMs: t.plan.totalDurationMs,
        vusActive: active,
        vusInitialized: initialized,
        scenarios: t.plan.scenarios.map((p) => byName.get(p.name) ?? { name: p.name, fraction: 0, text: '', vus: 0, iterations: 0, interrupted: 0, dropped: 0 }),
      };
    },
    result,
  };
}
