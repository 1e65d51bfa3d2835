// Per-scenario bookkeeping shared by the executor runtimes: the striped iteration counters (k6
// nextIterationCounters) and the counts behind progress().
import type { ExecutorContext, ExecutorProgress, ExecutorVu, IterationOutcome, IterationTally } from './executor-context.ts';
import { SegmentedIndex, type ExecutionTuple } from './execution-segment.ts';
import type { ScenarioConfig } from './executor-config.ts';
import type { SharedIterationCounter } from './shared-iteration-counter.ts';

/**
 * The instance's iteration counter of a VU-based scenario, when its VUs run in several worker
 * threads: each iteration takes the next instance-wide number, as k6's one executor hands them out in
 * start order (BaseExecutor.nextIterationCounters), and `instance` maps it to the test.
 */
export interface InstanceIterationNumbers {
  readonly counter: SharedIterationCounter;
  readonly instance: ExecutionTuple;
}

export class ScenarioStats implements IterationTally {
  iterations = 0;
  interrupted = 0;
  dropped = 0;
  activeVus = 0;
  private readonly index: SegmentedIndex;
  private readonly config: ScenarioConfig;
  private readonly shared: { counter: SharedIterationCounter; index: SegmentedIndex } | undefined;

  /**
   * `tuple` decides which global iteration numbers this segment's iterations get, unless `shared`
   * numbers them across the instance's worker threads.
   */
  constructor(config: ScenarioConfig, tuple: ExecutionTuple, shared?: InstanceIterationNumbers) {
    this.config = config;
    this.index = new SegmentedIndex(tuple);
    this.shared = shared === undefined ? undefined : { counter: shared.counter, index: new SegmentedIndex(shared.instance) };
  }

  get tags(): Readonly<Record<string, string>> {
    return { scenario: this.config.name };
  }

  /**
   * Runs one iteration with the next (local, global) iteration numbers of the scenario. Not an async
   * function: the context counts the outcome through `count`, so no extra promise and microtask turns
   * sit between the executor's loop and the VU on every iteration.
   */
  iterate(ctx: ExecutorContext, vu: ExecutorVu, interrupt: AbortSignal): Promise<IterationOutcome> {
    if (this.shared !== undefined) {
      const claim = this.shared.counter.claim(0x7fffffff) ?? 0x7ffffffe;
      return this.iterateClaimed(ctx, vu, interrupt, claim, this.shared.index);
    }
    const { scaled, unscaled } = this.index.next();
    return ctx.runIteration(
      vu,
      { scenario: this.config.name, exec: this.config.exec, iterationInScenario: scaled - 1, iterationInTest: unscaled - 1 },
      interrupt,
      this,
    );
  }

  /**
   * Takes the next (local, global) iteration numbers without running anything: an arrival-rate tick
   * handed to another worker's VU runs with them there (iterateNumbered).
   */
  nextNumbers(): { iterationInScenario: number; iterationInTest: number } {
    const { scaled, unscaled } = this.index.next();
    return { iterationInScenario: scaled - 1, iterationInTest: unscaled - 1 };
  }

  /** Runs one iteration with numbers another worker's scenario took (nextNumbers). */
  iterateNumbered(ctx: ExecutorContext, vu: ExecutorVu, interrupt: AbortSignal, numbers: { iterationInScenario: number; iterationInTest: number }): Promise<IterationOutcome> {
    return ctx.runIteration(
      vu,
      { scenario: this.config.name, exec: this.config.exec, iterationInScenario: numbers.iterationInScenario, iterationInTest: numbers.iterationInTest },
      interrupt,
      this,
    );
  }

  /**
   * Runs the iteration an instance-wide counter handed out (`claim`, 0-based in the instance): its
   * numbers are the claim's, mapped to the test by `instance`, the instance's index.
   */
  iterateClaimed(ctx: ExecutorContext, vu: ExecutorVu, interrupt: AbortSignal, claim: number, instance: SegmentedIndex): Promise<IterationOutcome> {
    return ctx.runIteration(
      vu,
      { scenario: this.config.name, exec: this.config.exec, iterationInScenario: claim, iterationInTest: instance.at(claim + 1).unscaled - 1 },
      interrupt,
      this,
    );
  }

  count(outcome: IterationOutcome): void {
    if (outcome === 'full') this.iterations++;
    else this.interrupted++;
  }

  drop(ctx: ExecutorContext, count: number, vuId?: number): void {
    if (count <= 0) return;
    this.dropped += count;
    ctx.onDropped(count, this.tags, vuId);
  }

  activate(ctx: ExecutorContext, delta: number): void {
    this.activeVus += delta;
    ctx.onActiveVus(delta);
  }
}

/** The ExecutorProgress of a scenario from k6's fraction and right-hand fragments. */
export function progressOf(stats: ScenarioStats, fraction: number, right: string[], idle = false): ExecutorProgress {
  return {
    ...(idle ? { idle: true } : {}),
    fraction: Math.max(0, Math.min(1, fraction)),
    text: right.join('  '),
    right,
    vus: stats.activeVus,
    iterations: stats.iterations,
    interrupted: stats.interrupted,
    dropped: stats.dropped,
  };
}
