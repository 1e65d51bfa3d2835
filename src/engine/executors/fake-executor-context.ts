// A scripted ExecutorContext for executor tests: real clock, a pool of pretend VUs, and iterations that
// just take a configured time (or end early when interrupted). It records everything a test asserts on.
import { insufficientVusWarning, type ExecutorContext, type ExecutorVu, type IterationOutcome, type IterationRequest } from './executor-context.ts';

export interface FakeContextOptions {
  plannedVus: number;
  /** How long iteration n (0-based, across the test) of a VU takes, in ms. */
  iterationMs: (req: IterationRequest, vu: ExecutorVu) => number;
  unplannedInitMs?: number;
  testStart?: number;
}

export interface RecordedIteration {
  readonly vu: number;
  readonly req: IterationRequest;
  readonly startedAt: number;
  outcome?: IterationOutcome;
}

/** Monotonic epoch ms: the wall clock may be adjusted while a test runs. */
const monotonicNow = (): number => performance.timeOrigin + performance.now();

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function createFakeContext(opts: FakeContextOptions): ExecutorContext & {
  readonly iterations: RecordedIteration[];
  readonly dropped: { count: number; tags: Readonly<Record<string, string>>; vuId: number | undefined }[];
  readonly abort: () => void;
  readonly warnings: string[];
  readonly stats: { active: number; peakActive: number; acquired: number; unplanned: number; outstanding: number };
  /** [ms since testStart, active VUs] after every change. */
  readonly timeline: [number, number][];
} {
  const controller = new AbortController();
  let nextId = 1;
  const pool: ExecutorVu[] = [];
  for (let i = 0; i < opts.plannedVus; i++, nextId++) pool.push({ id: nextId, idInTest: nextId });
  const iterations: RecordedIteration[] = [];
  const dropped: { count: number; tags: Readonly<Record<string, string>>; vuId: number | undefined }[] = [];
  const stats = { active: 0, peakActive: 0, acquired: 0, unplanned: 0, outstanding: 0 };
  const testStart = opts.testStart ?? monotonicNow();
  const warnings: string[] = [];
  const timeline: [number, number][] = [];
  return {
    testStart,
    now: () => monotonicNow(),
    signal: controller.signal,
    abort: () => controller.abort(),
    iterations,
    dropped,
    stats,
    acquireVu() {
      const vu = pool.shift();
      if (!vu) return Promise.reject(new Error('no free planned VU'));
      stats.acquired++;
      stats.outstanding++;
      return Promise.resolve(vu);
    },
    async initUnplannedVu() {
      await sleep(opts.unplannedInitMs ?? 0);
      stats.unplanned++;
      stats.outstanding++;
      const vu = { id: nextId, idInTest: nextId };
      nextId++;
      return vu;
    },
    releaseVu(vu) {
      stats.outstanding--;
      pool.push(vu);
    },
    async runIteration(vu, req, interrupt, tally) {
      const rec: RecordedIteration = { vu: vu.id, req, startedAt: monotonicNow() - testStart };
      iterations.push(rec);
      const ms = opts.iterationMs(req, vu);
      await sleep(ms, AbortSignal.any([interrupt, controller.signal]));
      rec.outcome = interrupt.aborted || controller.signal.aborted ? 'interrupted' : 'full';
      tally?.count(rec.outcome);
      return rec.outcome;
    },
    onDropped(count, tags, vuId) {
      dropped.push({ count, tags, vuId });
    },
    onActiveVus(delta) {
      stats.active += delta;
      stats.peakActive = Math.max(stats.peakActive, stats.active);
      timeline.push([monotonicNow() - testStart, stats.active]);
    },
    sleep,
    warnings,
    timeline,
    outOfVus: (_scenario, _executor, maxVUs) => {
      warnings.push(insufficientVusWarning(maxVUs));
    },
  };
}
