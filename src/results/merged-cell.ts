// One merge target of the query engine: every aggregate of one result series within one time window
// (or since the start of the run), merged exactly as the engine merges them: counters, gauges and rates
// by the engine's own rules (AggregateFold, as MetricState.fold), trends as SparseTrend (the engine's
// percentiles). On top, what only queries ask for: each second's counter sum and the gauges' `last` values.
import { AggregateFold, type TrendAggregate } from '../engine/index.ts';
import type { StoredSeriesAggregate } from '../store/index.ts';
import { SparseTrend, type TrendBlock } from './sparse-trend.ts';

const EMPTY: ReadonlyMap<number, number> = new Map();

export class MergedCell extends AggregateFold {
  /** Sum and number of the per-second gauge `last` values (for `avg`). */
  gaugeLastSum = 0;
  gaugeLastCount = 0;
  trend: SparseTrend | null = null;
  #secondSums: Map<number, number> | undefined;

  /** Counters: the sum of each second (epoch ms → sum), for peak rates. Made for counters only. */
  get secondSums(): ReadonlyMap<number, number> {
    return this.#secondSums ?? EMPTY;
  }

  /** A trend second's count, sum, sum of squares and extremes (a FinishedMetric row); its samples come with addTrendBlock. */
  addTrendStats(count: number, sum: number, sumSq: number, min: number, max: number): void {
    (this.trend ??= new SparseTrend()).addStatsOf(count, sum, sumSq, min, max);
    this.samples += count;
  }

  addTrendBlock(block: TrendBlock): void {
    (this.trend ??= new SparseTrend()).addBlock(block);
  }

  add(time: number, agg: Readonly<StoredSeriesAggregate>): void {
    // A stored gauge row is the engine's wire aggregate: its `at` (time of the last sample) is there.
    if (this.foldScalar(agg, time)) {
      if (agg.counter) {
        const sums = (this.#secondSums ??= new Map());
        sums.set(time, (sums.get(time) ?? 0) + agg.counter.sum);
      } else if (agg.gauge) {
        this.gaugeLastSum += agg.gauge.last;
        this.gaugeLastCount++;
      }
    } else if (agg.trend) {
      const t = agg.trend as unknown as TrendAggregate;
      (this.trend ??= new SparseTrend()).addAggregate(t);
      this.samples += t.count;
    }
  }
}
