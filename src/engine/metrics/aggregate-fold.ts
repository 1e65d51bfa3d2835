// k6's rules for merging wire aggregates of counters, gauges and rates: counters add, gauges keep the
// latest `last` (by sample time) and the extremes, rates add their counts. The engine's MetricState and
// the results part's query cells both build on it; each holds trends its own way.
import type { SeriesAggregate } from './metrics-batch.ts';

export class AggregateFold {
  /** Aggregates folded in (a counter sum hides its sample count); for rates and trends, samples. */
  samples = 0;
  sum = 0;
  last = 0;
  lastTime = -Infinity;
  min = 0;
  max = 0;
  nonzero = 0;
  total = 0;

  get isEmpty(): boolean {
    return this.samples === 0;
  }

  /**
   * Folds a counter, gauge or rate aggregate of the second starting at `time` (epoch ms); false, and
   * nothing folded, for any other (a trend, which the subclass folds).
   */
  protected foldScalar(agg: Pick<SeriesAggregate, 'counter' | 'gauge' | 'rate'>, time: number): boolean {
    if (agg.counter) {
      this.sum += agg.counter.sum;
      this.samples++;
    } else if (agg.gauge) {
      const g = agg.gauge;
      if (this.samples === 0 || g.min < this.min) this.min = g.min;
      if (this.samples === 0 || g.max > this.max) this.max = g.max;
      const at = g.at ?? time;
      if (at >= this.lastTime) {
        this.last = g.last;
        this.lastTime = at;
      }
      this.samples++;
    } else if (agg.rate) {
      this.nonzero += agg.rate.nonzero;
      this.total += agg.rate.total;
      this.samples += agg.rate.total;
    } else {
      return false;
    }
    return true;
  }
}
