// The engine sends one batch per second from each of its worker threads (and its main thread), each
// on its own one-second flush timer, so a second's batches reach the orchestrator spread over about a
// second. Stored as they come, every series takes one row per thread per second. The coalescer holds
// each second's batches for `holdMs` after the first of them arrived and releases them merged into one
// batch (exact merges: counters add, gauges keep the latest, rates add counts, trend histograms merge),
// which cuts the rows, the bytes stored and the work of every later query. A batch that arrives after
// its second was released is released on its own later (queries merge rows of the same second anyway).
// Batches of several runners (a run split over load zones) merge the same way, except the engine's VU
// gauges, which are summed across runners (run-wide-gauges.ts).
import { rollUpBatches } from '../results/index.ts';
import type { StoredMetricsBatch } from '../store/index.ts';
import { sumRunWideGauges } from './run-wide-gauges.ts';
import type { HeldGauges } from './run-wide-gauges.ts';

/** Long enough for every thread's flush of a second (their timers are up to 1 s apart), plus slack. */
export const DEFAULT_HOLD_MS = 2000;

interface Pending {
  firstArrival: number;
  /** Each batch with the runner it came from. */
  batches: { source: number; batch: StoredMetricsBatch }[];
}

export class SecondCoalescer {
  readonly #pending = new Map<number, Pending>();
  readonly #holdMs: number;
  readonly #release: (batch: StoredMetricsBatch) => void;
  readonly #onMergeError: (err: unknown) => void;
  /** Runners whose batches were seen; from the second one on, VU gauges are summed across them. */
  readonly #sources = new Set<number>();
  readonly #held: HeldGauges = new Map();

  constructor(release: (batch: StoredMetricsBatch) => void, options: { holdMs?: number; onMergeError?: (err: unknown) => void } = {}) {
    this.#release = release;
    this.#holdMs = options.holdMs ?? DEFAULT_HOLD_MS;
    this.#onMergeError = options.onMergeError ?? (() => {});
  }

  get pendingSeconds(): number {
    return this.#pending.size;
  }

  /** `source` tells runners apart (any number, the same for every batch of one runner). */
  add(batch: StoredMetricsBatch, now = Date.now(), source = 0): void {
    this.#sources.add(source);
    const entry = this.#pending.get(batch.time);
    if (entry) entry.batches.push({ source, batch });
    else this.#pending.set(batch.time, { firstArrival: now, batches: [{ source, batch }] });
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

  #merged(time: number, entries: Pending['batches']): StoredMetricsBatch[] {
    const batches = entries.map((e) => e.batch);
    if (this.#sources.size === 1 && batches.length === 1) return batches;
    try {
      if (this.#sources.size === 1) return [this.#rollUp(time, batches)];
      const bySource = new Map<number, StoredMetricsBatch[]>();
      for (const { source, batch } of entries) bySource.set(source, [...(bySource.get(source) ?? []), batch]);
      const perRunner = [...bySource].map(([source, own]) => ({ source, batch: own.length === 1 ? (own[0] as StoredMetricsBatch) : this.#rollUp(time, own) }));
      const { batches: rest, summed } = sumRunWideGauges(perRunner, this.#held);
      const one = this.#rollUp(time, rest);
      return [{ ...one, series: [...one.series, ...summed] }];
    } catch (err) {
      this.#onMergeError(err);
      return batches;
    }
  }

  /** Batches of one second folded into one; all share `time`, which is kept as the engine sent it. */
  #rollUp(time: number, batches: readonly StoredMetricsBatch[]): StoredMetricsBatch {
    const [one] = rollUpBatches(batches, 1000);
    if (one === undefined) throw new Error('no batch to merge');
    return { ...one, time };
  }
}
