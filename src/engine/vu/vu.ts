// One VU: its own instance of the script's module state (the factory called once), its `__rt`, its
// event loop, and the runner of its calls (init, iterations, setup/teardown/handleSummary).
//
// Invariants:
// - At most one call (init, iteration or lifecycle function) runs at a time; each gets a fresh
//   AbortController whose signal is `host.signal`. Aborting it makes every blocking call of the VU
//   reject with a VuInterrupt and `tick()` throw, so the call unwinds through the script.
// - A call ends when its function settled and the VU's event loop is idle (k6's rule).
import { performance } from 'node:perf_hooks';
import { parseDuration } from '../../core/index.ts';
import { isBlocking, markBlocking, isThenable } from './blocking.ts';
import { unboxReturned } from './returned-thenable.ts';
import { errorText } from './error-text.ts';
import { interruptText } from './exception-text.ts';
import { ScriptAbort, VuInterrupt, type InterruptCause } from './interrupt.ts';
import { createScriptRuntime } from './script-runtime.ts';
import { seededRandom } from './seeded-random.ts';
import { systemTagEnabled } from './system-tags.ts';
import { pause, watchSignal } from './signal-watch.ts';
import { PromiseScope, enterScope, leaveScope } from './promise-owners.ts';
import { UncaughtRejection } from './uncaught-rejection.ts';
import { VuEventLoop } from './vu-event-loop.ts';
import { goError } from './go-error.ts';
import { unresolvableName } from './unresolvable-module.ts';
import { createVuModule, loadVuModules, needsLoading, supportedModules } from './vu-modules.ts';
import type { ScriptNamespace } from './script-realm.ts';
import type { SampleSink, Tags, VuHost, VuLogger, VuState } from './vu-host.ts';
import type { VuServices } from './vu-services.ts';

export type VuPhase = VuState['phase'];

export interface ScenarioActivation {
  readonly name: string;
  readonly executor: string;
  readonly env: Readonly<Record<string, string>>;
  readonly tags: Tags;
  /** Epoch ms after which a VU stuck in a loop is interrupted even if its worker cannot run timers. */
  readonly hardDeadline?: number;
}

export interface IterationCall {
  readonly exec: string;
  readonly iterationInScenario: number;
  readonly iterationInTest: number;
}

/**
 * Told the outcome as an iteration ends, before runIteration() resolves (the pool's counters); a
 * returned promise is awaited first. It lets the pool count without an async layer of its own around
 * every iteration. `token` is handed back as given (the scenario's tally).
 */
export interface IterationEnd<T> {
  iterationEnded(outcome: 'full' | 'interrupted', token: T): Promise<void> | undefined;
}

/** The ids and counters k6/execution reads from a VU. */
export interface VuExecutionView {
  readonly id: number;
  readonly idInTest: number;
  readonly iteration: number;
  readonly iterationInScenario: number;
  readonly iterationInTest: number;
  readonly phase: VuPhase;
  readonly scenario: ScenarioActivation | undefined;
  readonly customTags: Record<string, string>;
  readonly metadata: Record<string, string>;
  /**
   * The `vu` and `iter` system tags while they are on (k6 keeps them as sample metadata, never as
   * indexed tags): `vu` from the VU's activation, `iter` the current iteration ("0" in setup and teardown).
   */
  readonly systemMetadata: Readonly<Record<string, string>>;
  invalidateTags(): void;
  /** `metadata` changed: later samples carry the new metadata. */
  invalidateMetadata(): void;
}

const TICK_CHECK_MASK = 0x3ff;

export class Vu implements VuExecutionView {
  readonly id: number;
  readonly idInTest: number;
  readonly host: VuHost;
  readonly rt: Record<string, unknown>;
  readonly loop = new VuEventLoop();
  readonly customTags: Record<string, string> = {};
  readonly metadata: Record<string, string> = {};
  readonly systemMetadata: Record<string, string> = {};

  #svc: VuServices;
  #phase: VuPhase = 'init';
  #group = '';
  #scenario: ScenarioActivation | undefined;
  #iteration = -1;
  #iterationInScenario = -1;
  #iterationInTest = -1;
  #tags: Tags | undefined;
  /** Where this VU's samples go: svc.samples, or a sink adding `metadata` while it is not empty. */
  #sink: SampleSink;
  readonly #hostWithSink: { samples: SampleSink };
  /** The `scenario` and `group` system tags are on (the `systemTags` option, read once). */
  readonly #tagScenario: boolean;
  readonly #tagGroup: boolean;
  /** The `vu` and `iter` system tags are on: samples carry them as metadata (read once; off by default). */
  readonly #metaVu: boolean;
  readonly #metaIter: boolean;
  #ac = new AbortController();
  #acFired = false;
  /** Rejecters of the blocking calls and waits of the current call, rejected on interrupt. */
  #waiting = new Set<(e: unknown) => void>();
  #interruptCause: InterruptCause | undefined;
  #ticks = 0;
  #hardDeadline = Number.POSITIVE_INFINITY;
  #random: (() => number) | undefined;
  #setIter: ((v: number) => void) | undefined;
  #setEnv: ((env: Record<string, string>) => void) | undefined;
  #namespace: ScriptNamespace | undefined;
  /** The run's options were written into the script's exported `options` (once they are known). */
  #optionsWritten = false;
  #modules = new Map<string, unknown>();
  /** Exported functions by name (namespace exports are getters: read once). */
  #functions = new Map<string, (...args: unknown[]) => unknown>();
  #env: Record<string, string>;
  #scenarioEnvApplied = false;
  #data: unknown;
  #onStart: Array<() => void | Promise<void>> = [];
  #onEnd: Array<() => void | Promise<void>> = [];
  #onClose: Array<() => void | Promise<void>> = [];
  readonly #minIterationMs: number;
  /**
   * The samples after a full iteration (k6's order, runner_test TestVUIntegrationMetrics: the dialer's
   * bytes, then iteration_duration and iterations), and
   * after any other call, reused: the sink folds them synchronously and keeps no reference.
   */
  readonly #iterationSamples: [[string, number], [string, number], [string, number], [string, number]] = [
    ['data_sent', 0], ['data_received', 0], ['iteration_duration', 0], ['iterations', 1],
  ];
  readonly #dataSamples: [[string, number], [string, number]] = [['data_sent', 0], ['data_received', 0]];
  /** Bytes the VU's sockets moved since the last data_sent/data_received pair (VuHost.countBytes). */
  #bytesSent = 0;
  #bytesReceived = 0;
  /** The interrupt signal this VU listens to (one listener kept across iterations, not one per iteration). */
  #watched: AbortSignal | undefined;
  #unwatch: (() => void) | undefined;
  /** True while an iteration's function runs: only then does the watched signal interrupt the VU. */
  #iterating = false;
  readonly #onInterruptSignal = (): void => {
    if (this.#iterating) this.#interrupt('interrupted');
  };
  /** Set when the script uses promises: attributes its unhandled rejections to this VU. */
  readonly #scope: PromiseScope | undefined;
  readonly #hookFailed = (e: unknown): void => this.#svc.log.write('error', `a module's per-call hook failed: ${errorText(e)}`);

  constructor(svc: VuServices, id: number, idInTest: number) {
    this.#svc = svc;
    this.id = id;
    this.idInTest = idInTest;
    this.#env = this.#newEnv(undefined);
    this.#sink = svc.samples;
    this.#minIterationMs = minIterationMs(svc.options);
    this.#tagScenario = systemTagEnabled(svc.options, 'scenario');
    this.#tagGroup = systemTagEnabled(svc.options, 'group');
    this.#metaVu = systemTagEnabled(svc.options, 'vu');
    this.#metaIter = systemTagEnabled(svc.options, 'iter');
    const host = this.#makeHost();
    this.host = host;
    this.#hostWithSink = host;
    this.rt = this.#makeRuntime();
    if (svc.trackRejections === true) {
      this.#scope = new PromiseScope(svc.realm.Promise, (reason) => this.#rejected(reason));
      this.loop.scope = this.#scope;
    }
    // A timer callback (k6/timers, k6/websockets events) is this VU's code: with randomSeed() in some
    // VU of the realm, Math.random must follow this VU's sequence while it runs.
    this.loop.beforeCallback = () => {
      if (this.#svc.realm.seeded) this.#svc.realm.setCurrentRandom(this.#random);
    };
  }

  get phase(): VuPhase {
    return this.#phase;
  }
  get iteration(): number {
    return this.#iteration;
  }
  get iterationInScenario(): number {
    return this.#iterationInScenario;
  }
  get iterationInTest(): number {
    return this.#iterationInTest;
  }
  get scenario(): ScenarioActivation | undefined {
    return this.#scenario;
  }
  get groupPath(): string {
    return this.#group;
  }
  /** The script's exports (after init). */
  get exports(): ScriptNamespace {
    if (this.#namespace === undefined) throw new Error('VU is not initialised');
    return this.#namespace;
  }

  invalidateTags(): void {
    this.#tags = undefined;
  }

  invalidateMetadata(): void {
    const svc = this.#svc;
    // The script's keys win over the system ones, as k6's SetMetadata on the same map does.
    const sink = svc.samples.withMetadata !== undefined && (Object.keys(this.metadata).length > 0 || Object.keys(this.systemMetadata).length > 0)
      ? svc.samples.withMetadata({ ...this.systemMetadata, ...this.metadata })
      : svc.samples;
    this.#sink = sink;
    this.#hostWithSink.samples = sink;
  }

  /** Sets the group path for the duration of a group() call; returns the previous one. */
  enterGroup(path: string): string {
    const prev = this.#group;
    this.#group = path;
    this.#tags = undefined;
    return prev;
  }

  setRandomSeed(seed: number): void {
    this.#random = seededRandom(seed);
    this.#svc.realm.setCurrentRandom(this.#random);
  }

  /** Runs the init context: the factory, then the VU's event loop until idle. */
  async init(): Promise<void> {
    this.#phase = 'init';
    await loadVuModules(this.#svc.optionalModules);
    const ns = await this.#call(() => this.#svc.factory(this.rt));
    if (ns === null || typeof ns !== 'object') throw new TypeError('the compiled script returned no module namespace');
    this.#namespace = ns as ScriptNamespace;
    this.#phase = 'vu';
  }

  /**
   * k6 (bundle.go manipulateOptions, runner_test TestOptionsSettingToScript): every VU's exported
   * `options` object gets the run's consolidated options that are set (flags, environment, config
   * file included), so `options.teardownTimeout` reads "4s" after `K6_TEARDOWN_TIMEOUT=4s`; the
   * script's other keys stay. Done before the VU's first call, once the options are known (the VU
   * that read the options ran its init code before they were consolidated).
   */
  #writeRunOptions(): void {
    const run = this.#svc.execution.testOptions();
    if (run === null || typeof run !== 'object') return;
    const set = Object.entries(run as Record<string, unknown>).filter(([, v]) => isSpecified(v));
    if (set.length === 0) return;
    this.#optionsWritten = true;
    const target = this.#namespace?.options;
    if (target === null || typeof target !== 'object') return;
    const values = this.#svc.realm.parseJson(JSON.stringify(Object.fromEntries(set))) as Record<string, unknown>;
    for (const [key, value] of Object.entries(values)) {
      try {
        (target as Record<string, unknown>)[key] = value;
      } catch {
        // A frozen options object keeps its values.
      }
    }
  }

  /** setup data as JSON (or undefined); parsed once per VU in the script realm, as k6 does. */
  setSetupData(json: string | undefined): void {
    this.#data = json === undefined ? undefined : this.#svc.realm.parseJson(json);
  }

  /** `__ENV` as the script sees it now (the scenario's env over the base env). */
  get env(): Readonly<Record<string, string>> {
    return this.#env;
  }

  activate(scenario: ScenarioActivation): void {
    this.#scenario = scenario;
    this.#hardDeadline = scenario.hardDeadline ?? Number.POSITIVE_INFINITY;
    // A scenario with an env of its own gets a new __ENV (base env + the scenario's), and the next
    // scenario a new base env. k6's Activate makes a new copy of the base env on every activation, so
    // its VU code never sees writes the init code made (k6 issue #1722); here a VU keeps its init
    // __ENV, writes included, until a scenario env replaces it (test/scripts/compat/README.md).
    const hasEnv = Object.keys(scenario.env).length > 0;
    if (hasEnv || this.#scenarioEnvApplied) {
      this.#env = this.#newEnv(hasEnv ? scenario.env : undefined);
      this.#setEnv?.(this.#env);
    }
    this.#scenarioEnvApplied = hasEnv;
    // k6 VU.Activate: tags and metadata set through exec.vu do not survive into another scenario.
    for (const k of Object.keys(this.customTags)) delete this.customTags[k];
    // It then sets `vu` and `iter` (the VU's last iteration, -1 before its first) when they are on.
    const systemMeta = this.#metaVu || this.#metaIter;
    if (systemMeta) this.#setSystemMetadata(this.#metaVu ? String(this.id) : undefined, this.#iteration);
    if (systemMeta || Object.keys(this.metadata).length > 0) {
      for (const k of Object.keys(this.metadata)) delete this.metadata[k];
      this.invalidateMetadata();
    }
    this.#tags = undefined;
  }

  /** Sets the `vu` (when given) and `iter` system metadata; the caller calls invalidateMetadata(). */
  #setSystemMetadata(vu: string | undefined, iteration: number): void {
    const m = this.systemMetadata;
    for (const k of Object.keys(m)) delete m[k];
    if (vu !== undefined) m.vu = vu;
    if (this.#metaIter) m.iter = String(iteration);
  }

  /**
   * One iteration of `call.exec`. 'full' when the function ended on its own (even by throwing, which is
   * logged); 'interrupted' when `interrupt` fired first, or the script aborted the test.
   */
  async runIteration<T>(call: IterationCall, interrupt: AbortSignal, end?: IterationEnd<T>, token?: T): Promise<'full' | 'interrupted'> {
    const svc = this.#svc;
    if (!this.#optionsWritten) this.#writeRunOptions();
    this.#phase = 'vu';
    this.#iteration++;
    this.#iterationInScenario = call.iterationInScenario;
    this.#iterationInTest = call.iterationInTest;
    this.#setIter?.(this.#iteration);
    if (this.#metaIter) {
      // k6 runFn: every sample of the iteration carries it (a sink per iteration only with `iter` on).
      this.systemMetadata.iter = String(this.#iteration);
      this.invalidateMetadata();
    }
    this.#svc.realm.setCurrentRandom(this.#random);
    const starting = this.#runStartHooks();
    if (starting !== undefined) await untilAborted(starting, interrupt);
    if (interrupt.aborted) {
      const turn = end?.iterationEnded('interrupted', token as T);
      if (turn !== undefined) await turn;
      return 'interrupted';
    }
    if (interrupt !== this.#watched) {
      this.#unwatch?.();
      this.#watched = interrupt;
      this.#unwatch = watchSignal(interrupt, this.#onInterruptSignal);
    }
    const min = this.#minIterationMs;
    const started = performance.now();
    const startedEpoch = min > 0 ? svc.now() : 0;
    let outcome: 'full' | 'interrupted' = 'full';
    this.#iterating = true;
    try {
      // #call inlined: one async function less per iteration.
      const fn = this.#exported(call.exec);
      this.#beginCall();
      try {
        const scope = this.#scope;
        const result = scope === undefined ? fn(this.#data) : this.#inScope(scope, fn, [this.#data]);
        if (isThenable(result)) {
          // A function that blocked and then returned a promise gives that promise (returned-thenable.ts).
          const value = isBlocking(result) ? unboxReturned(await result) : result;
          if (isThenable(value)) await this.#untilInterrupted(Promise.resolve(value));
        }
        if (!this.loop.isIdle) await this.#untilInterrupted(this.loop.idle());
        if (scope !== undefined && scope.created > 0) await this.#rejectionsReported();
      } catch (e) {
        throw this.#callFailed(e);
      }
    } catch (e) {
      if (e instanceof ScriptAbort) {
        // k6 sets the abort's reason to sobek's InterruptedError.Error(): the calling frame after it.
        svc.execution.abortTest(interruptText(e));
        outcome = 'interrupted';
      } else if (e instanceof VuInterrupt || this.#interruptCause !== undefined) {
        outcome = 'interrupted';
      } else {
        this.#logException(e);
      }
    } finally {
      this.#iterating = false;
    }
    const durationMs = performance.now() - started;
    const hooksDone = this.#runEndHooks();
    if (hooksDone !== undefined) await hooksDone;
    if (outcome === 'full') {
      const samples = this.#iterationSamples;
      samples[0][1] = this.#bytesSent;
      samples[1][1] = this.#bytesReceived;
      samples[2][1] = durationMs;
      this.#bytesSent = 0;
      this.#bytesReceived = 0;
      this.#sink.addMany(this.#currentTags(), samples);
    } else {
      this.#emitBytes();
    }
    if (outcome === 'full' && min > durationMs && !interrupt.aborted) {
      await pause(startedEpoch + min - svc.now(), interrupt);
    }
    if (end !== undefined) {
      const turn = end.iterationEnded(outcome, token as T);
      if (turn !== undefined) await turn;
    }
    return outcome;
  }

  /**
   * Calls setup/teardown/handleSummary (`name`) in this service VU. Throws the script's exception,
   * or a VuInterrupt with cause 'timeout' after `timeoutMs`.
   */
  async runLifecycle(phase: 'setup' | 'teardown' | 'summary', name: string, args: unknown[], timeoutMs: number): Promise<unknown> {
    if (!this.#optionsWritten) this.#writeRunOptions();
    this.#phase = phase;
    this.#group = phase === 'setup' ? '::setup' : phase === 'teardown' ? '::teardown' : '';
    this.#tags = undefined;
    if (this.#metaIter && phase !== 'summary') {
      // k6 runs setup and teardown in a VU of their own, never activated (no `vu`), whose iteration is 0.
      this.#setSystemMetadata(undefined, 0);
      this.invalidateMetadata();
    }
    const timer = setTimeout(() => this.#interrupt('timeout'), Math.max(0, timeoutMs));
    // A loop blocks the timer above: tick() checks the same deadline (sobek's Interrupt stops a loop at
    // the timeout too, so a busy setup() that would end a little later still times out).
    this.#hardDeadline = this.#svc.now() + timeoutMs;
    // Modules' per-call hooks run around lifecycle calls too (k6 emits data_sent/received after setup).
    const starting = this.#runStartHooks();
    if (starting !== undefined) await starting;
    try {
      const fn = this.#exported(name);
      return await this.#call(() => fn(...args));
    } finally {
      clearTimeout(timer);
      this.#hardDeadline = Number.POSITIVE_INFINITY;
      await this.#runEndHooks();
      // k6 runs handleSummary through runFn too, but its bytes come after the metrics were summed.
      if (phase !== 'summary') this.#emitBytes();
    }
  }

  /** One data_sent/data_received pair with what the VU's sockets moved since the last (zeros included). */
  #emitBytes(): void {
    const samples = this.#dataSamples;
    samples[0][1] = this.#bytesSent;
    samples[1][1] = this.#bytesReceived;
    this.#bytesSent = 0;
    this.#bytesReceived = 0;
    this.#sink.addMany(this.#currentTags(), samples);
  }

  /** Interrupts whatever the VU is running (test abort, hard stop). */
  interrupt(cause: InterruptCause = 'aborted'): void {
    this.#interrupt(cause);
  }

  async close(): Promise<void> {
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.#watched = undefined;
    for (const fn of this.#onClose) {
      try {
        await fn();
      } catch {
        // A module failing to release resources at the end must not fail the run.
      }
    }
    // Bytes moved outside any call (a socket's close after the last iteration).
    if (this.#bytesSent !== 0 || this.#bytesReceived !== 0) this.#emitBytes();
  }

  require(name: string): unknown {
    const known = this.#modules.get(name);
    if (known !== undefined) return known;
    // A module name the code builds at run time (`require(['k6', 'x', 'sql'].join('/'))`) was not
    // loaded with the VU: the call loads it and waits, as a blocking call does.
    if (needsLoading(name)) return this.host.block(loadVuModules([name]).then(() => this.require(name)));
    const unresolvable = unresolvableName(name);
    if (unresolvable !== undefined) throw goError(unresolvable);
    const mod = createVuModule(name, this, this.#svc);
    if (mod === undefined) {
      throw new Error(`unknown module "${name}": supported modules are ${supportedModules().join(', ')}`);
    }
    this.#modules.set(name, mod);
    return mod;
  }

  /**
   * Before a call (cookie jars are reset before the function starts). Only hooks that return a
   * promise are waited for (k6/browser launching the VU's browser before a browser iteration, as k6
   * waits for its IterStart handlers); a failing hook is logged.
   */
  #runStartHooks(): Promise<void> | undefined {
    let pending: Promise<void>[] | undefined;
    for (const fn of this.#onStart) {
      try {
        const r = fn();
        if (isThenable(r)) (pending ??= []).push(Promise.resolve(r).catch(this.#hookFailed));
      } catch (e) {
        this.#hookFailed(e);
      }
    }
    return pending === undefined ? undefined : Promise.all(pending).then(() => undefined);
  }

  /**
   * Modules' after-call hooks; a failing one is logged, never allowed to break the VU's loop. Only
   * hooks that return a promise are waited for (most are synchronous: no promise per iteration).
   */
  #runEndHooks(): Promise<void> | undefined {
    let pending: Promise<void>[] | undefined;
    const failed = this.#hookFailed;
    for (const fn of this.#onEnd) {
      try {
        const r = fn();
        if (isThenable(r)) (pending ??= []).push(Promise.resolve(r).catch(failed));
      } catch (e) {
        failed(e);
      }
    }
    return pending === undefined ? undefined : Promise.all(pending).then(() => undefined);
  }

  #exported(name: string): (...args: unknown[]) => unknown {
    const known = this.#functions.get(name);
    if (known !== undefined) return known;
    const fn = this.exports[name];
    if (typeof fn !== 'function') throw new TypeError(`the script does not export a function "${name}"`);
    this.#functions.set(name, fn as (...args: unknown[]) => unknown);
    return fn as (...args: unknown[]) => unknown;
  }

  /** Runs fn(...args) as one VU call: fresh signal, await a promise result, then wait for the event loop. */
  async #call<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): Promise<unknown> {
    this.#beginCall();
    try {
      const scope = this.#scope;
      const result = scope === undefined ? fn(...args) : this.#inScope(scope, fn, args);
      // A blocking-marked result (a wrapped function that blocked) only ever waits on blocking calls,
      // each already raced with the interrupt by #block, so it unwinds promptly on an interrupt by
      // itself; other promises (an async function's) may wait on anything and get the race here.
      let value = isThenable(result) && isBlocking(result) ? unboxReturned(await result) : result;
      if (isThenable(value)) value = await this.#untilInterrupted(Promise.resolve(value));
      if (!this.loop.isIdle) await this.#untilInterrupted(this.loop.idle());
      if (scope !== undefined && scope.created > 0) await this.#rejectionsReported();
      return value;
    } catch (e) {
      throw this.#callFailed(e);
    }
  }

  /** Start of a call: a fresh signal if the last one fired, no interrupt, tick count zero. */
  #beginCall(): void {
    // A controller is replaced only once it fired (it fires only on interrupt, which sets the cause):
    // most calls are never interrupted, and reading `signal.aborted` costs a brand check per call.
    if (this.#acFired) {
      this.#ac = new AbortController();
      this.#acFired = false;
    }
    this.#interruptCause = undefined;
    this.#ticks = 0;
    if (this.#scope !== undefined) this.#scope.created = 0;
  }

  /** Calls fn with this VU owning the promises its synchronous part creates. */
  #inScope<A extends unknown[]>(scope: PromiseScope, fn: (...args: A) => unknown, args: A): unknown {
    const prev = enterScope(scope);
    try {
      return fn(...args);
    } finally {
      leaveScope(prev);
    }
  }

  /**
   * The call created promises: Node reports the unhandled ones once the microtask queue drained, so
   * wait one macrotask before the call may end, then fail it if one was this VU's (k6 checks its
   * rejection tracker before an iteration ends).
   */
  async #rejectionsReported(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!this.loop.isIdle) await this.#untilInterrupted(this.loop.idle());
  }

  /** An unhandled rejection of a promise this VU's code created: it fails the VU's current (or next) call. */
  #rejected(reason: unknown): void {
    // The VU's own interrupt rejecting promises the script left unawaited is not a script error.
    if (reason instanceof VuInterrupt) return;
    this.loop.fail(reason instanceof ScriptAbort ? reason : new UncaughtRejection(reason));
  }

  /** A call failed with `e`: drop what it left pending; the error to throw (an interrupt wins). */
  #callFailed(e: unknown): unknown {
    // k6/timers (setupTaskQueueCloserOnIterationEnd): each timer the call leaves behind is named.
    for (const timer of this.loop.reset()) this.#svc.log.write('warn', `${timer} was stopped because the VU iteration was interrupted`);
    return this.#interruptCause !== undefined && !(e instanceof ScriptAbort) ? this.#interruptError() : e;
  }

  #interrupt(cause: InterruptCause): void {
    if (this.#interruptCause !== undefined) return;
    this.#interruptCause = cause;
    this.#acFired = true;
    this.#ac.abort();
    for (const done of [...this.#pauses]) done();
    const waiting = [...this.#waiting];
    this.#waiting.clear();
    for (const reject of waiting) reject(this.#interruptError());
  }

  /** Pending pauses (sleep) of the current call, each ended early by an interrupt. */
  readonly #pauses = new Set<() => void>();

  #pause(ms: number): Promise<void> {
    if (this.#interruptCause !== undefined) return Promise.resolve();
    const pauses = this.#pauses;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        pauses.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      pauses.add(done);
    });
  }

  /** `p`, or a VuInterrupt as soon as the current call is interrupted (no listener per call: a set). */
  #untilInterrupted<T>(p: Promise<T>): Promise<T> {
    if (this.#interruptCause !== undefined) {
      p.catch(() => undefined);
      return Promise.reject(this.#interruptError());
    }
    return new Promise<T>((resolve, reject) => {
      this.#waiting.add(reject);
      p.then(
        (v) => {
          this.#waiting.delete(reject);
          resolve(v);
        },
        (e: unknown) => {
          this.#waiting.delete(reject);
          reject(e);
        },
      );
    });
  }

  #interruptError(): VuInterrupt {
    return new VuInterrupt(this.#interruptCause ?? 'interrupted');
  }

  #tick(): void {
    if (this.#interruptCause !== undefined) throw this.#interruptError();
    if ((++this.#ticks & TICK_CHECK_MASK) !== 0) return;
    // A loop that never yields starves the timers that would interrupt it: check the shared stop flag
    // (raised by the main thread) and the wall-clock deadline here instead.
    if (this.#svc.stop.isRaised()) this.#interrupt('aborted');
    else if (this.#svc.now() > this.#hardDeadline) this.#interrupt(this.#phase === 'vu' ? 'interrupted' : 'timeout');
    if (this.#interruptCause !== undefined) throw this.#interruptError();
  }

  #logException(e: unknown): void {
    const text = errorText(e);
    const fields: Record<string, string> = { source: 'stacktrace' };
    if (this.#scenario !== undefined) {
      fields.executor = this.#scenario.executor;
      fields.scenario = this.#scenario.name;
    }
    this.#svc.errorLog.write('error', text, fields);
  }

  /** After a self-cancelling blocking promise settled: an interrupted call unwinds here. */
  readonly #passUnlessInterrupted = (v: unknown): unknown => {
    if (this.#interruptCause !== undefined) throw this.#interruptError();
    return v;
  };

  #blockCancellable<T>(p: Promise<T>): Promise<T> {
    // One reaction and no closure per call (block() adds a promise, two closures and a set entry).
    const out = p.then(this.#passUnlessInterrupted) as Promise<T>;
    if (this.#svc.realm.seeded) out.then(() => this.#svc.realm.setCurrentRandom(this.#random), () => undefined);
    return markBlocking(out);
  }

  #block<T>(p: Promise<T>): Promise<T> {
    const out = this.#untilInterrupted(p);
    // Math.random's dispatcher follows the VU whose blocking call resolved last (only needed once
    // some VU of the realm seeded its own sequence).
    if (this.#svc.realm.seeded) out.then(() => this.#svc.realm.setCurrentRandom(this.#random), () => undefined);
    return markBlocking(out);
  }

  /** The host, with `samples` writable: the VU swaps the sink when metadata is set or cleared. */
  #makeHost(): VuHost & { samples: SampleSink } {
    const svc = this.#svc;
    const at = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Readonly<Record<string, string>>): void =>
      svc.log.write(level, msg, fields);
    const log: VuLogger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
    return new Vu.#Host(this, new Vu.#State(this), log);
  }

  // The host and its state are instances of these two classes, their getters and methods shared on
  // the prototypes: every VU's host has the same hidden class. (Accessors defined per VU with
  // Object.defineProperty gave each VU's objects a map of their own, so every `host.x`/`state.x` read
  // in k6/http and the other modules was megamorphic over all the VUs of the thread: with 1,000 VUs
  // those reads missed V8's stub cache and went to the runtime on every request.)
  static readonly #State = class implements VuState {
    readonly #vu: Vu;
    constructor(vu: Vu) {
      this.#vu = vu;
    }
    get id(): number {
      return this.#vu.id;
    }
    get idInTest(): number {
      return this.#vu.idInTest;
    }
    get iteration(): number {
      const vu = this.#vu;
      return vu.#phase === 'vu' ? vu.#iteration : -1;
    }
    get phase(): VuPhase {
      return this.#vu.#phase;
    }
    get groupPath(): string {
      return this.#vu.#group;
    }
    get scenario(): string {
      return this.#vu.#scenario?.name ?? '';
    }
    get tags(): Tags {
      return this.#vu.#currentTags();
    }
  };

  static readonly #Host = class implements VuHost {
    readonly #vu: Vu;
    readonly state: VuState;
    readonly options: VuServices['options'];
    samples: SampleSink;
    readonly metrics: VuServices['metrics'];
    readonly log: VuLogger;
    readonly lifecycle: VuHost['lifecycle'];
    readonly requestRate: VuHost['requestRate'];
    readonly keyLog: VuHost['keyLog'];
    constructor(vu: Vu, state: VuState, log: VuLogger) {
      this.#vu = vu;
      const svc = vu.#svc;
      this.state = state;
      this.options = svc.options;
      this.samples = svc.samples;
      this.metrics = svc.metrics;
      this.requestRate = svc.requestRate;
      this.keyLog = svc.keyLog;
      this.log = log;
      this.lifecycle = {
        onIterationStart(fn: () => void | Promise<void>): void {
          vu.#onStart.push(fn);
        },
        onIterationEnd(fn: () => void | Promise<void>): void {
          vu.#onEnd.push(fn);
        },
        onClose(fn: () => void | Promise<void>): void {
          vu.#onClose.push(fn);
        },
      };
    }
    get signal(): AbortSignal {
      return this.#vu.#ac.signal;
    }
    pause(ms: number): Promise<void> {
      return this.#vu.#pause(ms);
    }
    block<T>(p: Promise<T>): Promise<T> {
      return this.#vu.#block(p);
    }
    blockCancellable<T>(p: Promise<T>): Promise<T> {
      return this.#vu.#blockCancellable(p);
    }
    interruption(): unknown {
      const vu = this.#vu;
      return vu.#interruptCause === undefined ? undefined : vu.#interruptError();
    }
    get resumeHooks(): boolean {
      return this.#vu.#svc.realm.seeded;
    }
    keepAlive(): () => void {
      return this.#vu.loop.keepAlive();
    }
    settleOnLoop<T>(p: Promise<T>): Promise<T> {
      const loop = this.#vu.loop;
      const release = loop.keepAlive();
      return new Promise<T>((resolve, reject) => {
        p.then(
          (v) => loop.post(() => {
            resolve(v);
            release();
          }),
          (e: unknown) => loop.post(() => {
            reject(e);
            release();
          }),
        );
      });
    }
    countBytes(sent: number, received: number): void {
      const vu = this.#vu;
      vu.#bytesSent += sent;
      vu.#bytesReceived += received;
    }
  };

  #currentTags(): Tags {
    if (this.#tags !== undefined) return this.#tags;
    const t: Record<string, string> = { ...this.#svc.runTags };
    if (this.#scenario !== undefined && this.#phase === 'vu') {
      Object.assign(t, this.#scenario.tags);
      if (this.#tagScenario) t.scenario = this.#scenario.name;
    }
    Object.assign(t, this.customTags);
    if (this.#tagGroup) t.group = this.#group;
    this.#tags = Object.freeze(t);
    return this.#tags;
  }

  /**
   * A script-realm `__ENV`: the base env with a scenario's over it. With the `freeze-env` feature it is
   * frozen (k6 setupEnvObject: read-only, non-configurable properties), so writes throw in strict code.
   */
  #newEnv(scenarioEnv: Readonly<Record<string, string>> | undefined): Record<string, string> {
    const env = this.#svc.realm.object({ ...this.#svc.env, ...scenarioEnv }) as Record<string, string>;
    return this.#svc.freezeEnv === true ? Object.freeze(env) : env;
  }

  #makeRuntime(): Record<string, unknown> {
    // Methods rather than named arrows, as in #makeHost.
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the methods below reach the VU's private state
    const vu = this;
    return createScriptRuntime({
      id: this.id,
      env: this.#env,
      loop: this.loop,
      realm: this.#svc.realm,
      log: this.#svc.log,
      scriptDir: this.#svc.scriptDir,
      open: {
        inInit(): boolean {
          return vu.#phase === 'init';
        },
        firstInit(): boolean {
          return vu.#svc.files.recording === true;
        },
        warn(message: string): void {
          vu.#svc.log.write('warn', message);
        },
        files: this.#svc.files,
        realm: this.#svc.realm,
        block<T>(p: Promise<T>): Promise<T> {
          return vu.#block(p);
        },
      },
      random(): (() => number) | undefined {
        return vu.#random;
      },
      block<T>(p: Promise<T>): Promise<T> {
        return vu.#block(p);
      },
      tick(): void {
        vu.#tick();
      },
      require(name: string): unknown {
        return vu.require(name);
      },
      bindIter(set: (iteration: number) => void, setEnv: (env: Record<string, string>) => void): void {
        vu.#setIter = set;
        vu.#setEnv = setEnv;
      },
    });
  }
}

function minIterationMs(options: VuServices['options']): number {
  const v = options.minIterationDuration;
  if (v === undefined || v === null || v === '') return 0;
  try {
    return parseDuration(v);
  } catch {
    return 0;
  }
}

/** `p` settled, or `signal` aborted first (a browser launch the iteration's interrupt must not wait for). */
function untilAborted(p: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void p.then(done, done);
  });
}

/** An option k6's Options.ForEachSpecified reports: set, and not an empty list, map or group of unset fields. */
function isSpecified(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.values(v).some((x) => x !== null && x !== undefined);
  return true;
}
