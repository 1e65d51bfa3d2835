// The engine's `vus` and `vus_max` gauges count the VUs of one runner. A run split over load zones has
// one runner per zone, and its VUs are the sum over them (as k6 cloud reports VUs across its load
// generators), while a gauge merge keeps the latest value. So once batches of several runners have
// been seen, the coalescer merges each runner's batches of a second, then sums these gauges across the
// runners (this file), and merges everything else as usual.
//
// `vus` is summed over the runners that reported it in that second (every runner reports it every
// second while it runs, and one that ended reports nothing: it has no VUs). `vus_max` only grows while
// a runner lives, so a runner that did not report it in a second (it started or flushed a little
// later) counts with the last value it reported.
import type { StoredMetricsBatch, StoredSeriesAggregate } from '../store/index.ts';

type Gauge = { last: number; min: number; max: number };

/** Gauges whose run-wide value is the sum of every runner's. */
export const RUN_WIDE_GAUGES: ReadonlySet<string> = new Set(['vus', 'vus_max']);
/** Of those, the ones a runner keeps at its last value between reports. */
const HELD_GAUGES: ReadonlySet<string> = new Set(['vus_max']);

function key(agg: StoredSeriesAggregate): string {
  return JSON.stringify([agg.metric, Object.entries(agg.tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
}

/** Per runner, per series: the last value of each held gauge, carried from second to second. */
export type HeldGauges = Map<number, Map<string, Gauge>>;

/**
 * `perRunner` holds one batch per runner (`source`) for the same second. Returns those batches without
 * their run-wide gauges, and those gauges summed per series (last, min and max each summed: the
 * second's run-wide value and its bounds). `held` is updated with this second's held gauges.
 */
export function sumRunWideGauges(perRunner: readonly { source: number; batch: StoredMetricsBatch }[], held: HeldGauges): { batches: StoredMetricsBatch[]; summed: StoredSeriesAggregate[] } {
  const present = new Map<string, { metric: string; tags: Record<string, string>; bySource: Map<number, Gauge> }>();
  const batches = perRunner.map(({ source, batch }) => ({
    ...batch,
    series: batch.series.filter((agg) => {
      if (!RUN_WIDE_GAUGES.has(agg.metric) || agg.gauge === undefined) return true;
      const k = key(agg);
      const entry = present.get(k) ?? { metric: agg.metric, tags: { ...agg.tags }, bySource: new Map<number, Gauge>() };
      present.set(k, entry);
      const g = agg.gauge;
      const prev = entry.bySource.get(source);
      entry.bySource.set(source, prev === undefined ? { last: g.last, min: g.min, max: g.max } : { last: g.last, min: Math.min(prev.min, g.min), max: Math.max(prev.max, g.max) });
      if (HELD_GAUGES.has(agg.metric)) {
        const mine = held.get(source) ?? new Map<string, Gauge>();
        held.set(source, mine);
        mine.set(k, { last: g.last, min: g.last, max: g.last });
      }
      return false;
    }),
  }));
  const summed: StoredSeriesAggregate[] = [];
  for (const [k, { metric, tags, bySource }] of present) {
    const total: Gauge = { last: 0, min: 0, max: 0 };
    const add = (g: Gauge): void => {
      total.last += g.last;
      total.min += g.min;
      total.max += g.max;
    };
    for (const g of bySource.values()) add(g);
    if (HELD_GAUGES.has(metric)) {
      for (const [source, mine] of held) {
        const carried = bySource.has(source) ? undefined : mine.get(k);
        if (carried !== undefined) add(carried);
      }
    }
    summed.push({ metric, tags, gauge: total });
  }
  return { batches, summed };
}
