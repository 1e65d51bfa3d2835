// Coarser stored resolution for long or busy runs: the per-second batches of each interval folded into
// one batch (one aggregate per series), merged exactly. Rows stored drop by the interval's length in
// seconds and a trend histogram costs about as much for ten seconds as for one, so a run-minute takes a
// fraction of the bytes; queries then see one point of data per interval (a step shorter than the
// interval leaves windows without data, and window edges fall on interval boundaries).
import type { StoredMetricDef, StoredMetricsBatch } from '../store/index.ts';
import { defFromShape, mergeAggregates, type TimedAggregate } from './wire-merge.ts';

/** `batches` in any order; the result ascending by time, each batch at the start of its interval. */
export function rollUpBatches(batches: readonly StoredMetricsBatch[], intervalMs: number): StoredMetricsBatch[] {
  if (!Number.isInteger(intervalMs) || intervalMs < 1000 || intervalMs % 1000 !== 0) throw new Error(`roll-up interval must be whole seconds, got ${intervalMs} ms`);
  const byInterval = new Map<number, { defs: Map<string, StoredMetricDef>; series: Map<string, { metric: string; tags: Record<string, string>; items: TimedAggregate[] }> }>();
  for (const b of batches) {
    const start = Math.floor(b.time / intervalMs) * intervalMs;
    let bucket = byInterval.get(start);
    if (!bucket) {
      bucket = { defs: new Map(), series: new Map() };
      byInterval.set(start, bucket);
    }
    for (const d of b.metrics) if (!bucket.defs.has(d.name)) bucket.defs.set(d.name, d);
    for (const agg of b.series) {
      const key = JSON.stringify([agg.metric, Object.entries(agg.tags).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))]);
      const entry = bucket.series.get(key);
      if (entry) entry.items.push({ time: b.time, agg });
      else bucket.series.set(key, { metric: agg.metric, tags: agg.tags, items: [{ time: b.time, agg }] });
    }
  }
  return [...byInterval.entries()]
    .sort(([a], [b]) => a - b)
    .map(([time, bucket]) => ({
      time,
      metrics: [...bucket.defs.values()],
      series: [...bucket.series.values()].map((s) => {
        const def = bucket.defs.get(s.metric) ?? defFromShape(s.metric, s.items[0]?.agg);
        return s.items.length === 1 && s.items[0] ? { ...s.items[0].agg, tags: s.tags } : mergeAggregates(def, s.items, s.tags);
      }),
    }));
}
