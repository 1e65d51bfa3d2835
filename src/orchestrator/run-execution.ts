// One run carried by one runner process, from `initializing` to a final status. Every store write
// goes through one chain so the history is written in the order the runner reported it; the final
// status is decided once, after the runner process has exited (so nothing of it outlives the run).
import {
  abortExtra,
  abortReasonFromEngine,
  checkProjectLimits,
  computeCost,
  deriveDistribution,
  deriveResult,
  isFinalStatus,
  runningSeconds,
  statusEntry,
  DEFAULT_LOAD_ZONE_ID,
  NO_LIMITS,
} from '../domain/index.ts';
import type { AbortReason, RunnerDistribution, RunStatus, StatusExtra } from '../domain/index.ts';
import { capSeries, createSeriesCapState, LiveRunResults, THRESHOLD_EVALUATION_INTERVAL_MS } from '../results/index.ts';
import type { SeriesCapState } from '../results/index.ts';
import { failedThresholdNames, spawnRunner } from '../runner/index.ts';
import type { FinishedInfo, FromRunner, PlanInfo, RunnerAbortReason, RunnerExit, RunnerHandle } from '../runner/index.ts';
import type { StoredMetricsBatch, TestRunRecord } from '../store/index.ts';
import type { OrchestratorConfig, OrchestratorLogger, OrchestratorStore } from './orchestrator-deps.ts';
import { SecondCoalescer } from './second-coalescer.ts';

const RUNNER_REASON: Record<AbortReason, RunnerAbortReason> = {
  by_user: 'user',
  limit: 'limit',
  timed_out: 'timeout',
  by_system: 'system',
  script_error: 'system',
  threshold: 'system',
};

// k6 reports a threshold that only failed at the very end this way; the run itself completed.
const COMPLETED_ENGINE_REASONS = new Set(['thresholds_after_test_end', 'ThresholdsAfterTestEnd']);

export interface RunExecutionDeps {
  store: OrchestratorStore;
  config: OrchestratorConfig;
  log: OrchestratorLogger;
}

export class RunExecution {
  readonly runId: number;
  private readonly deps: RunExecutionDeps;
  private runner: RunnerHandle | null = null;
  private pendingAbort: { reason: AbortReason; extra: StatusExtra } | null = null;
  private finished: FinishedInfo | null = null;
  private runnerError: { message: string; exitCode: number } | null = null;
  private reachedRunning = false;
  private writes: Promise<void> = Promise.resolve();
  private lastHeard = Date.now();
  private lastDurationWrite = 0;
  private killTimer: NodeJS.Timeout | null = null;
  private overrunTimer: NodeJS.Timeout | null = null;
  private thresholdTimer: NodeJS.Timeout | null = null;
  /** When the runner first reported `running` (the start of k6's test run time). */
  private runningSince: number | null = null;
  /** The run's metrics merged as they arrive; its thresholds judged on them (created with the plan). */
  private live: LiveRunResults | null = null;
  /** The run's series cap (k6's URL-cardinality advice): series known so far, folds, the one warning. */
  private readonly seriesCap: SeriesCapState = createSeriesCapState();
  /** Each second's batches (one per engine thread) held briefly and stored as one. */
  private readonly seconds: SecondCoalescer;

  constructor(runId: number, deps: RunExecutionDeps) {
    this.runId = runId;
    this.deps = deps;
    this.seconds = new SecondCoalescer((batch) => this.storeBatch(batch), {
      ...(deps.config.metricsHoldMs === undefined ? {} : { holdMs: deps.config.metricsHoldMs }),
      onMergeError: (err) => deps.log.error({ runId, err }, "could not merge a second's metrics batches; storing them one by one"),
    });
  }

  get pid(): number | null {
    return this.runner?.pid ?? null;
  }

  /** Carries the run to a final status. Never rejects. */
  async execute(): Promise<void> {
    try {
      await this.deps.store.testRuns.transition(this.runId, 'initializing');
    } catch (err) {
      this.deps.log.warn({ runId: this.runId, err }, 'run could not be initialized; skipping it');
      return;
    }
    let exit: RunnerExit | null = null;
    try {
      exit = await this.runRunner();
    } catch (err) {
      this.runnerError ??= { message: `The runner could not be started: ${err instanceof Error ? err.message : String(err)}`, exitCode: 255 };
    }
    // The runner has exited: whatever seconds are still held are complete.
    this.seconds.releaseAll();
    await this.writes;
    this.clearTimers();
    try {
      await this.conclude(exit);
    } catch (err) {
      this.deps.log.error({ runId: this.runId, err }, 'could not record the end of a run');
    }
  }

  /** Whether an abort was requested (possibly while this execution was awaiting something). */
  private aborting(): boolean {
    return this.pendingAbort !== null;
  }

  /** Stops the run (for the given reason) as soon as possible; the first reason given wins. */
  requestAbort(reason: AbortReason, extra: StatusExtra): void {
    if (this.pendingAbort !== null) return;
    this.pendingAbort = { reason, extra };
    this.deps.log.info({ runId: this.runId, reason }, 'aborting run');
    const runner = this.runner;
    if (runner === null) return;
    runner.send({ type: 'abort', reason: RUNNER_REASON[reason], ...(extra.message === null ? {} : { message: extra.message }) });
    this.killTimer ??= setTimeout(() => runner.kill('SIGKILL'), this.deps.config.abortGraceMs);
  }

  private async runRunner(): Promise<RunnerExit | null> {
    const run = await this.deps.store.testRuns.getById(this.runId);
    const script = run === null ? null : await this.deps.store.testRuns.getScript(run.stackId, run.id);
    if (run === null || script === null) {
      this.runnerError = { message: 'The test run has no script to execute', exitCode: 255 };
      return null;
    }
    if (this.pendingAbort !== null) return null;
    const { config } = this.deps;
    const runner = await spawnRunner({
      ...(config.runnerTmpRoot === undefined ? {} : { tmpRoot: config.runnerTmpRoot }),
      ...(config.engineModule === undefined ? {} : { engineModule: config.engineModule }),
    });
    this.runner = runner;
    this.deps.log.info({ runId: this.runId, pid: runner.pid }, 'runner started');
    runner.onMessage((m) => this.onMessage(run, m));
    // Once a second: store the seconds held long enough, and kill a runner that went silent.
    const watchdog = setInterval(() => {
      this.seconds.releaseDue();
      if (Date.now() - this.lastHeard <= config.heartbeatTimeoutMs) return;
      this.deps.log.warn({ runId: this.runId, pid: runner.pid }, 'runner stopped responding; killing it');
      this.runnerError ??= { message: `The runner stopped responding for ${config.heartbeatTimeoutMs} ms`, exitCode: 255 };
      runner.kill('SIGKILL');
    }, 1000);
    runner.send({ type: 'start', script: Buffer.from(script.bytes).toString('base64'), contentType: script.contentType });
    // An abort that arrived while the runner was being spawned is passed on now.
    // (TypeScript cannot see that requestAbort may have run during the awaits above.)
    const pending = this.pendingAbort as { reason: AbortReason; extra: StatusExtra } | null;
    if (pending !== null) {
      this.pendingAbort = null;
      this.requestAbort(pending.reason, pending.extra);
    }
    const exit = await runner.exited;
    clearInterval(watchdog);
    if (exit.code !== 0) this.deps.log.warn({ runId: this.runId, pid: runner.pid, exit, stderr: runner.stderrTail() }, 'runner exited abnormally');
    return exit;
  }

  private write(task: () => Promise<unknown>): void {
    this.writes = this.writes.then(task).then(
      () => undefined,
      (err: unknown) => this.deps.log.error({ runId: this.runId, err }, 'store write failed'),
    );
  }

  private onMessage(run: TestRunRecord, m: FromRunner): void {
    this.lastHeard = Date.now();
    switch (m.type) {
      case 'plan':
        this.write(() => this.onPlan(run, m));
        return;
      case 'status':
        if (m.phase === 'running') {
          this.reachedRunning = true;
          this.startJudging();
          this.write(() => this.moveTo('running'));
        } else if (m.phase === 'processing_metrics') {
          this.stopJudging();
          this.write(() => this.moveTo('processing_metrics'));
        }
        return;
      case 'metrics': {
        const batch = m.batch as StoredMetricsBatch;
        if (this.deps.config.metricsHoldMs !== 0 && typeof batch?.time === 'number' && Array.isArray(batch.series)) this.seconds.add(batch);
        else this.storeBatch(batch);
        return;
      }
      case 'progress':
        if (Date.now() - this.lastDurationWrite >= 1000) {
          this.lastDurationWrite = Date.now();
          this.write(() => this.recordExecutionDuration());
        }
        return;
      case 'finished': {
        const { type: _type, ...finished } = m;
        this.finished = finished;
        return;
      }
      case 'error':
        this.runnerError = { message: m.message, exitCode: m.exitCode };
        return;
      case 'log':
        this.deps.log.info({ runId: this.runId, stream: m.stream }, m.text.slice(0, 2000));
        return;
      default:
        return;
    }
  }

  /** Stores one (merged) second: series grouped by `name`, and past the run's series cap folded (exact totals). */
  private storeBatch(received: StoredMetricsBatch): void {
    let batch = received;
    try {
      const capped = capSeries(batch, this.seriesCap);
      batch = capped.batch;
      if (capped.warning !== undefined) this.deps.log.warn({ runId: this.runId, maxSeries: this.seriesCap.maxSeries }, capped.warning);
    } catch (err) {
      this.deps.log.error({ runId: this.runId, err }, 'malformed metrics batch from the runner; stored as received');
    }
    this.write(() => this.deps.store.runMetrics.append(this.runId, batch));
    try {
      this.live?.ingest(batch);
    } catch (err) {
      this.deps.log.error({ runId: this.runId, err }, 'malformed metrics batch from the runner; thresholds judged without it');
    }
  }

  /** From the start of the test run on, the thresholds are judged on the merged data every 2 s. */
  private startJudging(): void {
    if (this.runningSince !== null) return;
    this.runningSince = Date.now();
    const live = this.live;
    if (live === null || !live.hasThresholds) return;
    this.thresholdTimer = setInterval(() => {
      if (this.aborting()) return;
      const verdict = live.evaluate(this.testRunDurationMs());
      if (verdict.abort) this.requestAbort('threshold', abortExtra('threshold', { message: verdict.message ?? null }));
    }, THRESHOLD_EVALUATION_INTERVAL_MS);
  }

  /** The executors are done: what remains is the final pass (k6 never aborts for thresholds after the test ended). */
  private stopJudging(): void {
    if (this.thresholdTimer !== null) clearInterval(this.thresholdTimer);
    this.thresholdTimer = null;
  }

  /** k6's test run duration as the control plane sees it: since the executors started. */
  private testRunDurationMs(): number {
    return this.runningSince === null ? 0 : Date.now() - this.runningSince;
  }

  private async onPlan(run: TestRunRecord, plan: PlanInfo): Promise<void> {
    const { store, config } = this.deps;
    const estimatedDuration = Math.ceil(plan.totalDurationMs / 1000);
    const zones = (await store.loadZones.list()).filter((z) => z.available).map((z) => z.k6LoadZoneId);
    let distribution;
    let distributionProblem: string | null = null;
    try {
      distribution = deriveDistribution(plan.options, zones.length > 0 ? zones : [DEFAULT_LOAD_ZONE_ID], zones[0] ?? DEFAULT_LOAD_ZONE_ID);
    } catch (err) {
      distributionProblem = err instanceof Error ? err.message : String(err);
      distribution = null;
    }
    const node = { size: config.runnerSize, public_ip: config.runnerAddress };
    const runnerDistribution: RunnerDistribution | null = distribution === null ? null : Object.fromEntries(distribution.map((z) => [z.load_zone, { percentage: z.percent, nodes: [node] }]));
    // Thresholds are judged here on every runner's data merged, unless the options turn them off.
    this.live ??= new LiveRunResults(plan.options['noThresholds'] === true ? undefined : plan.options['thresholds']);
    const planned = { maxVus: plan.maxVUs, maxBrowserVus: plan.maxBrowserVUs, durationSeconds: estimatedDuration };
    await store.testRuns.updateFields(this.runId, {
      options: plan.options,
      distribution,
      runnerDistribution,
      maxVus: plan.maxVUs,
      maxBrowserVus: plan.maxBrowserVUs,
      estimatedDuration,
      k6Dependencies: plan.dependencies,
      k6Versions: plan.versions,
      cost: computeCost({ ...planned, ...(config.costReductions === undefined ? {} : { reductions: config.costReductions }) }),
    });
    if (this.pendingAbort !== null) return;
    if (distributionProblem !== null) {
      this.requestAbort('script_error', abortExtra('script_error', { message: `Invalid options.cloud.distribution: ${distributionProblem}` }));
      return;
    }
    const limits = (await store.projects.getLimits(run.stackId, run.projectId)) ?? NO_LIMITS;
    const used = limits.vuh_max_per_month === null ? 0 : await store.testRuns.vuhUsedInMonth(run.projectId, new Date(), this.runId);
    const violation = checkProjectLimits(limits, planned, used);
    if (violation !== null) {
      this.requestAbort('limit', abortExtra('limit', { message: violation.message }));
      return;
    }
    if (this.aborting()) return;
    this.runner?.send({ type: 'proceed' });
    const overrunAfter = plan.totalDurationMs + config.overrunMs;
    this.overrunTimer = setTimeout(() => {
      this.requestAbort('timed_out', abortExtra('timed_out', { message: `The test run did not end within ${Math.round(overrunAfter / 1000)}s` }));
    }, overrunAfter);
  }

  private async moveTo(status: RunStatus): Promise<void> {
    const current = await this.deps.store.testRuns.getById(this.runId);
    if (current === null || isFinalStatus(current.status) || current.status === status) return;
    await this.deps.store.testRuns.transition(this.runId, status);
  }

  private async recordExecutionDuration(): Promise<void> {
    const current = await this.deps.store.testRuns.getById(this.runId);
    if (current === null || current.status !== 'running') return;
    await this.deps.store.testRuns.updateFields(this.runId, { executionDuration: runningSeconds(current.statusHistory, new Date()) });
  }

  /** What ended the run, as the final status and its extra. */
  private outcome(exit: RunnerExit | null): { to: 'completed' } | { to: 'aborted'; extra: StatusExtra } {
    if (this.pendingAbort !== null) return { to: 'aborted', extra: this.pendingAbort.extra };
    const finished = this.finished;
    if (finished !== null) {
      const reason = finished.abortReason;
      if (reason === undefined || COMPLETED_ENGINE_REASONS.has(reason)) return { to: 'completed' };
      const why = abortReasonFromEngine(reason);
      return { to: 'aborted', extra: abortExtra(why, { message: finished.abortMessage ?? `The engine aborted the run (${reason})` }) };
    }
    const error = this.runnerError;
    if (error !== null) {
      const scriptFault = error.exitCode === 104 || error.exitCode === 107 || error.exitCode === 108;
      return { to: 'aborted', extra: abortExtra(scriptFault ? 'script_error' : 'by_system', { message: error.message }) };
    }
    const how = exit === null ? 'never started' : exit.signal !== null ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
    return { to: 'aborted', extra: abortExtra('by_system', { message: `The runner process ${how} before the run ended` }) };
  }

  private async conclude(exit: RunnerExit | null): Promise<void> {
    const { store, config } = this.deps;
    const outcome = this.outcome(exit);
    let current = await store.testRuns.getById(this.runId);
    if (current === null || isFinalStatus(current.status)) return;
    if (outcome.to === 'completed') {
      if (current.status === 'running') current = await store.testRuns.transition(this.runId, 'processing_metrics');
      if (current.status !== 'processing_metrics') {
        // The runner said it finished without ever running: nothing was measured.
        const extra = abortExtra('by_system', { message: `The runner finished while the run was ${current.status}` });
        await this.finalize(current, 'aborted', extra);
        return;
      }
    }
    const extra = outcome.to === 'aborted' ? outcome.extra : null;
    await this.finalize(current, outcome.to, extra);
    this.deps.log.info({ runId: this.runId, status: outcome.to, code: extra?.code ?? null, reachedRunning: this.reachedRunning, pid: this.runner?.pid, runnerSize: config.runnerSize }, 'run ended');
  }

  private async finalize(current: TestRunRecord, to: 'completed' | 'aborted', extra: StatusExtra | null): Promise<void> {
    const now = new Date();
    const entry = statusEntry(to, now, extra);
    const history = [...current.statusHistory, entry];
    const finished = this.finished;
    const thresholds = this.finalThresholds(finished);
    const resultDetails = deriveResult({ final: entry, failedThresholds: failedThresholdNames(thresholds) });
    const executionDuration = runningSeconds(history, now);
    const reductions = this.deps.config.costReductions;
    const cost = current.maxVus === null
      ? null
      : computeCost({ maxVus: current.maxVus, maxBrowserVus: current.maxBrowserVus ?? 0, durationSeconds: executionDuration, ...(reductions === undefined ? {} : { reductions }) });
    await this.deps.store.testRuns.transition(this.runId, to, {
      at: now,
      extra,
      fields: {
        resultDetails,
        executionDuration,
        cost,
        ...(finished === null ? {} : { summary: finished.summaryData }),
        ...(finished === null && this.live?.hasThresholds !== true ? {} : { thresholds }),
      },
    });
  }

  /**
   * The verdict that sets `result`: every threshold the control plane judged on the merged data; for
   * one whose metric never produced a sample (so the control plane never learned it), the runner's own.
   */
  private finalThresholds(finished: FinishedInfo | null): Record<string, Record<string, boolean>> {
    const reported = finished?.thresholds ?? {};
    const live = this.live;
    if (live === null || !live.hasThresholds) return reported;
    const durationMs = finished?.testRunDurationMs ?? this.testRunDurationMs();
    for (const problem of live.problems) this.deps.log.warn({ runId: this.runId }, `threshold not judged: ${problem}`);
    return { ...reported, ...live.final(durationMs).failedThresholds };
  }

  private clearTimers(): void {
    if (this.killTimer !== null) clearTimeout(this.killTimer);
    if (this.overrunTimer !== null) clearTimeout(this.overrunTimer);
    this.stopJudging();
  }
}
