// One run, from `initializing` to a final status, carried by one runner process, or by one per load
// zone when its distribution names several (each with its zone's execution segment; a first runner
// plans the whole run, then is dismissed). Every store write goes through one chain so the history is
// written in the order the runners reported it; every runner's per-second batches are merged (one
// coalesced batch per second) and the run's thresholds are judged on that merged data; the final
// status is decided once, after every runner process has exited (so nothing of it outlives the run).
import { availableParallelism, totalmem } from 'node:os';
import {
  abortExtra,
  checkProjectLimits,
  computeCost,
  distributionEntries,
  zonesOf,
  deriveResult,
  isFinalStatus,
  runningSeconds,
  statusEntry,
  DEFAULT_LOAD_ZONE_ID,
  DEFAULT_RUN_LOG_LINES,
  droppedLinesMessage,
  NO_LIMITS,
  runLogLine,
} from '../domain/index.ts';
import type { AbortReason, RunnerDistribution, RunStatus, StatusExtra } from '../domain/index.ts';
import { capSeries, createSeriesCapState, LiveRunResults, THRESHOLD_EVALUATION_INTERVAL_MS } from '../results/index.ts';
import type { SeriesCapState } from '../results/index.ts';
import { failedThresholdNames, spawnRunner } from '../runner/index.ts';
import type { FromRunner, PlanInfo, RunnerAbortReason, RunnerLogLine, RunnerUsage } from '../runner/index.ts';
import { StampedeError } from '../core/index.ts';
import { isStoreUnavailable } from '../store/index.ts';
import type { StoredMetricsBatch, TestRunRecord } from '../store/index.ts';
import { DEFAULT_STORE_RETRY_MS } from './orchestrator-deps.ts';
import type { OrchestratorConfig, OrchestratorLogger, OrchestratorStore } from './orchestrator-deps.ts';
import { newSlot, slotFailure } from './runner-slot.ts';
import type { RunnerSlot } from './runner-slot.ts';
import { LoadGeneratorSamples } from './load-generator-samples.ts';
import { runnerLimitCheck } from './runner-limits.ts';
import { tagLoadZone } from './load-zone-tag.ts';
import { SecondCoalescer } from './second-coalescer.ts';
import { zoneShares } from './zone-shares.ts';
import { cloudRunEnv } from './cloud-run-env.ts';
import type { ZoneShare } from './zone-shares.ts';

const RUNNER_REASON: Record<AbortReason, RunnerAbortReason> = {
  by_user: 'user',
  limit: 'limit',
  timed_out: 'timeout',
  by_system: 'system',
  script_error: 'system',
  threshold: 'system',
};

export interface RunExecutionDeps {
  store: OrchestratorStore;
  config: OrchestratorConfig;
  log: OrchestratorLogger;
}

type Script = NonNullable<Awaited<ReturnType<OrchestratorStore['testRuns']['getScript']>>>;

export class RunExecution {
  readonly runId: number;
  private readonly deps: RunExecutionDeps;
  /** Every runner started for the run, the dismissed planner included. */
  private readonly slots: RunnerSlot[] = [];
  /** The runners that carry the run: the single runner, or one per load zone. */
  private carriers: RunnerSlot[] = [];
  /** Each runner's memory and disk check (runner-limits.ts), made at its first watch. */
  private readonly limitChecks = new Map<RunnerSlot, () => void>();
  /** Set by the whole run's plan when its distribution names several load zones. */
  private shares: ZoneShare[] | null = null;
  /** The whole run's plan (its total duration bounds the run). */
  private plan: PlanInfo | null = null;
  /** The load zone a run carried by its planning runner executes in (the distribution's only zone), and its label. */
  private soleZone: string = DEFAULT_LOAD_ZONE_ID;
  private soleLabel: string | undefined;
  private pendingAbort: { reason: AbortReason; extra: StatusExtra } | null = null;
  /** Why no runner could carry the run (no script, spawn failure). */
  private startError: string | null = null;
  private reachedRunning = false;
  private writes: Promise<void> = Promise.resolve();
  /** Since when the store has been failing as unavailable (null while it answers): bounds the retries. */
  private storeDownSince: number | null = null;
  private lastDurationWrite = 0;
  private durationWritePending = false;
  private overrunTimer: NodeJS.Timeout | null = null;
  private thresholdTimer: NodeJS.Timeout | null = null;
  /** When the first runner reported `running` (the start of k6's test run time). */
  private runningSince: number | null = null;
  /** The run's metrics merged as they arrive; its thresholds judged on them (created with the plan). */
  private live: LiveRunResults | null = null;
  /** The run's series cap (k6's URL-cardinality advice): series known so far, folds, the one warning. */
  private readonly seriesCap: SeriesCapState = createSeriesCapState();
  /** Each second's batches (one per engine thread of every runner) held briefly and stored as one. */
  private readonly seconds: SecondCoalescer;
  /** Log lines stored for the run, those dropped past the cap, and those its runners dropped (over their rate). */
  private logLines = 0;
  private droppedLogLines = 0;
  private runnerDroppedLogLines = 0;

  constructor(runId: number, deps: RunExecutionDeps) {
    this.runId = runId;
    this.deps = deps;
    this.seconds = new SecondCoalescer((batch) => this.storeBatch(batch), {
      ...(deps.config.metricsHoldMs === undefined ? {} : { holdMs: deps.config.metricsHoldMs }),
      onMergeError: (err) => deps.log.error({ runId, err }, "could not merge a second's metrics batches; storing them one by one"),
    });
  }

  /** The process id of the (first) runner carrying the run now. */
  get pid(): number | null {
    const live = this.slots.filter((s) => s.exit === null);
    return (live.find((s) => this.carriers.includes(s)) ?? live[0])?.handle.pid ?? null;
  }

  /** Carries the run to a final status. Never rejects. */
  async execute(): Promise<void> {
    try {
      await this.withRetry(() => this.deps.store.testRuns.transition(this.runId, 'initializing'));
    } catch (err) {
      this.deps.log.warn({ runId: this.runId, err }, 'run could not be initialized; skipping it');
      return;
    }
    // Once a second: store the seconds held long enough, and kill runners that went silent.
    const watchdog = setInterval(() => this.watch(), 1000);
    try {
      await this.runRunners();
    } catch (err) {
      this.startError ??= `The runner could not be started: ${err instanceof Error ? err.message : String(err)}`;
      this.requestAbort('by_system', abortExtra('by_system', { message: this.startError }));
      await Promise.all(this.slots.map((s) => s.handle.exited));
    } finally {
      clearInterval(watchdog);
    }
    // Every runner has exited: whatever seconds are still held are complete.
    this.seconds.releaseAll();
    if (this.droppedLogLines > 0 || this.runnerDroppedLogLines > 0) {
      const message = droppedLinesMessage(this.droppedLogLines, this.deps.config.runLogLines ?? DEFAULT_RUN_LOG_LINES, this.runnerDroppedLogLines);
      this.write(() => this.deps.store.runLogs.append(this.runId, [{ time: Date.now() * 1000, level: 'warning', message, labels: { test_run_id: String(this.runId) } }]));
    }
    // The run ended now, however long its last writes take to reach a store that is down.
    const endedAt = new Date();
    await this.writes;
    this.clearTimers();
    try {
      await this.withRetry(() => this.conclude(endedAt));
    } catch (err) {
      this.deps.log.error({ runId: this.runId, err }, 'could not record the end of a run');
    }
  }

  /** Whether an abort was requested (possibly while this execution was awaiting something). */
  private aborting(): boolean {
    return this.pendingAbort !== null;
  }

  /** Stops the run (for the given reason) as soon as possible, on every runner; the first reason given wins. */
  requestAbort(reason: AbortReason, extra: StatusExtra): void {
    if (this.pendingAbort !== null) return;
    this.pendingAbort = { reason, extra };
    this.deps.log.info({ runId: this.runId, reason }, 'aborting run');
    for (const slot of this.slots) this.tellToStop(slot);
  }

  /** Passes the pending abort to a runner (the engine stops gracefully), and kills it after the grace. */
  private tellToStop(slot: RunnerSlot): void {
    const abort = this.pendingAbort;
    if (abort === null || slot.exit !== null) return;
    slot.handle.send({ type: 'abort', reason: RUNNER_REASON[abort.reason], ...(abort.extra.message === null ? {} : { message: abort.extra.message }) });
    slot.killTimer ??= setTimeout(() => slot.handle.kill('SIGKILL'), this.deps.config.abortGraceMs);
  }

  private watch(): void {
    this.seconds.releaseDue();
    const { heartbeatTimeoutMs } = this.deps.config;
    for (const slot of this.slots) {
      if (slot.exit !== null) continue;
      this.watchUsage(slot);
      if (Date.now() - slot.lastHeard <= heartbeatTimeoutMs) continue;
      this.deps.log.warn({ runId: this.runId, pid: slot.handle.pid, zone: slot.share?.loadZone }, 'runner stopped responding; killing it');
      slot.error ??= { message: `The runner stopped responding for ${heartbeatTimeoutMs} ms`, exitCode: 255 };
      slot.handle.kill('SIGKILL');
    }
  }

  /** Kills a runner past its memory or disk limit; stores a carrying runner's load generator metrics. */
  private watchUsage(slot: RunnerSlot): void {
    let check = this.limitChecks.get(slot);
    if (check === undefined) {
      const { runnerMemoryBytes, runnerDiskBytes } = this.deps.config;
      const samples = new LoadGeneratorSamples();
      check = runnerLimitCheck(
        slot.handle,
        { memoryBytes: runnerMemoryBytes, diskBytes: runnerDiskBytes },
        (over, usage) => {
          if (slot.exit !== null) return;
          this.deps.log.warn({ runId: this.runId, pid: slot.handle.pid, zone: slot.share?.loadZone, usage }, 'runner over its resource limit; killing it');
          slot.error ??= { message: over, exitCode: 255 };
          slot.handle.kill('SIGKILL');
        },
        (usage, at) => this.recordLoadGenerator(slot, samples, usage, at, runnerMemoryBytes),
      );
      this.limitChecks.set(slot, check);
    }
    check();
  }

  /** A runner's usage as Grafana Cloud k6's load generator metrics, while it carries the test's executors. */
  private recordLoadGenerator(slot: RunnerSlot, samples: LoadGeneratorSamples, usage: RunnerUsage, at: number, runnerMemoryBytes: number): void {
    const instanceId = this.carriers.indexOf(slot);
    if (instanceId < 0 || slot.exit !== null) return;
    const context = { loadZone: slot.share?.loadZone ?? this.soleZone, instanceId, cores: availableParallelism(), memoryBytes: Math.min(runnerMemoryBytes, totalmem()) };
    const batch = samples.sample(usage, at, context);
    if (batch !== null && (slot.phase === 'running' || slot.phase === 'processing_metrics')) this.write(() => this.deps.store.runMetrics.append(this.runId, batch));
  }

  /** The planning runner first; with several load zones, then one runner per zone. Resolves when all exited. */
  private async runRunners(): Promise<void> {
    const run = await this.withRetry(() => this.deps.store.testRuns.getById(this.runId));
    const script = run === null ? null : await this.withRetry(() => this.deps.store.testRuns.getScript(run.stackId, run.id));
    if (run === null || script === null) {
      this.startError = 'The test run has no script to execute';
      return;
    }
    if (this.aborting()) return;
    const first = await this.startRunner(run, script, null);
    this.carriers = [first];
    await this.ended(first);
    const shares = this.shares;
    if (shares === null || this.aborting()) return;
    this.carriers = [];
    const started = await Promise.allSettled(shares.map((share) => this.startRunner(run, script, share)));
    this.carriers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    this.proceedWhenAllPlanned();
    await Promise.all(this.carriers.map((slot) => this.ended(slot)));
  }

  private async startRunner(run: TestRunRecord, script: Script, share: ZoneShare | null): Promise<RunnerSlot> {
    const { config } = this.deps;
    const handle = await spawnRunner({
      ...(config.runnerTmpRoot === undefined ? {} : { tmpRoot: config.runnerTmpRoot }),
      ...(config.engineModule === undefined ? {} : { engineModule: config.engineModule }),
      ...(config.runnerDeniedEndpoints === undefined ? {} : { deniedEndpoints: config.runnerDeniedEndpoints }),
    });
    const slot = newSlot(handle, share);
    this.slots.push(slot);
    // A zone's runner of a split run: the run's VU gauges wait for its report of every second.
    if (share !== null) this.seconds.expectSource(this.slots.indexOf(slot));
    this.deps.log.info({ runId: this.runId, pid: handle.pid, ...(share === null ? {} : { zone: share.loadZone, segment: share.segment }) }, 'runner started');
    handle.onMessage((m) => this.onMessage(run, slot, m));
    handle.send({ type: 'start', script: Buffer.from(script.bytes).toString('base64'), contentType: script.contentType, ...(share === null ? {} : { share: { segment: share.segment, sequence: share.sequence } }) });
    // An abort that arrived while the runner was being spawned is passed on now.
    this.tellToStop(slot);
    return slot;
  }

  /** Waits for a runner to exit; a carrier that ends without completing its part stops the others. */
  private async ended(slot: RunnerSlot): Promise<void> {
    slot.exit = await slot.handle.exited;
    this.seconds.sourceEnded(this.slots.indexOf(slot));
    if (slot.killTimer !== null) clearTimeout(slot.killTimer);
    if (slot.exit.code !== 0) this.deps.log.warn({ runId: this.runId, pid: slot.handle.pid, zone: slot.share?.loadZone, exit: slot.exit, stderr: slot.handle.stderrTail() }, 'runner exited abnormally');
    if (this.carriers.length > 1 && this.carriers.includes(slot)) {
      const failure = slotFailure(slot);
      if (failure !== null) this.requestAbort(failure.reason, failure.extra);
      this.checkAllProcessing();
    }
  }

  /** Queues a store write after the earlier ones (the run's history in the order reported). */
  private write(task: () => Promise<unknown>): void {
    this.writes = this.writes.then(() => this.withRetry(task)).then(
      () => undefined,
      (err: unknown) => this.deps.log.error({ runId: this.runId, err }, 'store write failed'),
    );
  }

  /**
   * Runs a store operation, and again while the store is unavailable (unreachable, restarting, out of
   * connections or disk, read-only, locked: `isStoreUnavailable`), backing off up to 5 s, until it has
   * been unavailable for `storeRetryMs`. Writes are queued meanwhile, so the run's metrics, logs and
   * statuses reach the store once it is back instead of being dropped.
   */
  private async withRetry<T>(task: () => Promise<T>): Promise<T> {
    const retryMs = this.deps.config.storeRetryMs ?? DEFAULT_STORE_RETRY_MS;
    let delay = 250;
    for (;;) {
      try {
        const result = await task();
        if (this.storeDownSince !== null) {
          this.deps.log.info({ runId: this.runId, downMs: Date.now() - this.storeDownSince }, "the store answers again; the run's held writes were stored");
          this.storeDownSince = null;
        }
        return result;
      } catch (err) {
        if (!isStoreUnavailable(err)) throw err;
        if (this.storeDownSince === null) {
          this.storeDownSince = Date.now();
          this.deps.log.warn({ runId: this.runId, err, retryMs }, "the store is unavailable; holding the run's writes and retrying");
        }
        if (Date.now() - this.storeDownSince + delay > retryMs) throw err;
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  private onMessage(run: TestRunRecord, slot: RunnerSlot, m: FromRunner): void {
    slot.lastHeard = Date.now();
    switch (m.type) {
      case 'plan':
        if (slot.share === null) this.write(() => this.onPlan(run, slot, m));
        else this.onSharePlan(slot, m);
        return;
      case 'status':
        slot.phase = m.phase;
        if (m.phase === 'running') {
          this.reachedRunning = true;
          this.startJudging();
          const at = new Date();
          this.write(() => this.moveTo('running', at));
        } else if (m.phase === 'processing_metrics') {
          this.checkAllProcessing();
        }
        return;
      case 'metrics': {
        const received = m.batch as StoredMetricsBatch;
        const batch = Array.isArray(received?.series) ? tagLoadZone(received, slot.share?.loadZone ?? this.soleZone) : received;
        if (this.deps.config.metricsHoldMs !== 0 && typeof batch?.time === 'number' && Array.isArray(batch.series)) this.seconds.add(batch, Date.now(), this.slots.indexOf(slot));
        else this.storeBatch(batch);
        return;
      }
      case 'progress':
        // One at a time: while the store is down they would pile up, each outdated by the next.
        if (Date.now() - this.lastDurationWrite >= 1000 && !this.durationWritePending) {
          this.lastDurationWrite = Date.now();
          this.durationWritePending = true;
          this.write(() => this.recordExecutionDuration().finally(() => (this.durationWritePending = false)));
        }
        return;
      case 'finished': {
        const { type: _type, ...finished } = m;
        slot.finished = finished;
        // With several runners, one share's engine stopping the test (test.abort(), a setup error)
        // stops the whole run, as one k6 instance's abort does in k6 cloud.
        if (this.carriers.length > 1) {
          const failure = slotFailure(slot);
          if (failure !== null) this.requestAbort(failure.reason, failure.extra);
        }
        return;
      }
      case 'error':
        slot.error = { message: m.message, exitCode: m.exitCode };
        return;
      case 'log':
        this.deps.log.info({ runId: this.runId, stream: m.stream, ...(slot.share === null ? {} : { zone: slot.share.loadZone }) }, m.text.slice(0, 2000));
        return;
      case 'logLines':
        this.storeLogLines(slot, m.lines, m.dropped);
        return;
      default:
        return;
    }
  }

  /** Keeps a runner's log lines as the run's logs, up to the run's cap; the rest are counted. */
  private storeLogLines(slot: RunnerSlot, lines: readonly RunnerLogLine[], dropped: number): void {
    const cap = this.deps.config.runLogLines ?? DEFAULT_RUN_LOG_LINES;
    const room = Math.max(0, cap - this.logLines);
    const kept = Array.isArray(lines) ? lines.slice(0, room) : [];
    this.droppedLogLines += (Array.isArray(lines) ? lines.length : 0) - kept.length;
    this.runnerDroppedLogLines += Number.isFinite(dropped) ? Math.max(0, dropped) : 0;
    if (kept.length === 0) return;
    this.logLines += kept.length;
    const context = { testRunId: this.runId, loadZone: slot.share?.loadZone ?? this.soleZone, instanceId: Math.max(0, this.carriers.indexOf(slot)) };
    const rows = kept.map((l) => ({ time: Math.trunc(Number(l.time) * 1000), level: String(l.level), ...runLogLine(String(l.msg), typeof l.fields === 'object' && l.fields !== null ? l.fields : {}, context) }));
    this.write(() => this.deps.store.runLogs.append(this.runId, rows));
  }

  /** The executors of every carrier are done: the run is `processing_metrics`, thresholds get their final pass only. */
  private checkAllProcessing(): void {
    const done = this.carriers.length > 0 && this.carriers.every((s) => s.exit !== null || s.phase === 'processing_metrics' || s.phase === 'done');
    if (!done || (this.shares !== null && this.carriers.length < this.shares.length)) return;
    this.stopJudging();
    const at = new Date();
    this.write(() => this.moveTo('processing_metrics', at));
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

  /** The whole run's plan (from the planning runner): recorded, checked, then run by it or split over the zones. */
  private async onPlan(run: TestRunRecord, slot: RunnerSlot, plan: PlanInfo): Promise<void> {
    const { store, config } = this.deps;
    const estimatedDuration = Math.ceil(plan.totalDurationMs / 1000);
    const allZones = await store.loadZones.list();
    const zones = allZones.filter((z) => z.available).map((z) => z.k6LoadZoneId);
    // A zone that exists but is unavailable is named as such (as validate_options does), not as unknown.
    const unavailable = allZones.filter((z) => !z.available).map((z) => z.k6LoadZoneId);
    let entries;
    let distributionProblem: string | null = null;
    try {
      entries = distributionEntries(plan.options, zones.length > 0 ? zones : [DEFAULT_LOAD_ZONE_ID], zones[0] ?? DEFAULT_LOAD_ZONE_ID, unavailable);
    } catch (err) {
      const where = err instanceof StampedeError ? err.target : undefined;
      distributionProblem = `Invalid ${where ?? 'options.cloud.distribution'}: ${err instanceof Error ? err.message : String(err)}`;
      entries = null;
    }
    const distribution = entries === null ? null : zonesOf(entries);
    // One runner (node) per distribution entry: a zone named under two labels has two.
    const node = { size: config.runnerSize, public_ip: config.runnerAddress };
    const runnerDistribution: RunnerDistribution | null = distribution === null || entries === null
      ? null
      : Object.fromEntries(distribution.map((z) => [z.load_zone, { percentage: z.percent, nodes: entries.filter((e) => e.load_zone === z.load_zone).map(() => node) }]));
    // Thresholds are judged here on every runner's data merged, unless the options turn them off.
    // A run over several zones builds its summary from this merged data, so it keeps every metric.
    this.live ??= new LiveRunResults(plan.options['noThresholds'] === true ? undefined : plan.options['thresholds'], {
      keepAll: (entries?.length ?? 1) > 1,
    });
    this.plan = plan;
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
    if (this.aborting()) return;
    if (distributionProblem !== null) {
      this.requestAbort('script_error', abortExtra('script_error', { message: distributionProblem }));
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
    if (entries !== null && entries.length > 1) {
      // One runner per distribution entry takes over, each loading the script with its segment; this
      // one, loaded for the whole run, stops before running anything.
      this.shares = zoneShares(entries);
      slot.handle.send({ type: 'abort', reason: 'system', message: 'the run is split over its load zones' });
      return;
    }
    this.soleZone = entries?.[0]?.load_zone ?? this.soleZone;
    this.soleLabel = entries?.[0]?.label;
    this.proceed([slot]);
  }

  /** A zone's runner planned its share; once every zone's has, they all start together. */
  private onSharePlan(slot: RunnerSlot, plan: PlanInfo): void {
    this.deps.log.info({ runId: this.runId, zone: slot.share?.loadZone, segment: slot.share?.segment, maxVUs: plan.maxVUs }, "load zone's share planned");
    slot.planned = true;
    this.proceedWhenAllPlanned();
  }

  private proceedWhenAllPlanned(): void {
    const shares = this.shares ?? [];
    if (this.overrunTimer === null && this.carriers.length === shares.length && this.carriers.every((s) => s.planned)) this.proceed(this.carriers);
  }

  private proceed(slots: readonly RunnerSlot[]): void {
    if (this.aborting()) return;
    slots.forEach((slot, instance) => {
      const env = cloudRunEnv(this.runId, slot.share?.loadZone ?? this.soleZone, instance, this.plan?.options, slot.share?.label ?? this.soleLabel);
      slot.handle.send({ type: 'proceed', env });
    });
    const overrunAfter = (this.plan?.totalDurationMs ?? 0) + this.deps.config.overrunMs;
    this.overrunTimer = setTimeout(() => {
      this.requestAbort('timed_out', abortExtra('timed_out', { message: `The test run did not end within ${Math.round(overrunAfter / 1000)}s` }));
    }, overrunAfter);
  }

  /** `at`: when the runners reported it, which a store slow or down to write it must not move (duration, cost). */
  private async moveTo(status: RunStatus, at: Date): Promise<void> {
    const current = await this.deps.store.testRuns.getById(this.runId);
    if (current === null || isFinalStatus(current.status) || current.status === status) return;
    await this.deps.store.testRuns.transition(this.runId, status, { at });
  }

  private async recordExecutionDuration(): Promise<void> {
    const current = await this.deps.store.testRuns.getById(this.runId);
    if (current === null || current.status !== 'running') return;
    await this.deps.store.testRuns.updateFields(this.runId, { executionDuration: runningSeconds(current.statusHistory, new Date()) });
  }

  /** What ended the run, as the final status and its extra: an abort asked for, else the first carrier that did not complete. */
  private outcome(): { to: 'completed' } | { to: 'aborted'; extra: StatusExtra } {
    if (this.pendingAbort !== null) return { to: 'aborted', extra: this.pendingAbort.extra };
    if (this.startError !== null || this.carriers.length === 0) {
      return { to: 'aborted', extra: abortExtra('by_system', { message: this.startError ?? 'The runner process never started before the run ended' }) };
    }
    for (const slot of this.carriers) {
      const failure = slotFailure(slot);
      if (failure !== null) return { to: 'aborted', extra: failure.extra };
    }
    return { to: 'completed' };
  }

  private async conclude(endedAt: Date): Promise<void> {
    const { store, config } = this.deps;
    const outcome = this.outcome();
    let current = await store.testRuns.getById(this.runId);
    if (current === null || isFinalStatus(current.status)) return;
    if (outcome.to === 'completed') {
      if (current.status === 'running') current = await store.testRuns.transition(this.runId, 'processing_metrics', { at: endedAt });
      if (current.status !== 'processing_metrics') {
        // The runner said it finished without ever running: nothing was measured.
        const extra = abortExtra('by_system', { message: `The runner finished while the run was ${current.status}` });
        await this.finalize(current, 'aborted', extra, endedAt);
        return;
      }
    }
    const extra = outcome.to === 'aborted' ? outcome.extra : null;
    await this.finalize(current, outcome.to, extra, endedAt);
    this.deps.log.info({ runId: this.runId, status: outcome.to, code: extra?.code ?? null, reachedRunning: this.reachedRunning, pids: this.carriers.map((s) => s.handle.pid), runnerSize: config.runnerSize }, 'run ended');
  }

  private async finalize(current: TestRunRecord, to: 'completed' | 'aborted', extra: StatusExtra | null, endedAt: Date): Promise<void> {
    // Not before the last status entered (a run's history only moves forward).
    const last = Date.parse(current.statusHistory.at(-1)?.entered ?? '');
    const now = Number.isFinite(last) && last > endedAt.getTime() ? new Date(last) : endedAt;
    const entry = statusEntry(to, now, extra);
    const history = [...current.statusHistory, entry];
    const results = this.finalResults();
    const resultDetails = deriveResult({ final: entry, failedThresholds: failedThresholdNames(results.thresholds ?? {}) });
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
        ...(results.summary === undefined ? {} : { summary: results.summary }),
        ...(results.thresholds === undefined ? {} : { thresholds: results.thresholds }),
      },
    });
  }

  /**
   * The summary and the threshold verdict that sets `result`. Thresholds: every one the control plane
   * judged on the merged data; for one whose metric never produced a sample (so the control plane never
   * learned it), the single runner's own verdict. Summary: the single runner's (it saw all the data,
   * and holds what only the engine knows, like setup data); with several runners, the merged one.
   */
  private finalResults(): { summary?: unknown; thresholds?: Record<string, Record<string, boolean>> } {
    const finished = this.carriers.map((s) => s.finished).filter((f) => f !== null);
    const single = this.carriers.length === 1 ? finished[0] : undefined;
    const live = this.live;
    const durationMs = finished.length > 0 ? Math.max(...finished.map((f) => f.testRunDurationMs)) : this.testRunDurationMs();
    for (const problem of live?.problems ?? []) this.deps.log.warn({ runId: this.runId }, `threshold not judged: ${problem}`);
    const verdict = live?.hasThresholds === true ? live.final(durationMs) : null;
    if (single !== undefined) return { summary: single.summaryData, thresholds: { ...single.thresholds, ...verdict?.failedThresholds } };
    if (this.carriers.length > 1 && finished.length > 0 && live !== null) {
      const merged = verdict ?? live.final(durationMs);
      const trendStats = this.plan?.options['summaryTrendStats'];
      const stats = Array.isArray(trendStats) && trendStats.every((s) => typeof s === 'string') ? trendStats : undefined;
      return { summary: live.summary(merged, durationMs, stats), thresholds: merged.failedThresholds };
    }
    return verdict === null ? {} : { thresholds: verdict.failedThresholds };
  }

  private clearTimers(): void {
    for (const slot of this.slots) if (slot.killTimer !== null) clearTimeout(slot.killTimer);
    if (this.overrunTimer !== null) clearTimeout(this.overrunTimer);
    this.stopJudging();
  }
}
