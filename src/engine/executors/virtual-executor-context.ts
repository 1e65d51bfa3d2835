// An ExecutorContext on a virtual clock, for executor tests that assert exact numbers (k6 runs its
// executor tests under Go's synctest for the same reason). Executors only wait through ctx.sleep and read
// time through ctx.now, so the clock can jump: `drive()` lets every pending promise settle, then moves the
// clock to the earliest timer and fires it, until the run ends. Runs take no wall-clock time and are the
// same on a loaded machine.
import { setImmediate as turn } from 'node:timers/promises';
import { insufficientVusWarning, type ExecutorContext, type ExecutorVu, type IterationOutcome, type IterationRequest } from './executor-context.ts';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
}

/** Time in epoch ms that only moves when drive() fires a timer. */
export class VirtualClock {
  readonly start: number;
  private t: number;
  private seq = 0;
  private timers: Timer[] = [];
  /** Bumped by every clock use, so drive() can tell when the code under test has gone quiet. */
  private activity = 0;

  constructor(start = 1_700_000_000_000) {
    this.start = start;
    this.t = start;
  }

  readonly now = (): number => {
    this.activity++;
    return this.t;
  };

  /** Milliseconds since the clock started. */
  elapsed(): number {
    return this.t - this.start;
  }

  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    this.activity++;
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const onAbort = (): void => {
        this.timers = this.timers.filter((x) => x !== timer);
        resolve();
      };
      const timer: Timer = {
        at: this.t + Math.max(0, ms),
        seq: this.seq++,
        fire: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.timers.push(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };

  /** Notes activity from outside the clock (iterations starting or ending). */
  touch(): void {
    this.activity++;
  }

  /** Lets the event loop turn until nothing touched the clock for two turns in a row. */
  private async settle(): Promise<void> {
    let quiet = 0;
    for (let i = 0; i < 100_000 && quiet < 2; i++) {
      const before = this.activity;
      await turn();
      quiet = this.activity === before ? quiet + 1 : 0;
    }
  }

  /** Runs `work` to its end on virtual time; fails if it waits on nothing or outlives `limitMs`. */
  async drive<T>(work: Promise<T>, limitMs = 3_600_000): Promise<T> {
    let settled = false;
    work.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let fired = 0; fired < 10_000_000; fired++) {
      await this.settle();
      if (settled) return work;
      if (this.timers.length === 0) throw new Error('virtual clock: the run waits on nothing but has not ended');
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift() as Timer;
      if (next.at - this.start > limitMs) throw new Error(`virtual clock: still running after ${limitMs} ms`);
      this.t = Math.max(this.t, next.at);
      next.fire();
    }
    throw new Error('virtual clock: too many timers');
  }
}

/** What an iteration does: runs for `ms` virtual milliseconds (Infinity: until interrupted). */
export type IterationScript = (req: IterationRequest, vu: ExecutorVu, at: number) => number;

export interface VirtualIteration {
  readonly vu: number;
  readonly req: IterationRequest;
  /** Virtual ms since the test start. */
  readonly startedAt: number;
  /** VUs active (onActiveVus) when the iteration started. */
  readonly activeAtStart: number;
  endedAt?: number;
  outcome?: IterationOutcome;
}

export interface VirtualContext extends ExecutorContext {
  readonly clock: VirtualClock;
  readonly iterations: VirtualIteration[];
  readonly dropped: { count: number; vuId: number | undefined }[];
  readonly warnings: string[];
  /** Every VU id handed out (planned and unplanned). */
  readonly vusInitialised: () => number;
  readonly stats: { active: number; outstanding: number; acquired: number; released: number };
  /** [virtual ms since the test start, active VUs] after every change. */
  readonly timeline: [number, number][];
  /** Stops the whole test (ctx.signal). */
  readonly abort: () => void;
  /** Active VUs at virtual time `ms` (the last change at or before it). */
  activeAt(ms: number): number;
  droppedTotal(): number;
}

export function createVirtualContext(opts: {
  plannedVus: number;
  iteration: IterationScript;
  /** Virtual time an unplanned VU takes to initialise. */
  unplannedInitMs?: number;
  /**
   * Iterations run their full time even when interrupted (still reported 'interrupted'), like the Go
   * functions k6's executor tests use as iterations, which sleep without watching their context.
   */
  uninterruptible?: boolean;
}): VirtualContext {
  const clock = new VirtualClock();
  const controller = new AbortController();
  const pool: ExecutorVu[] = [];
  let nextId = 1;
  for (; nextId <= opts.plannedVus; nextId++) pool.push({ id: nextId, idInTest: nextId });
  const iterations: VirtualIteration[] = [];
  const dropped: { count: number; vuId: number | undefined }[] = [];
  const warnings: string[] = [];
  const timeline: [number, number][] = [];
  const stats = { active: 0, outstanding: 0, acquired: 0, released: 0 };
  return {
    clock,
    testStart: clock.start,
    now: clock.now,
    sleep: clock.sleep,
    signal: controller.signal,
    abort: () => controller.abort(),
    iterations,
    dropped,
    warnings,
    timeline,
    stats,
    vusInitialised: () => nextId - 1,
    acquireVu() {
      const vu = pool.shift();
      if (!vu) return Promise.reject(new Error('no free planned VU'));
      stats.outstanding++;
      stats.acquired++;
      return Promise.resolve(vu);
    },
    async initUnplannedVu() {
      await clock.sleep(opts.unplannedInitMs ?? 0);
      stats.outstanding++;
      const vu = { id: nextId, idInTest: nextId };
      nextId++;
      return vu;
    },
    releaseVu(vu) {
      stats.outstanding--;
      stats.released++;
      pool.push(vu);
    },
    async runIteration(vu, req, interrupt, tally) {
      const rec: VirtualIteration = { vu: vu.id, req, startedAt: clock.elapsed(), activeAtStart: stats.active };
      iterations.push(rec);
      clock.touch();
      const ms = opts.iteration(req, vu, clock.elapsed());
      const stop = AbortSignal.any([interrupt, controller.signal]);
      if (Number.isFinite(ms)) await clock.sleep(ms, opts.uninterruptible ? undefined : stop);
      else if (!stop.aborted) await new Promise((resolve) => stop.addEventListener('abort', resolve, { once: true }));
      rec.endedAt = clock.elapsed();
      rec.outcome = stop.aborted ? 'interrupted' : 'full';
      clock.touch();
      tally?.count(rec.outcome);
      return rec.outcome;
    },
    onDropped(count, _tags, vuId) {
      dropped.push({ count, vuId });
    },
    onActiveVus(delta) {
      stats.active += delta;
      timeline.push([clock.elapsed(), stats.active]);
    },
    outOfVus: (_scenario, _executor, maxVUs) => {
      warnings.push(insufficientVusWarning(maxVUs));
    },
    activeAt(ms) {
      let v = 0;
      for (const [t, a] of timeline) if (t <= ms) v = a;
      return v;
    },
    droppedTotal: () => dropped.reduce((s, d) => s + d.count, 0),
  };
}
