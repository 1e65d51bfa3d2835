// The engine sends one batch per second from each of its worker threads (and its main thread), each
// on its own one-second flush timer, so a second's batches reach the orchestrator spread over about a
// second. Stored as they come, every series takes one row per thread per second. The coalescer holds
// each second's batches for `holdMs` after the first of them arrived and releases them merged into one
// batch (exact merges: counters add, gauges keep the latest, rates add counts, trend histograms merge),
// which cuts the rows, the bytes stored and the work of every later query. A batch that arrives after
// its second was released is released on its own later (queries merge rows of the same second anyway).
import { rollUpBatches } from '../results/index.ts';
import type { StoredMetricsBatch } from '../store/index.ts';

/** Long enough for every thread's flush of a second (their timers are up to 1 s apart), plus slack. */
export const DEFAULT_HOLD_MS = 2000;

interface Pending {
  firstArrival: number;
  batches: StoredMetricsBatch[];
}

export class SecondCoalescer {
  readonly #pending = new Map<number, Pending>();
  readonly #holdMs: number;
  readonly #release: (batch: StoredMetricsBatch) => void;
  readonly #onMergeError: (err: unknown) => void;

  constructor(release: (batch: StoredMetricsBatch) => void, options: { holdMs?: number; onMergeError?: (err: unknown) => void } = {}) {
    this.#release = release;
    this.#holdMs = options.holdMs ?? DEFAULT_HOLD_MS;
    this.#onMergeError = options.onMergeError ?? (() => {});
  }

  get pendingSeconds(): number {
    return this.#pending.size;
  }

  add(batch: StoredMetricsBatch, now = Date.now()): void {
    const entry = this.#pending.get(batch.time);
    if (entry) entry.batches.push(batch);
    else this.#pending.set(batch.time, { firstArrival: now, batches: [batch] });
  }

  /** Releases, oldest second first, every second held for `holdMs` or longer. */
  releaseDue(now = Date.now()): void {
    this.#releaseWhere((p) => now - p.firstArrival >= this.#holdMs);
  }

  /** Releases everything held (the runner has exited). */
  releaseAll(): void {
    this.#releaseWhere(() => true);
  }

  #releaseWhere(due: (p: Pending) => boolean): void {
    const times = [...this.#pending.entries()].filter(([, p]) => due(p)).map(([t]) => t).sort((a, b) => a - b);
    for (const time of times) {
      const { batches } = this.#pending.get(time) as Pending;
      this.#pending.delete(time);
      for (const b of this.#merged(time, batches)) this.#release(b);
    }
  }

  #merged(time: number, batches: StoredMetricsBatch[]): StoredMetricsBatch[] {
    if (batches.length === 1) return batches;
    try {
      const [one] = rollUpBatches(batches, 1000);
      // All share `time`, so they fold into one interval; keep the engine's time as it was.
      return one === undefined ? batches : [{ ...one, time }];
    } catch (err) {
      this.#onMergeError(err);
      return batches;
    }
  }
}
