// Storage bounds applied to a run's batches before they are stored (k6's advice on URL cardinality):
//
// 1. Series are grouped by the `name` tag: an aggregate that has a `name` loses its `url` tag (k6 sets
//    `name` to the URL unless the script names the request, e.g. with http.url`…` templates), and
//    aggregates that then share metric and tags within the batch are merged exactly.
// 2. Past `maxSeries` distinct series in the run, each new series is folded: its tags are reduced to
//    FOLD_KEPT_TAGS plus `folded: "true"`, so totals, rates and percentiles stay exact while the
//    per-URL breakdown stops growing. The first fold produces a warning for the run.
import type { StoredMetricsBatch, StoredSeriesAggregate } from '../store/index.ts';
import { defFromShape, mergeAggregates } from './wire-merge.ts';

/** Distinct series a run may store before new ones are folded. */
export const DEFAULT_MAX_SERIES_PER_RUN = 1000;

/** Low-cardinality tags a folded series keeps (so expected_response submetrics still select it). */
export const FOLD_KEPT_TAGS: readonly string[] = ['expected_response', 'scenario', 'method', 'status'];

export interface SeriesCapState {
  readonly maxSeries: number;
  /** Keys (metric + canonical tags) of the series stored so far. */
  readonly known: Set<string>;
  /** Aggregates folded so far. */
  folded: number;
  /** Warnings for the run, at most one. */
  readonly warnings: string[];
}

export function createSeriesCapState(maxSeries = DEFAULT_MAX_SERIES_PER_RUN): SeriesCapState {
  return { maxSeries, known: new Set(), folded: 0, warnings: [] };
}

function seriesKey(metric: string, tags: Readonly<Record<string, string>>): string {
  return JSON.stringify([metric, Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
}

function groupedByName(tags: Readonly<Record<string, string>>): Record<string, string> {
  if (tags['name'] === undefined || tags['url'] === undefined) return { ...tags };
  const { url: _url, ...rest } = tags;
  return rest;
}

function foldedTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of FOLD_KEPT_TAGS) {
    const v = tags[k];
    if (v !== undefined) out[k] = v;
  }
  out['folded'] = 'true';
  return out;
}

/**
 * The batch as it should be stored, and the warning to record on the run when this batch made the
 * run reach its series cap. The state carries the run's known series from batch to batch.
 */
export function capSeries(batch: Readonly<StoredMetricsBatch>, state: SeriesCapState): { batch: StoredMetricsBatch; warning?: string } {
  const defs = new Map(batch.metrics.map((d) => [d.name, d]));
  const groups = new Map<string, { metric: string; tags: Record<string, string>; aggs: StoredSeriesAggregate[] }>();
  let warning: string | undefined;
  for (const agg of batch.series) {
    let tags = groupedByName(agg.tags);
    let key = seriesKey(agg.metric, tags);
    if (!state.known.has(key)) {
      if (state.known.size < state.maxSeries) {
        state.known.add(key);
      } else {
        tags = foldedTags(tags);
        key = seriesKey(agg.metric, tags);
        state.folded++;
        if (state.warnings.length === 0) {
          warning = `The test run reached ${state.maxSeries} distinct time series; further series are folded into series tagged folded="true" (totals stay exact). Give requests with dynamic URLs a name tag (e.g. http.url\`…\`) to group them.`;
          state.warnings.push(warning);
        }
      }
    }
    const group = groups.get(key);
    if (group) group.aggs.push(agg);
    else groups.set(key, { metric: agg.metric, tags, aggs: [agg] });
  }
  const series: StoredSeriesAggregate[] = [];
  for (const g of groups.values()) {
    const only = g.aggs.length === 1 ? g.aggs[0] : undefined;
    if (only) {
      series.push({ ...only, tags: g.tags });
      continue;
    }
    series.push(mergeAggregates(defs.get(g.metric) ?? defFromShape(g.metric, g.aggs[0]), g.aggs.map((agg) => ({ time: batch.time, agg })), g.tags));
  }
  return warning === undefined ? { batch: { time: batch.time, metrics: batch.metrics, series } } : { batch: { time: batch.time, metrics: batch.metrics, series }, warning };
}
