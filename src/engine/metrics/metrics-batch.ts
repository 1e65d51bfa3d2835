// The wire format between a worker's aggregator and the run's merged view (and from a runner process to
// the control plane). One batch per completed second; every series aggregate folds that second's samples.
import type { MetricContains, MetricType } from '../vu/vu-host.ts';

export interface MetricDef {
  name: string;
  type: MetricType;
  contains: MetricContains;
}

/**
 * A trend's samples for one second. `values` carries the samples themselves while there are few of them
 * (so small tests get k6's exact percentiles); otherwise `hdr` (and `hdrNeg` for negative samples, by
 * magnitude) carry base64 HdrHistogram V2 compressed encodings of `round(|v| * TREND_SCALE)`.
 * count/sum/sumSq/min/max are always exact (sumSq: sum of squares, for the standard deviation).
 */
export interface TrendAggregate {
  count: number;
  sum: number;
  sumSq?: number;
  min: number;
  max: number;
  values?: number[];
  hdr?: string;
  hdrNeg?: string;
}

export interface SeriesAggregate {
  metric: string;
  tags: Record<string, string>;
  counter?: { sum: number };
  /** `at`: epoch ms of the last sample, so merging keeps the latest `last` across workers. */
  gauge?: { last: number; min: number; max: number; at?: number };
  rate?: { nonzero: number; total: number };
  trend?: TrendAggregate;
}

export interface MetricsBatch {
  /** Epoch ms of the start of the second this batch covers. */
  time: number;
  /** Definitions of every metric named in `series`. */
  metrics: MetricDef[];
  series: SeriesAggregate[];
}
