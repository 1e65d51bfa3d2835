// The main thread's view of a run's worker threads: starting them with their segment, collecting
// their statuses, and stopping them in escalating steps (a `stop` message → the shared stop flag that
// VUs read inside loops → terminate), so a stuck worker never holds the run.
import { SHARED_ITERATION_SLOTS } from '../executors/shared-iteration-counter.ts';
import { createHandOffBuffer, handOffShares } from '../executors/arrival-rate-hand-off.ts';
import type { ScenarioConfig } from '../executors/executor-config.ts';
import { workerTuple, type SegmentOptions } from './worker-tuple.ts';
import { browserEnvOf } from '../browser/browser-env.ts';
import { insufficientVusWarning } from '../executors/executor-context.ts';
import type { MetricsBatch } from '../metrics/metrics-batch.ts';
import type { LogLevel } from '../vu/log-sink.ts';
import { errorText } from '../vu/error-text.ts';
import { SCRIPT_EXCEPTION_FIELDS, vuInitExceptionFields } from './exit-codes.ts';
import type { LoadedTestState } from './load-test.ts';
import { newStopBuffer, stopFlagOf } from './stop-flag.ts';
import { vuIdSchemes } from './vu-ids.ts';
import { stuckWorkers } from './stuck-workers.ts';
import { WorkerHandle } from './worker-handle.ts';
import type { WorkerStatus, WorkerToMain } from './worker-protocol.ts';
import type { ScenarioProgress } from './test-run.ts';
import { leadingPart, mergeProgressRight } from './progress-merge.ts';
import type { SecretRedactor } from './secret-redactor.ts';
import { jsonMetricDescriptions } from '../summary/json-output.ts';
import { logLineWritten, newLogBackPressureBuffer } from './log-back-pressure.ts';

/** After a stop, how long workers get to finish before the stop flag is raised; then stuck ones are terminated. */
const STOP_FLAG_AFTER_MS = 1000;
/** How often, after the stop flag, workers are checked for being stuck (see stuck-workers.ts). */
const STUCK_CHECK_MS = 500;

export interface FleetEvents {
  batches(batches: readonly MetricsBatch[]): void;
  log(level: LogLevel, msg: string, fields?: Readonly<Record<string, string>>): void;
  /** A worker could not initialise its VUs (script error in init), or crashed. */
  /** A worker could not start; `fields` are the log fields of a script exception in a VU's init. */
  failed(message: string, fields?: Readonly<Record<string, string>>): void;
  abortTest(message: string): void;
  failTest(message: string): void;
  output(chunk: string): void;
  /** The first worker thread is up and begins its VUs' init (once). */
  initStarted(): void;
}

interface Member {
  readonly handle: WorkerHandle;
  /** Its log lines not written yet (log-back-pressure.ts). */
  readonly logBuffer: SharedArrayBuffer;
  status: WorkerStatus | undefined;
  ready: boolean;
  done: boolean;
  /** Epoch ms of its last message. */
  heardAt: number;
}

export class WorkerFleet {
  /** True when every worker initialised its VUs; false when the run was stopped first. */
  readonly ready: Promise<boolean>;
  /** Every worker reported `done` (or was terminated). */
  readonly done: Promise<void>;
  readonly #members: Member[] = [];
  readonly #events: FleetEvents;
  readonly #log: (level: LogLevel, msg: string) => void;
  readonly #stopFlag: ReturnType<typeof stopFlagOf>;
  readonly #redactor: SecretRedactor;
  readonly #keyLog: { write(s: string): void } | undefined;
  readonly #timers: Array<ReturnType<typeof setTimeout>> = [];
  readonly #intervals: Array<ReturnType<typeof setInterval>> = [];
  #resolveReady: (ok: boolean) => void = () => undefined;
  #resolveDone: () => void = () => undefined;
  #stopping = false;
  #initStarted = false;
  /** Scenarios whose "Insufficient VUs" warning was logged. */
  readonly #outOfVus = new Set<string>();
  /** Each scenario's maxVUs for the instance (the plan's). */
  readonly #maxVUs: ReadonlyMap<string, number>;

  constructor(t: LoadedTestState, events: FleetEvents) {
    this.#events = events;
    this.#maxVUs = new Map(t.plan.scenarios.map((s) => [s.name, s.maxVUs]));
    this.#redactor = t.redactor;
    this.#keyLog = t.keyLog;
    this.#log = (level, msg) => events.log(level, msg);
    this.ready = new Promise((r) => (this.#resolveReady = r));
    this.done = new Promise((r) => (this.#resolveDone = r));
    const stopBuffer = newStopBuffer();
    const sharedItersBuffer = new SharedArrayBuffer(4 * SHARED_ITERATION_SLOTS * Math.max(1, t.scenarios.length));
    this.#stopFlag = stopFlagOf(stopBuffer);
    const count = t.workers;
    const handOffBuffers = arrivalRateHandOffBuffers(t.scenarios, t.options as SegmentOptions, count);
    const files = [...t.mainScript.files.opened.entries()];
    const vuIds = vuIdSchemes(t.scenarios, t.options, count);
    for (let index = 0; index < count; index++) {
      const logBuffer = newLogBackPressureBuffer();
      const member: Member = {
        logBuffer,
        handle: new WorkerHandle(
          {
            index,
            count,
            factorySource: t.compiled.factorySource,
            globalAlias: t.globalAlias,
            freezeEnv: t.freezeEnv,
            filename: t.compiled.filename,
            trackRejections: t.compiled.usesPromises,
            scriptDir: t.mainScript.scriptDir,
            files,
            failedFiles: [...t.mainScript.files.failed.entries()],
            options: t.options as unknown as Record<string, unknown>,
            scenarios: t.scenarios,
            testOptions: t.testOptions,
            env: t.env,
            runTags: t.runTags,
            vuIds: vuIds[index] ?? { striped: false, first: 1 },
            stopBuffer,
            logBuffer,
            jsonOut: t.flags.jsonOut !== undefined || t.csv !== undefined || t.sampleOutputs.length > 0,
            jsonMetrics: jsonMetricDescriptions(t.options, t.summaryMode !== 'disabled'),
            countersBuffer: t.instance.buffer,
            rateBuffer: t.rateBuffer,
            sharedItersBuffer,
            handOffBuffers,
            secrets: t.secrets,
            keyLog: t.keyLog !== undefined,
            browserEnv: browserEnvOf(t.io.env),
          },
          (i, m) => this.#onMessage(i, m),
          (i, e) => this.#onCrash(i, e),
        ),
        status: undefined,
        ready: false,
        done: false,
        heardAt: Date.now(),
      };
      this.#members.push(member);
    }
  }

  start(testStart: number, runStart: number, setupData: string | undefined): void {
    for (const m of this.#members) m.handle.send({ type: 'start', testStart, runStart, setupData });
  }

  /** Graceful first (iterations interrupted by the executors), then harder for a worker stuck in a loop. */
  stop(): void {
    this.#resolveReady(false);
    if (this.#stopping) return;
    this.#stopping = true;
    for (const m of this.#members) m.handle.send({ type: 'stop' });
    const stoppedAt = Date.now();
    this.#timers.push(setTimeout(() => {
      this.#stopFlag.raise();
      const check = setInterval(() => {
        for (const i of stuckWorkers(this.#members, stoppedAt, Date.now())) {
          const m = this.#members[i] as Member;
          this.#log('warn', `worker ${m.handle.index} did not stop in time; terminating it (its last second of metrics is lost)`);
          m.done = true;
          void m.handle.terminate();
        }
        if (this.#members.every((m) => m.done)) clearInterval(check);
        this.#checkDone();
      }, STUCK_CHECK_MS);
      this.#intervals.push(check);
    }, STOP_FLAG_AFTER_MS));
  }

  async close(): Promise<void> {
    for (const tm of this.#timers) clearTimeout(tm);
    for (const iv of this.#intervals) clearInterval(iv);
    await Promise.all(this.#members.map((m) => m.handle.terminate()));
  }

  totals(): { active: number; initialized: number } {
    let active = 0;
    let initialized = 0;
    for (const m of this.#members) {
      active += m.status?.vusActive ?? 0;
      initialized += m.status?.vusInitialized ?? 0;
    }
    return { active, initialized };
  }

  /**
   * Per-scenario progress summed over the workers (the fraction is the leading worker's, by
   * leadingPart), with k6's right-hand fragments of the whole instance (`progress-merge.ts`).
   */
  scenarios(): Map<string, ScenarioProgress> {
    const byName = new Map<string, ScenarioProgress>();
    const shares = new Map<string, ScenarioProgress[]>();
    for (const m of this.#members) {
      for (const s of m.status?.scenarios ?? []) {
        const list = shares.get(s.name);
        if (list === undefined) shares.set(s.name, [s]);
        else list.push(s);
        const prev = byName.get(s.name);
        byName.set(s.name, prev === undefined ? s : {
          name: s.name,
          fraction: s.fraction,
          vus: prev.vus + s.vus,
          iterations: prev.iterations + s.iterations,
          interrupted: prev.interrupted + s.interrupted,
          dropped: prev.dropped + s.dropped,
          text: prev.text,
        });
      }
    }
    for (const [name, parts] of shares) {
      const s = byName.get(name);
      if (s === undefined) continue;
      const lead = leadingPart(parts);
      const merged = { ...s, fraction: parts[lead]?.fraction ?? s.fraction };
      const withRight = parts.filter((p) => p.right !== undefined);
      if (withRight.length >= 2) {
        // The times beside the bar are the leading thread's, as its fraction is.
        const right = mergeProgressRight(withRight.map((p) => p.right ?? []), Math.max(withRight.indexOf(parts[lead] ?? s), 0));
        byName.set(name, { ...merged, right, text: right.join('  ') });
      } else byName.set(name, merged);
    }
    return byName;
  }

  #onMessage(index: number, msg: WorkerToMain): void {
    const m = this.#members[index];
    if (m === undefined) return;
    m.heardAt = Date.now();
    switch (msg.type) {
      case 'init-start':
        if (!this.#initStarted) this.#events.initStarted();
        this.#initStarted = true;
        break;
      case 'ready':
        m.ready = true;
        if (this.#members.every((x) => x.ready)) this.#resolveReady(true);
        break;
      case 'failed':
        if (msg.phase === 'init') this.#events.failed(msg.message, msg.vuId === undefined ? SCRIPT_EXCEPTION_FIELDS : vuInitExceptionFields(msg.vuId));
        else this.#log('error', msg.message);
        break;
      case 'metrics':
      case 'done':
        m.status = msg.status;
        this.#events.batches(msg.batches);
        if (msg.type === 'done') {
          m.done = true;
          this.#checkDone();
        }
        break;
      case 'log':
        this.#events.log(msg.level, msg.msg, msg.fields);
        logLineWritten(m.logBuffer);
        break;
      case 'abort-test':
        this.#events.abortTest(msg.message);
        break;
      case 'fail-test':
        this.#events.failTest(msg.message);
        break;
      case 'out-of-vus': {
        // k6 warns once per scenario, with the scenario's maxVUs: the first worker out of VUs speaks for all.
        if (this.#outOfVus.has(msg.scenario)) break;
        this.#outOfVus.add(msg.scenario);
        const maxVUs = this.#maxVUs.get(msg.scenario) ?? 0;
        this.#events.log('warn', insufficientVusWarning(maxVUs), { executor: msg.executor, scenario: msg.scenario });
        break;
      }
      case 'output':
        this.#events.output(msg.chunk);
        break;
      case 'secret':
        this.#redactor.add(msg.value);
        break;
      case 'keylog':
        this.#keyLog?.write(msg.lines);
        break;
    }
  }

  #onCrash(index: number, e: Error): void {
    const m = this.#members[index];
    if (m !== undefined) {
      m.done = true;
      m.ready = true;
    }
    this.#events.failed(`worker ${index} crashed: ${errorText(e)}`);
    this.#checkDone();
  }

  #checkDone(): void {
    if (this.#members.every((m) => m.done)) this.#resolveDone();
  }
}

/** Each arrival-rate scenario's hand-off buffer for `count` workers (arrival-rate-hand-off.ts), by scenario index. */
function arrivalRateHandOffBuffers(scenarios: readonly ScenarioConfig[], options: SegmentOptions, count: number): Array<SharedArrayBuffer | undefined> {
  if (count < 2) return scenarios.map(() => undefined);
  const tuples = Array.from({ length: count }, (_, i) => workerTuple(options, i, count));
  return scenarios.map((s) => (s.executor === 'constant-arrival-rate' || s.executor === 'ramping-arrival-rate'
    ? createHandOffBuffer(handOffShares(s, tuples))
    : undefined));
}
