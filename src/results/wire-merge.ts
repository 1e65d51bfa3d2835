// Several wire aggregates of one series folded into one, by the engine's own merge (MetricState.fold,
// then MetricState.toAggregate), so the result folds back exactly: counters add, gauges keep the
// latest last and the extremes, rates add their counts, trend histograms merge. One state with fast
// histograms: this runs for every series every second of a run (the orchestrator merges the runner
// threads' batches), and a RunMetrics would also fold each aggregate into a compact per-series copy.
import { MetricState } from '../engine/index.ts';
import type { MetricDef, SeriesAggregate } from '../engine/index.ts';
import type { StoredMetricDef, StoredSeriesAggregate } from '../store/index.ts';

export interface TimedAggregate {
  /** Epoch ms of the second the aggregate covers. */
  readonly time: number;
  readonly agg: Readonly<StoredSeriesAggregate>;
}

export function mergeAggregates(def: Readonly<StoredMetricDef>, items: readonly TimedAggregate[], tags: Record<string, string>): StoredSeriesAggregate {
  const state = new MetricState((def as MetricDef).type);
  for (const { time, agg } of items) state.fold(agg as unknown as SeriesAggregate, time);
  return state.toAggregate(def.name, tags) as unknown as StoredSeriesAggregate;
}

/** A metric's definition from its aggregates' shape, for batches that omit it. */
export function defFromShape(metric: string, agg: Readonly<StoredSeriesAggregate> | undefined): StoredMetricDef {
  const type = agg?.trend ? 'trend' : agg?.rate ? 'rate' : agg?.gauge ? 'gauge' : 'counter';
  return { name: metric, type, contains: 'default' };
}
