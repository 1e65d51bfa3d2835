// ExecutorContext over one worker's VUs: the executors of the worker's segment acquire, run and release
// these VUs; the pool counts what k6/execution's `instance` reports and emits dropped_iterations.
import { performance } from 'node:perf_hooks';
import { insufficientVusWarning } from '../executors/executor-context.ts';
import type {
  ExecutorContext, ExecutorVu, IterationOutcome, IterationRequest, IterationTally,
} from '../executors/executor-context.ts';
import type { IterationEnd, ScenarioActivation } from '../vu/vu.ts';
import { Vu } from '../vu/vu.ts';
import { pause } from '../vu/signal-watch.ts';
import { ScriptAbort } from '../vu/interrupt.ts';
import { VuInitError } from './vu-init-error.ts';
import { errorText } from '../vu/error-text.ts';
import { systemTagEnabled } from '../vu/system-tags.ts';
import { InstanceCounters } from './instance-counters.ts';
import type { VuServices } from '../vu/vu-services.ts';
import { FifoQueue } from './fifo-queue.ts';

const MACROTASK_EVERY_MS = 20;

export interface PoolCounters {
  iterationsCompleted: number;
  iterationsInterrupted: number;
  vusActive: number;
  vusInitialized: number;
}

export class VuPool implements ExecutorContext, IterationEnd<IterationTally | undefined> {
  readonly counters: PoolCounters = { iterationsCompleted: 0, iterationsInterrupted: 0, vusActive: 0, vusInitialized: 0 };
  readonly #svc: VuServices;
  readonly #onOutOfVus: ((scenario: string, executor: string, maxVUs: number) => void) | undefined;
  readonly #idle = new FifoQueue<Vu>();
  readonly #all: Vu[] = [];
  readonly #byHandle = new WeakMap<ExecutorVu, Vu>();
  readonly #waiting: Array<(vu: Vu) => void> = [];
  readonly #ac = new AbortController();
  /** stopAll() was called (a flag: `signal.aborted` costs a brand check on every iteration). */
  #stopped = false;
  readonly #nextId: () => number;
  #scenarios = new Map<string, ScenarioActivation>();
  #setupData: string | undefined;
  #lastMacrotask = performance.now();
  #nextTurn: Promise<void> | undefined;
  readonly #idInTest: (id: number) => number;
  /** The same counts summed over every worker of the instance (k6/execution's `instance`). */
  readonly #instance: InstanceCounters;
  /** The `scenario` system tag is on: dropped_iterations carry it (k6's getMetricTags). */
  readonly #tagScenario: boolean;
  /** The `vu` system tag is on: per-vu-iterations' dropped_iterations carry the VU's id as a tag (k6 getMetricTags). */
  readonly #tagVu: boolean;
  testStart = 0;
  readonly now = Date.now;

  /**
   * `nextId` gives the ids of this pool's VUs in the order they are initialised (unique across the
   * workers of the instance: run/vu-ids.ts); `idInTest` maps them to ids unique across instances.
   */
  constructor(
    svc: VuServices, nextId: () => number, idInTest: (id: number) => number = (id) => id, instance: InstanceCounters = new InstanceCounters(),
    /** Where a scenario's running out of VUs goes when other threads share it; else it is logged here. */
    onOutOfVus?: (scenario: string, executor: string, maxVUs: number) => void,
  ) {
    this.#svc = svc;
    this.#onOutOfVus = onOutOfVus;
    this.#instance = instance;
    this.#nextId = nextId;
    this.#idInTest = idInTest;
    this.#tagScenario = systemTagEnabled(svc.options, 'scenario');
    this.#tagVu = systemTagEnabled(svc.options, 'vu');
  }

  get signal(): AbortSignal {
    return this.#ac.signal;
  }

  get vus(): readonly Vu[] {
    return this.#all;
  }

  /** Stops every executor of this worker: iterations are interrupted at once. */
  stopAll(): void {
    this.#stopped = true;
    this.#ac.abort();
    for (const vu of this.#all) vu.interrupt('aborted');
  }

  /**
   * Initialises `count` VUs before the test starts. Throws the first init error: a VuInitError naming
   * the VU, or the ScriptAbort of an exec.test.abort().
   */
  async initVus(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const id = this.#nextId();
      try {
        this.#idle.push(await this.#newVu(id));
      } catch (e) {
        throw e instanceof ScriptAbort ? e : new VuInitError(this.#idInTest(id), e);
      }
    }
  }

  setScenarios(scenarios: Iterable<ScenarioActivation>): void {
    this.#scenarios = new Map([...scenarios].map((s) => [s.name, s]));
  }

  setSetupData(json: string | undefined): void {
    this.#setupData = json;
    for (const vu of this.#all) vu.setSetupData(json);
  }

  acquireVu(): Promise<ExecutorVu> {
    const vu = this.#idle.shift();
    if (vu !== undefined) return Promise.resolve(vu);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /**
   * VUs this worker may still initialise during the run: its plan's max possible VUs less the planned
   * ones (k6's uninitializedUnplannedVUs). Unlimited until set.
   */
  unplannedBudget = Number.POSITIVE_INFINITY;

  async initUnplannedVu(): Promise<ExecutorVu | undefined> {
    // k6 GetUnplannedVU: past the budget, reuse a VU another scenario has released.
    if (this.unplannedBudget <= 0) return this.#idle.shift();
    this.unplannedBudget--;
    const vu = await this.#newVu();
    vu.setSetupData(this.#setupData);
    return vu;
  }

  outOfVus(scenario: string, executor: string, maxVUs: number): void {
    if (this.#onOutOfVus !== undefined) this.#onOutOfVus(scenario, executor, maxVUs);
    else this.#svc.log.write('warn', insufficientVusWarning(maxVUs), { executor, scenario });
  }

  unplannedVuFailed(err: unknown, fields: Readonly<Record<string, string>>): boolean {
    // exec.test.abort() in the init code aborts the test instead.
    if (err instanceof ScriptAbort) return false;
    this.#svc.log.write('error', 'Error while allocating unplanned VU', { error: errorText(err), ...fields });
    return true;
  }

  releaseVu(handle: ExecutorVu): void {
    const vu = this.#byHandle.get(handle);
    if (vu === undefined) return;
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) waiter(vu);
    else this.#idle.push(vu);
  }

  /**
   * Not an async function: the VU's own runIteration() calls back iterationEnded() before it resolves,
   * so the pool adds no promise and no microtask turns of its own to every iteration.
   */
  runIteration(handle: ExecutorVu, req: IterationRequest, interrupt: AbortSignal, tally?: IterationTally): Promise<IterationOutcome> {
    const vu = this.#byHandle.get(handle);
    if (vu === undefined) return Promise.reject(new Error(`unknown VU ${handle.id}`));
    if (vu.scenario?.name !== req.scenario) {
      const activation = this.#scenarios.get(req.scenario) ?? { name: req.scenario, executor: '', env: {}, tags: {} };
      vu.activate(activation);
    }
    // A stop of the whole pool interrupts every VU directly (stopAll), so only `interrupt` is watched.
    if (this.#stopped) return this.#skipped(tally);
    return vu.runIteration(req, interrupt, this, tally);
  }

  async #skipped(tally: IterationTally | undefined): Promise<IterationOutcome> {
    await this.iterationEnded('interrupted', tally);
    return 'interrupted';
  }

  /** Counts an iteration that ended; a promise when the VU must first let a macrotask turn pass. */
  iterationEnded(outcome: IterationOutcome, tally: IterationTally | undefined): Promise<void> | undefined {
    if (outcome === 'full') this.counters.iterationsCompleted++;
    else this.counters.iterationsInterrupted++;
    this.#instance.add(outcome === 'full' ? 'iterationsCompleted' : 'iterationsInterrupted', 1);
    tally?.count(outcome);
    // Iterations that never wait for I/O (an empty function, a loop interrupted from inside) chain
    // through microtasks only; without a macrotask turn the executors' timers and the metric flush
    // would starve.
    if (outcome === 'interrupted' || performance.now() - this.#lastMacrotask > MACROTASK_EVERY_MS) {
      return this.#macrotaskTurn();
    }
    return undefined;
  }

  /**
   * Resolves in the next macrotask turn. Every VU that finishes an iteration before that turn waits
   * for the same one: one setImmediate and one promise per turn, not per VU (with 1,000 VUs, dozens
   * of iterations end within the turn that crosses the 20 ms mark).
   */
  #macrotaskTurn(): Promise<void> {
    this.#nextTurn ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        this.#nextTurn = undefined;
        this.#lastMacrotask = performance.now();
        resolve();
      });
    });
    return this.#nextTurn;
  }

  onDropped(count: number, tags: Readonly<Record<string, string>>, vuId?: number): void {
    if (count <= 0) return;
    const all: Record<string, string> = { ...this.#svc.runTags, ...tags };
    if (!this.#tagScenario) delete all.scenario;
    if (vuId !== undefined && this.#tagVu) all.vu = String(vuId);
    this.#svc.samples.add('dropped_iterations', all, count);
  }

  onActiveVus(delta: number): void {
    this.counters.vusActive = Math.max(0, this.counters.vusActive + delta);
    this.#instance.add('vusActive', delta);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return pause(ms, signal);
  }

  async close(): Promise<void> {
    for (const vu of this.#all) await vu.close();
  }

  async #newVu(id = this.#nextId()): Promise<Vu> {
    const vu = new Vu(this.#svc, id, this.#idInTest(id));
    await vu.init();
    this.#all.push(vu);
    this.#byHandle.set(vu, vu);
    this.counters.vusInitialized++;
    this.#instance.add('vusInitialized', 1);
    return vu;
  }
}
