// The worker side of a run: creates this segment's VUs, runs its executors over a VuPool, and reports
// per-second metric batches and status to the main thread. Free of worker_threads so it can be driven
// directly; worker-main.ts connects it to the thread's port.
import { errorText } from '../vu/error-text.ts';
import { ScriptAbort } from '../vu/interrupt.ts';
import { VuInitError } from './vu-init-error.ts';
import { buildExecutionPlan } from '../executors/execution-plan.ts';
import type { ExecutorRuntime } from '../executors/executor-context.ts';
import { MetricRegistry } from '../metrics/metric-registry.ts';
import { MetricsAggregator } from '../metrics/metrics-aggregator.ts';
import { JsonOutput } from '../summary/json-output.ts';
import type { VuOptions } from '../vu/vu-host.ts';
import type { ExecutionFacts } from '../vu/vu-services.ts';
import { createExecutorRuntime } from '../executors/executor-runtime.ts';
import { SharedIterationCounter } from '../executors/shared-iteration-counter.ts';
import { ArrivalRateHandOff } from '../executors/arrival-rate-hand-off.ts';
import { stopFlagOf } from './stop-flag.ts';
import { InstanceCounters } from './instance-counters.ts';
import { vuIdSource } from './vu-ids.ts';
import { globalVuIds, instanceTuple, workerTuple, type SegmentOptions } from './worker-tuple.ts';
import { VuPool } from './vu-pool.ts';
import { everySecondBoundary, type SecondBoundaryTimer } from './second-boundary-timer.ts';
import { buildVuServices, lockedFiles } from './vu-services-builder.ts';
import type { MainToWorker, WorkerInit, WorkerStatus, WorkerToMain } from './worker-protocol.ts';
import { SecretStore } from '../modules/secret-store.ts';
import { LogLineGate } from './log-back-pressure.ts';

const STATUS_INTERVAL_MS = 250;
/** Slack past a scenario's last graceful window before a VU stuck in a loop is interrupted from inside. */
const HARD_DEADLINE_SLACK_MS = 250;

export class WorkerRun {
  readonly #post: (m: WorkerToMain) => void;
  #init: WorkerInit | undefined;
  #pool: VuPool | undefined;
  #aggregator: MetricsAggregator | undefined;
  #json: JsonOutput | undefined;
  #runtimes: ExecutorRuntime[] = [];
  /** Names of the scenarios whose run() has returned in this thread. */
  readonly #ranOut = new Set<string>();
  #flushTimer: SecondBoundaryTimer | undefined;
  #testStart = 0;
  #runStart = 0;
  #started = false;
  #finished = false;

  constructor(post: (m: WorkerToMain) => void) {
    this.#post = post;
  }

  handle(msg: MainToWorker): void {
    switch (msg.type) {
      case 'init':
        void this.#start(msg.init);
        break;
      case 'start':
        this.#runStart = msg.runStart;
        void this.#run(msg.testStart, msg.setupData);
        break;
      case 'stop':
        this.#pool?.stopAll();
        // Stopped before the executors started (setup failed, or init of another worker did).
        if (!this.#started) void this.#finish();
        break;
    }
  }

  async #start(init: WorkerInit): Promise<void> {
    this.#post({ type: 'init-start' });
    this.#init = init;
    const registry = new MetricRegistry();
    const aggregator = new MetricsAggregator(registry);
    this.#aggregator = aggregator;
    if (init.jsonOut) {
      this.#json = new JsonOutput({
        write: (chunk) => this.#post({ type: 'output', chunk }),
        metrics: registry,
        next: aggregator,
        thresholds: init.jsonMetrics.thresholds,
        submetrics: init.jsonMetrics.submetrics,
      });
    }
    const stop = stopFlagOf(init.stopBuffer);
    const instance = new InstanceCounters(init.countersBuffer);
    const scenariosByName = new Map(init.scenarios.map((s) => [s.name, s]));
    const testOptions = init.testOptions;
    const facts: ExecutionFacts = {
      iterationsCompleted: () => instance.get('iterationsCompleted'),
      iterationsInterrupted: () => instance.get('iterationsInterrupted'),
      vusActive: () => instance.get('vusActive'),
      vusInitialized: () => instance.get('vusInitialized'),
      testStart: () => this.#testStart,
      runStart: () => this.#runStart,
      scenario: (name) => {
        const cfg = scenariosByName.get(name);
        const rt = this.#runtimes.find((r) => r.name === name);
        if (cfg === undefined) return undefined;
        return { executor: cfg.executor, startTime: this.#testStart + cfg.startTime, progress: rt?.progress().fraction ?? 0 };
      },
      testOptions: () => testOptions,
      // k6 cancels the run's context at once: this worker's VUs stop now (no iteration starts while
      // the main thread relays the stop), the others when its 'stop' arrives.
      abortTest: (message) => {
        this.#post({ type: 'abort-test', message });
        this.#pool?.stopAll();
      },
      failTest: (message) => this.#post({ type: 'fail-test', message }),
    };
    const logGate = new LogLineGate(init.logBuffer);
    const services = buildVuServices({
      factorySource: init.factorySource,
      filename: init.filename,
      trackRejections: init.trackRejections,
      rateBuffer: init.rateBuffer,
      scriptDir: init.scriptDir,
      options: init.options as VuOptions,
      env: init.env,
      runTags: init.runTags,
      samples: this.#json ?? aggregator,
      metrics: registry,
      log: {
        write: (level, msg, fields) => {
          logGate.beforePost();
          this.#post({ type: 'log', level, msg, ...(fields ? { fields } : {}) });
        },
      },
      files: lockedFiles(new Map(init.files.map(([p, b]) => [p, b])), new Map(init.failedFiles)),
      execution: facts,
      stop,
      secrets: new SecretStore(init.secrets, (value) => this.#post({ type: 'secret', value })),
      globalAlias: init.globalAlias,
      freezeEnv: init.freezeEnv,
      browserEnv: init.browserEnv,
      ...(init.keyLog ? { keyLog: (line: Buffer) => this.#post({ type: 'keylog', lines: line.toString('latin1') }) } : {}),
    });
    const pool = new VuPool(
      services, vuIdSource(init.vuIds, init.options as SegmentOptions, init.index, init.count), globalVuIds(init.options as SegmentOptions), instance,
      (scenario, executor) => this.#post({ type: 'out-of-vus', scenario, executor }),
    );
    this.#pool = pool;
    try {
      const tuple = workerTuple(init.options as SegmentOptions, init.index, init.count);
      const plan = buildExecutionPlan(init.scenarios, tuple);
      const instanceSegment = instanceTuple(init.options as SegmentOptions);
      this.#runtimes = init.scenarios.map((s, i) => {
        const handOff = init.handOffBuffers[i];
        return createExecutorRuntime(s, tuple, {
          ...(s.executor.endsWith('arrival-rate') ? {} : { iterations: { counter: new SharedIterationCounter(init.sharedItersBuffer, i), instance: instanceSegment } }),
          ...(handOff === undefined ? {} : { handOff: new ArrivalRateHandOff(handOff, init.index) }),
        });
      });
      await pool.initVus(plan.maxPlannedVUs);
      pool.unplannedBudget = plan.maxVUs - plan.maxPlannedVUs;
      this.#post({ type: 'ready', vus: plan.maxPlannedVUs });
    } catch (e) {
      // exec.test.abort() in the init code of a VU other than the first ends the run as a script abort
      // (108, "test aborted: …"), as in k6; any other init error fails it with a script exception.
      if (e instanceof ScriptAbort) this.#post({ type: 'abort-test', message: e.message });
      else if (e instanceof VuInitError) this.#post({ type: 'failed', phase: 'init', message: errorText(e.cause), abort: false, vuId: e.vuId });
      else this.#post({ type: 'failed', phase: 'init', message: errorText(e), abort: false });
    }
  }

  async #run(testStart: number, setupData: string | undefined): Promise<void> {
    const pool = this.#pool;
    const init = this.#init;
    if (pool === undefined || init === undefined || this.#finished) return;
    this.#started = true;
    this.#testStart = testStart;
    pool.testStart = testStart;
    const plan = buildExecutionPlan(init.scenarios, workerTuple(init.options as SegmentOptions, init.index, init.count));
    pool.setScenarios(init.scenarios.map((s) => ({
      name: s.name,
      executor: s.executor,
      env: s.env,
      tags: s.tags,
      hardDeadline: testStart + (plan.scenarios.find((p) => p.name === s.name)?.endOffsetMs ?? 0) + HARD_DEADLINE_SLACK_MS,
    })));
    pool.setSetupData(setupData);
    this.#flushTimer = everySecondBoundary(() => this.#flush(false));
    // Status (active VUs, progress) more often than metrics: the vus gauge needs the activated VUs
    // before the first full second, and the live progress display moves smoothly.
    setTimeout(() => this.#postStatus(), 20);
    const statusTimer = setInterval(() => this.#postStatus(), STATUS_INTERVAL_MS);
    try {
      await Promise.all(this.#runtimes.map(async (rt) => {
        await rt.run(pool);
        this.#ranOut.add(rt.name);
      }));
    } catch (e) {
      this.#post({ type: 'failed', phase: 'run', message: errorText(e), abort: true });
    } finally {
      this.#flushTimer?.stop();
      clearInterval(statusTimer);
      await this.#finish();
    }
  }

  async #finish(): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    await this.#pool?.close();
    // Unhandled rejections of the last iterations are reported after the microtask queue drains:
    // let them be logged before 'done', after which the main thread may end this thread.
    await new Promise((resolve) => setImmediate(resolve));
    this.#flush(true);
  }

  #status(): WorkerStatus {
    const pool = this.#pool;
    return {
      vusActive: pool?.counters.vusActive ?? 0,
      vusInitialized: pool?.counters.vusInitialized ?? 0,
      scenarios: this.#runtimes.map((rt) => ({ name: rt.name, ...rt.progress(), ...(this.#ranOut.has(rt.name) ? { done: true } : {}) })),
    };
  }

  #postStatus(): void {
    this.#post({ type: 'metrics', batches: [], status: this.#status() });
  }

  #flush(final: boolean): void {
    const agg = this.#aggregator;
    if (agg === undefined) return;
    this.#json?.flush();
    const batches = final ? agg.flushAll() : agg.flush(Date.now());
    this.#post({ type: final ? 'done' : 'metrics', batches, status: this.#status() });
  }
}

