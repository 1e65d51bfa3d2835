// The engine sends one batch per second from each of its worker threads (and its main thread), each
// on its own one-second flush timer, so a second's batches reach the orchestrator spread over about a
// second. Stored as they come, every series takes one row per thread per second. The coalescer holds
// each second's batches for `holdMs` after the first of them arrived and releases them merged into one
// batch (exact merges: counters add, gauges keep the latest, rates add counts, trend histograms merge),
// which cuts the rows, the bytes stored and the work of every later query. A batch that arrives after
// its second was released is released on its own later (queries merge rows of the same second anyway).
// Batches of several runners (a run split over load zones) merge the same way, except the engine's VU
// gauges, which are set apart per runner as they arrive and stored for a second once every runner
// still running has reported past it, summed across runners (run-wide-gauges.ts): however late a
// runner's batch, the stored `vus`/`vus_max` of a second are the sum, never a part of it.
import { rollUpBatches } from '../results/index.ts';
import type { StoredMetricDef, StoredMetricsBatch, StoredSeriesAggregate } from '../store/index.ts';
import { isRunWideGauge, sumRunWideGauges } from './run-wide-gauges.ts';
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
  /** Runners whose batches were seen or are expected; from the second one on, VU gauges are summed across them. */
  readonly #sources = new Set<number>();
  /** Runners that have exited: no second waits for them. */
  readonly #ended = new Set<number>();
  /** Per runner, the latest second it reported run-wide gauges for. */
  readonly #reportedUpTo = new Map<number, number>();
  /** A split run's run-wide gauges per second, per runner, until every running runner reported past it. */
  readonly #gauges = new Map<number, Map<number, StoredSeriesAggregate[]>>();
  readonly #gaugeDefs = new Map<string, StoredMetricDef>();
  readonly #held: HeldGauges = new Map();

  constructor(release: (batch: StoredMetricsBatch) => void, options: { holdMs?: number; onMergeError?: (err: unknown) => void } = {}) {
    this.#release = release;
    this.#holdMs = options.holdMs ?? DEFAULT_HOLD_MS;
    this.#onMergeError = options.onMergeError ?? (() => {});
  }

  get pendingSeconds(): number {
    return this.#pending.size;
  }

  /** Seconds whose run-wide gauges wait for a runner's report. */
  get pendingGaugeSeconds(): number {
    return this.#gauges.size;
  }

  /**
   * A runner that will send batches (a split run's zone runner, before it runs): the run's VU gauges
   * are summed from its first second, and no second's are stored before it reported past it or ended.
   */
  expectSource(source: number): void {
    this.#sources.add(source);
  }

  /** The runner has exited: it reports nothing more, and no second waits for it. */
  sourceEnded(source: number): void {
    this.#ended.add(source);
  }

  /** `source` tells runners apart (any number, the same for every batch of one runner). */
  add(batch: StoredMetricsBatch, now = Date.now(), source = 0): void {
    this.#sources.add(source);
    const held = this.#sources.size > 1 ? this.#setGaugesApart(batch, source) : batch;
    if (held === null) return;
    const entry = this.#pending.get(batch.time);
    if (entry) entry.batches.push({ source, batch: held });
    else this.#pending.set(batch.time, { firstArrival: now, batches: [{ source, batch: held }] });
  }

  /** Releases, oldest second first, every second held for `holdMs` or longer. */
  releaseDue(now = Date.now()): void {
    this.#releaseWhere((p) => now - p.firstArrival >= this.#holdMs, false);
  }

  /** Releases everything held (every runner has exited). */
  releaseAll(): void {
    this.#releaseWhere(() => true, true);
  }

  /** A split run's batch without its run-wide gauges, which wait per runner; null when nothing is left. */
  #setGaugesApart(batch: StoredMetricsBatch, source: number): StoredMetricsBatch | null {
    const gauges = batch.series.filter(isRunWideGauge);
    if (gauges.length === 0) return batch;
    for (const d of batch.metrics) if (gauges.some((g) => g.metric === d.name)) this.#gaugeDefs.set(d.name, d);
    const second = this.#gauges.get(batch.time) ?? new Map<number, StoredSeriesAggregate[]>();
    this.#gauges.set(batch.time, second);
    second.set(source, [...(second.get(source) ?? []), ...gauges]);
    this.#reportedUpTo.set(source, Math.max(this.#reportedUpTo.get(source) ?? -Infinity, batch.time));
    const rest = batch.series.filter((agg) => !isRunWideGauge(agg));
    return rest.length === 0 ? null : { ...batch, series: rest };
  }

  /** Every runner still running has reported run-wide gauges for a later second. */
  #gaugesComplete(time: number): boolean {
    return [...this.#sources].every((s) => this.#ended.has(s) || (this.#reportedUpTo.get(s) ?? -Infinity) > time);
  }

  #releaseWhere(due: (p: Pending) => boolean, all: boolean): void {
    const times = [...this.#pending.entries()].filter(([, p]) => due(p)).map(([t]) => t).sort((a, b) => a - b);
    for (const time of times) {
      const { batches: entries } = this.#pending.get(time) as Pending;
      this.#pending.delete(time);
      // Batches added before a second runner was seen still hold their VU gauges.
      const split = this.#sources.size > 1;
      const batches = entries.flatMap(({ source, batch }) => {
        const rest = split ? this.#setGaugesApart(batch, source) : batch;
        return rest === null ? [] : [rest];
      });
      const merged = batches.length === 0 ? [] : this.#merged(time, batches);
      // The second's summed VU gauges go with its other series when they are complete by now.
      const summed = this.#takeGauges(all, time);
      const with_ = summed.find((b) => b.time === time);
      for (const b of summed) if (b !== with_ && b.time < time) this.#release(b);
      if (with_ !== undefined && merged.length === 1 && merged[0] !== undefined) merged[0] = { ...merged[0], metrics: mergeDefs(merged[0].metrics, with_.metrics), series: [...merged[0].series, ...with_.series] };
      else if (with_ !== undefined) merged.push(with_);
      for (const b of merged) this.#release(b);
      for (const b of summed) if (b !== with_ && b.time > time) this.#release(b);
    }
    for (const b of this.#takeGauges(all, Infinity)) this.#release(b);
  }

  /** Summed run-wide gauges of the complete seconds up to `until`, oldest first (each needs the ones before). */
  #takeGauges(all: boolean, until: number): StoredMetricsBatch[] {
    const out: StoredMetricsBatch[] = [];
    for (const time of [...this.#gauges.keys()].sort((a, b) => a - b)) {
      // Oldest first: a second's sums carry the values of the ones before. Normally a second's wait
      // until its other series are released, to be stored with them.
      if (time > until || !(all || (this.#gaugesComplete(time) && !this.#pending.has(time)))) break;
      const bySource = this.#gauges.get(time) as Map<number, StoredSeriesAggregate[]>;
      this.#gauges.delete(time);
      const series = sumRunWideGauges(bySource, this.#held, (s) => (this.#reportedUpTo.get(s) ?? -Infinity) > time, {
        sources: this.#sources,
        of: (source) => {
          const next = [...this.#gauges.keys()].filter((t) => t > time && this.#gauges.get(t)?.has(source)).sort((a, b) => a - b)[0];
          return next === undefined ? undefined : this.#gauges.get(next)?.get(source);
        },
      });
      out.push({ time, metrics: [...this.#gaugeDefs.values()].filter((d) => series.some((g) => g.metric === d.name)), series });
    }
    return out;
  }

  #merged(time: number, batches: StoredMetricsBatch[]): StoredMetricsBatch[] {
    if (batches.length === 1) return batches;
    try {
      return [this.#rollUp(time, batches)];
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

function mergeDefs(a: readonly StoredMetricDef[], b: readonly StoredMetricDef[]): StoredMetricDef[] {
  const names = new Set(a.map((d) => d.name));
  return [...a, ...b.filter((d) => !names.has(d.name))];
}
