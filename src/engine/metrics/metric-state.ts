// The merged state of a metric, a submetric or a single series, and the values k6 reports for it.
import type { MetricType } from '../vu/vu-host.ts';
import { AggregateFold } from './aggregate-fold.ts';
import type { SeriesAggregate } from './metrics-batch.ts';
import { TrendDigest } from './trend-digest.ts';

export type MetricValues = Record<string, number>;

export const DEFAULT_TREND_STATS: readonly string[] = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];

const PERCENTILE_STAT = /^p\((\d+(?:\.\d+)?)\)$/;

/** Whether `stat` names a trend statistic k6 knows (lib/options.go summaryTrendStats validation). */
export function isTrendStat(stat: string): boolean {
  if (['avg', 'min', 'med', 'max', 'count'].includes(stat)) return true;
  const m = PERCENTILE_STAT.exec(stat);
  return m !== null && Number(m[1]) >= 0 && Number(m[1]) <= 100;
}

export class MetricState extends AggregateFold {
  readonly trend: TrendDigest | null;

  /** `compact` trades merge speed for memory (see TrendDigest); for states kept per series. */
  constructor(readonly type: MetricType, options: { compact?: boolean } = {}) {
    super();
    this.trend = type === 'trend' ? new TrendDigest(options) : null;
  }

  fold(agg: SeriesAggregate, time: number): void {
    if (this.foldScalar(agg, time)) return;
    if (agg.trend && this.trend) {
      this.trend.addAggregate(agg.trend);
      this.samples += agg.trend.count;
    }
  }

  merge(other: MetricState): void {
    if (other.samples === 0) return;
    if (this.type === 'gauge') {
      if (this.samples === 0 || other.min < this.min) this.min = other.min;
      if (this.samples === 0 || other.max > this.max) this.max = other.max;
      if (other.lastTime >= this.lastTime) {
        this.last = other.last;
        this.lastTime = other.lastTime;
      }
    }
    this.sum += other.sum;
    this.nonzero += other.nonzero;
    this.total += other.total;
    this.samples += other.samples;
    if (this.trend && other.trend) this.trend.merge(other.trend);
  }

  /** The state as one wire aggregate (e.g. a stored roll-up of a time window); folds back exactly. */
  toAggregate(metric: string, tags: Record<string, string>): SeriesAggregate {
    const agg: SeriesAggregate = { metric, tags };
    switch (this.type) {
      case 'counter':
        agg.counter = { sum: this.sum };
        break;
      case 'gauge':
        agg.gauge = { last: this.last, min: this.min, max: this.max };
        if (Number.isFinite(this.lastTime)) agg.gauge.at = this.lastTime;
        break;
      case 'rate':
        agg.rate = { nonzero: this.nonzero, total: this.total };
        break;
      case 'trend':
        agg.trend = this.trend?.toAggregate() ?? { count: 0, sum: 0, min: 0, max: 0 };
        break;
    }
    return agg;
  }

  /** counter {count, rate}, gauge {value, min, max}, rate {rate, passes, fails}, trend one key per stat. */
  values(testRunDurationMs: number, trendStats: readonly string[] = DEFAULT_TREND_STATS): MetricValues {
    switch (this.type) {
      case 'counter':
        return { count: this.sum, rate: testRunDurationMs > 0 ? this.sum / (testRunDurationMs / 1000) : 0 };
      case 'gauge':
        return { value: this.last, min: this.min, max: this.max };
      case 'rate':
        return { rate: this.total > 0 ? this.nonzero / this.total : 0, passes: this.nonzero, fails: this.total - this.nonzero };
      case 'trend': {
        const out: MetricValues = {};
        for (const stat of trendStats) {
          const v = this.trendStat(stat);
          if (v !== undefined) out[stat] = v;
        }
        return out;
      }
    }
  }

  /** One trend statistic (avg, min, med, max, count, p(N)); 0 for an empty trend, as k6 reports it. */
  trendStat(stat: string): number | undefined {
    const t = this.trend;
    if (!t) return undefined;
    const empty = t.count === 0;
    switch (stat) {
      case 'avg':
        return t.avg();
      case 'min':
        return empty ? 0 : t.min;
      case 'max':
        return empty ? 0 : t.max;
      case 'med':
        return t.percentile(50);
      case 'count':
        return t.count;
    }
    const m = PERCENTILE_STAT.exec(stat);
    return m ? t.percentile(Number(m[1])) : undefined;
  }
}
