// Which worker threads a stopping run gives up on. A worker stuck in a loop of the script's never
// posts again and is terminated; one that is only slow (thousands of VUs winding down on a loaded
// machine, its event loop seconds behind) still posts its per-second metrics and is waited for, up
// to a limit: terminating it lost every second of metrics it had not handed over yet, and the
// summary then counted fewer requests than --out json, which the worker writes itself.

/** Stop → terminate: silence this long after the stop's grace (a worker posts about every second)… */
export const WORKER_SILENCE_MS = 5000;
/** …or, however lively, this long after the stop. */
export const WORKER_STOP_LIMIT_MS = 30_000;

export interface StoppingWorker {
  readonly done: boolean;
  /** Epoch ms of its last message. */
  readonly heardAt: number;
}

/** The indexes of the workers to terminate now, of a run stopped at `stoppedAt`. */
export function stuckWorkers(workers: readonly StoppingWorker[], stoppedAt: number, now: number): number[] {
  const out: number[] = [];
  workers.forEach((w, i) => {
    if (w.done) return;
    if (now - w.heardAt >= WORKER_SILENCE_MS || now - stoppedAt >= WORKER_STOP_LIMIT_MS) out.push(i);
  });
  return out;
}
