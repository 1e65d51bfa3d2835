// Several wire aggregates of one series folded into one, by the engine's own merge (RunMetrics, then
// MetricState.toAggregate), so the result folds back exactly: counters add, gauges keep the latest
// last and the extremes, rates add their counts, trend histograms merge.
import { RunMetrics } from '../engine/index.ts';
import type { MetricDef, SeriesAggregate } from '../engine/index.ts';
import type { StoredMetricDef, StoredSeriesAggregate } from '../store/index.ts';

export interface TimedAggregate {
  /** Epoch ms of the second the aggregate covers. */
  readonly time: number;
  readonly agg: Readonly<StoredSeriesAggregate>;
}

export function mergeAggregates(def: Readonly<StoredMetricDef>, items: readonly TimedAggregate[], tags: Record<string, string>): StoredSeriesAggregate {
  const merged = new RunMetrics([def as MetricDef], { submetrics: [] });
  for (const { time, agg } of items) merged.ingest({ time, metrics: [], series: [{ ...(agg as unknown as SeriesAggregate), tags: {} }] });
  const state = merged.state(def.name);
  if (!state) throw new Error(`metric ${def.name} is not defined`);
  return state.toAggregate(def.name, tags) as unknown as StoredSeriesAggregate;
}

/** A metric's definition from its aggregates' shape, for batches that omit it. */
export function defFromShape(metric: string, agg: Readonly<StoredSeriesAggregate> | undefined): StoredMetricDef {
  const type = agg?.trend ? 'trend' : agg?.rate ? 'rate' : agg?.gauge ? 'gauge' : 'counter';
  return { name: metric, type, contains: 'default' };
}
