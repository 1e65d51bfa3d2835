// One merge target of the query engine: every aggregate of one result series within one time window
// (or since the start of the run), merged exactly as the engine merges them (MetricState.fold):
// counters add, gauges keep the latest `last` (by sample time) and the extremes, rates add their
// counts, trends merge (SparseTrend, the engine's percentiles).
import type { TrendAggregate } from '../engine/index.ts';
import type { StoredSeriesAggregate } from '../store/index.ts';
import { SparseTrend } from './sparse-trend.ts';

const EMPTY: ReadonlyMap<number, number> = new Map();

export class MergedCell {
  /** Aggregates folded in (rates: observations). */
  samples = 0;
  sum = 0;
  last = 0;
  lastTime = -Infinity;
  min = 0;
  max = 0;
  nonzero = 0;
  total = 0;
  /** Sum and number of the per-second gauge `last` values (for `avg`). */
  gaugeLastSum = 0;
  gaugeLastCount = 0;
  trend: SparseTrend | null = null;
  #secondSums: Map<number, number> | undefined;

  /** Counters: the sum of each second (epoch ms → sum), for peak rates. Made for counters only. */
  get secondSums(): ReadonlyMap<number, number> {
    return this.#secondSums ?? EMPTY;
  }

  get isEmpty(): boolean {
    return this.samples === 0;
  }

  add(time: number, agg: Readonly<StoredSeriesAggregate>): void {
    if (agg.counter) {
      this.sum += agg.counter.sum;
      const sums = (this.#secondSums ??= new Map());
      sums.set(time, (sums.get(time) ?? 0) + agg.counter.sum);
      this.samples++;
    } else if (agg.gauge) {
      // The stored row is the engine's wire aggregate: `at` is the time of the last sample.
      const g = agg.gauge as { last: number; min: number; max: number; at?: number };
      if (this.samples === 0 || g.min < this.min) this.min = g.min;
      if (this.samples === 0 || g.max > this.max) this.max = g.max;
      const at = g.at ?? time;
      if (at >= this.lastTime) {
        this.last = g.last;
        this.lastTime = at;
      }
      this.gaugeLastSum += g.last;
      this.gaugeLastCount++;
      this.samples++;
    } else if (agg.rate) {
      this.nonzero += agg.rate.nonzero;
      this.total += agg.rate.total;
      this.samples += agg.rate.total;
    } else if (agg.trend) {
      const t = agg.trend as unknown as TrendAggregate;
      (this.trend ??= new SparseTrend()).addAggregate(t);
      this.samples += t.count;
    }
  }
}
