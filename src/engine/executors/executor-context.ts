// The seam between executor schedulers (this folder) and the VU runtime (engine/run, engine/vu).
// An executor runtime schedules one scenario for ONE execution segment (one worker thread); it never
// touches a real VU, only the abstract pool below, so schedulers are unit-tested without JS runtimes.
//
// Executors wait only through ctx.sleep and read time only through ctx.now (never timers or clocks of
// their own): their tests drive them on a virtual clock (virtual-executor-context.ts).
//
// Invariants the implementer of ExecutorContext must keep:
// - acquireVu() resolves with a VU that is initialised and idle; the executor owns it until releaseVu().
//   All workers' VUs are initialised before t=0, so acquireVu() of a planned VU does not wait for init.
// - initUnplannedVu() initialises one more VU (arrival-rate executors only, bounded by their maxVUs);
//   the executor owns the returned VU like an acquired one and releases it the same way. Once the
//   instance has as many VUs as its plan's max possible VUs, it hands out an idle VU another scenario
//   released instead, or undefined when there is none right now (k6 GetUnplannedVU).
// - runIteration() runs one call of the scenario's exec function. It resolves 'full' when the call ended
//   on its own (even if it threw: k6 counts that as a full iteration) and 'interrupted' when `interrupt`
//   (or ctx.signal) fired first. The implementation emits `iterations`/`iteration_duration` for full
//   iterations and pads minIterationDuration; executors do neither.
// - onActiveVus(delta) feeds the `vus` gauge: +1 when an executor activates a VU, −1 when it stops using it.

/** A VU as executors see it. */
export interface ExecutorVu {
  /** Local, 1-based id inside this worker (`__VU`). */
  readonly id: number;
  /** Global id across all segments (`vu.idInTest`). */
  readonly idInTest: number;
}

export interface IterationRequest {
  /** Scenario name (the key in `options.scenarios`). */
  readonly scenario: string;
  /** Name of the exported function to call. */
  readonly exec: string;
  /** 0-based iteration number of this scenario inside this segment (`scenario.iterationInInstance`). */
  readonly iterationInScenario: number;
  /** 0-based iteration number of this scenario across all segments (`scenario.iterationInTest`), from the striped index. */
  readonly iterationInTest: number;
}

export type IterationOutcome = 'full' | 'interrupted';

/** Counts a scenario's iteration outcomes; runIteration() calls it once, before it resolves. */
export interface IterationTally {
  count(outcome: IterationOutcome): void;
}

export interface ExecutorContext {
  /** Epoch ms of the test's t=0, shared by every worker; scenario startTime counts from here. */
  readonly testStart: number;
  /** Clock in epoch ms; use a monotonic one (performance.timeOrigin + performance.now()), the wall clock may jump. */
  readonly now: () => number;
  /** The whole test was stopped (abort, Ctrl+C, threshold abortOnFail): iterations stop at once. */
  readonly signal: AbortSignal;
  acquireVu(): Promise<ExecutorVu>;
  initUnplannedVu(): Promise<ExecutorVu | undefined>;
  releaseVu(vu: ExecutorVu): void;
  /** `tally` (the scenario's counters) is told the outcome before the returned promise resolves. */
  runIteration(vu: ExecutorVu, req: IterationRequest, interrupt: AbortSignal, tally?: IterationTally): Promise<IterationOutcome>;
  /**
   * `dropped_iterations` += count. `tags` is `{scenario: name}`; like k6 (getMetricTags) the context adds
   * the run tags, drops `scenario` if that system tag is off, and adds `vu` = vuId (per-vu-iterations
   * only) when the `vu` system tag is on.
   */
  onDropped(count: number, tags: Readonly<Record<string, string>>, vuId?: number): void;
  onActiveVus(delta: number): void;
  /** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Optional: an arrival-rate scenario has every VU it may have busy and had to drop an iteration
   * (`maxVUs`: the VUs this context has for it). k6 warns once per scenario ("Insufficient VUs…");
   * a context that shares the scenario with other threads lets the run warn once for all of them.
   */
  outOfVus?(scenario: string, executor: string, maxVUs: number): void;
  /**
   * Optional: an unplanned VU failed to initialise. True when that was logged (k6's executors log
   * "Error while allocating unplanned VU" and go on); false when it must end the scenario with that error.
   */
  unplannedVuFailed?(err: unknown, fields: Readonly<Record<string, string>>): boolean;
}

export interface ExecutorProgress {
  /** 0..1 of the scenario's planned duration or work. */
  readonly fraction: number;
  /** k6's right-hand progress text: `right` joined by two spaces, e.g. "10 VUs  05.0s/30s". */
  readonly text: string;
  /** k6's right-hand progress fragments, fixed-width like k6's. */
  readonly right?: readonly string[];
  /** VUs currently active in this scenario (this segment). */
  readonly vus: number;
  /** Full iterations completed (this segment). */
  readonly iterations: number;
  /** Iterations that ended interrupted (this segment). */
  readonly interrupted: number;
  /** Iterations dropped so far (this segment). */
  readonly dropped: number;
  /**
   * This segment has no VUs of the scenario (one worker's share of a scenario with fewer VUs than
   * workers): its fraction never moves and says nothing of the scenario's progress.
   */
  readonly idle?: boolean;
  /**
   * This segment's run of the scenario has returned, so its fraction no longer moves (a
   * ramping-arrival-rate share whose last iteration started early, or that had none to start).
   */
  readonly done?: boolean;
  /**
   * Ms the bar counts to, where the segments' differ: a ramping-vus share's regular duration ends
   * where its own VUs reach 0, so one worker's can end before the scenario's stages do.
   */
  readonly regularMs?: number;
}

export interface ExecutorRuntime {
  /** Scenario name. */
  readonly name: string;
  /** Runs the scenario from its startTime until it and its graceful windows end (or ctx.signal fires). */
  run(ctx: ExecutorContext): Promise<void>;
  progress(): ExecutorProgress;
}

/** k6's warning when an arrival-rate scenario runs out of VUs; its logger adds executor and scenario fields. */
export function insufficientVusWarning(maxVUs: number): string {
  return `Insufficient VUs, reached ${maxVUs} active VUs and cannot initialize more`;
}
