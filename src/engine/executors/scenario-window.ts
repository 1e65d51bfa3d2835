// The time window of one scenario run: it opens at testStart + startTime; new iterations may start until
// the regular end (duration, maxDuration or Σ stages); in-flight iterations get gracefulStop more, then
// `hard` aborts them. A test-wide stop (ctx.signal) ends both at once.
import type { ExecutorContext } from './executor-context.ts';

export async function waitUntil(ctx: ExecutorContext, epochMs: number, signal: AbortSignal): Promise<void> {
  for (;;) {
    if (signal.aborted) return;
    const d = epochMs - ctx.now();
    if (d <= 0) return;
    await ctx.sleep(d, signal);
  }
}

export class ScenarioWindow {
  readonly started: number;
  readonly regularEnd: number;
  readonly hardEnd: number;
  /** Aborted at the hard end, on a test-wide stop, or when the scenario is done. */
  readonly hard: AbortSignal;
  private readonly hardCtl = new AbortController();
  private readonly cleanup = new AbortController();
  /** Aborted when no new iteration may start (regular end, test stop, dispose). */
  readonly regular: AbortSignal;
  private readonly regularCtl = new AbortController();
  private readonly onTestStop: () => void;
  private readonly ctx: ExecutorContext;
  private endedAt: number | undefined;

  private constructor(ctx: ExecutorContext, regularMs: number, gracefulMs: number) {
    this.ctx = ctx;
    this.started = ctx.now();
    this.regularEnd = this.started + regularMs;
    this.hardEnd = this.regularEnd + gracefulMs;
    this.hard = this.hardCtl.signal;
    this.regular = this.regularCtl.signal;
    this.onTestStop = (): void => {
      this.endRegular();
      this.hardCtl.abort();
    };
    ctx.signal.addEventListener('abort', this.onTestStop, { once: true });
    void waitUntil(ctx, this.regularEnd, this.cleanup.signal).then(() => {
      if (!this.cleanup.signal.aborted) this.endRegular();
    });
    void waitUntil(ctx, this.hardEnd, this.cleanup.signal).then(() => {
      if (!this.cleanup.signal.aborted) this.hardCtl.abort();
    });
  }

  /** Waits for the scenario's startTime; undefined when the test was stopped first. */
  static async open(ctx: ExecutorContext, startTimeMs: number, regularMs: number, gracefulMs: number): Promise<ScenarioWindow | undefined> {
    await waitUntil(ctx, ctx.testStart + startTimeMs, ctx.signal);
    if (ctx.signal.aborted) return undefined;
    return new ScenarioWindow(ctx, regularMs, gracefulMs);
  }

  /**
   * No new iterations may start once this is true. Read from the clock too: a VU stuck in a loop
   * blocks the thread's timers, so when the run's stop finally interrupts it, the timer that ends the
   * window has not fired yet, and the VU must not start another iteration (k6 counts one interrupted).
   */
  get regularDone(): boolean {
    if (!this.regular.aborted && this.ctx.now() >= this.regularEnd) this.endRegular();
    return this.regular.aborted;
  }

  /** Sleeps until `epochMs`, returning false if the regular window closed (or the test stopped) first. */
  async sleepUntil(epochMs: number): Promise<boolean> {
    await waitUntil(this.ctx, epochMs, this.regular);
    return !this.regular.aborted && this.ctx.now() >= epochMs;
  }

  /** Time since the scenario started, frozen once it is disposed. */
  elapsed(): number {
    return (this.endedAt ?? this.ctx.now()) - this.started;
  }

  /** Cancels the timers; aborts `hard` so nothing of this scenario keeps running. */
  dispose(): void {
    this.endedAt ??= this.ctx.now();
    this.endRegular();
    this.cleanup.abort();
    this.hardCtl.abort();
    this.ctx.signal.removeEventListener('abort', this.onTestStop);
  }

  private endRegular(): void {
    this.regularCtl.abort();
  }
}
