// The engine's `vus` and `vus_max` gauges count the VUs of one runner. A run split over load zones has
// one runner per zone, and its VUs are the sum over them (as k6 cloud reports VUs across its load
// generators), while a gauge merge keeps the latest value. So the coalescer sets these gauges of a
// split run apart per runner and per second, and stores a second's once every runner still running
// has reported past it (or exited), summed across the runners (this file); a batch arriving late thus
// never leaves a partial sum (or one runner's value) in the store.
//
// A runner's main thread reports both once a second while it runs (k6's scheduler ticker), in order.
// A second one runner has no report for (its ticker fell on either side of it) counts that runner's
// last values when it reported after that second (it was running); a runner that has ended counts
// no `vus` (it has no VUs), and its last `vus_max` (the VUs it initialised). A runner that has not
// reported yet counts its first report's values: the zones' runners start together, each ticker
// first ticks a second after its start, and they fall on either side of a second boundary (without
// this, a split run's first second showed 3 of 5 VUs).
import type { StoredSeriesAggregate } from '../store/index.ts';

type Gauge = { last: number; min: number; max: number };

/** Gauges whose run-wide value is the sum of every runner's. */
export const RUN_WIDE_GAUGES: ReadonlySet<string> = new Set(['vus', 'vus_max']);
/** Of those, the ones an ended runner keeps at its last value. */
const HELD_AFTER_END: ReadonlySet<string> = new Set(['vus_max']);

export function seriesKey(agg: Pick<StoredSeriesAggregate, 'metric' | 'tags'>): string {
  return JSON.stringify([agg.metric, Object.entries(agg.tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
}

/** Per runner, per series: the last value of each run-wide gauge, carried from second to second. */
export type HeldGauges = Map<number, Map<string, Gauge>>;

export function isRunWideGauge(agg: StoredSeriesAggregate): boolean {
  return RUN_WIDE_GAUGES.has(agg.metric) && agg.gauge !== undefined;
}

/**
 * `bySource` holds each runner's run-wide gauge aggregates of one second (several of one series
 * merge: min, max, the latest last). Returns them summed per series (last, min and max each summed:
 * the second's run-wide value and its bounds), counting for a runner with no report that second its
 * held values when `running(source)` says it still ran after it (else `vus_max` only). `held` is
 * updated with this second's values; seconds must come in ascending order.
 */
export function sumRunWideGauges(
  bySource: ReadonlyMap<number, readonly StoredSeriesAggregate[]>,
  held: HeldGauges,
  running: (source: number) => boolean,
  firstReport: { sources: Iterable<number>; of: (source: number) => readonly StoredSeriesAggregate[] | undefined } = { sources: [], of: () => undefined },
): StoredSeriesAggregate[] {
  const present = new Map<string, { metric: string; tags: Record<string, string>; bySource: Map<number, Gauge> }>();
  for (const [source, aggs] of bySource) {
    for (const agg of aggs) {
      const g = agg.gauge;
      if (g === undefined) continue;
      const k = seriesKey(agg);
      const entry = present.get(k) ?? { metric: agg.metric, tags: { ...agg.tags }, bySource: new Map<number, Gauge>() };
      present.set(k, entry);
      const prev = entry.bySource.get(source);
      entry.bySource.set(source, prev === undefined ? { last: g.last, min: g.min, max: g.max } : { last: g.last, min: Math.min(prev.min, g.min), max: Math.max(prev.max, g.max) });
    }
  }
  const summed: StoredSeriesAggregate[] = [];
  for (const [k, { metric, tags, bySource: reported }] of present) {
    const total: Gauge = { last: 0, min: 0, max: 0 };
    const add = (g: Gauge): void => {
      total.last += g.last;
      total.min += g.min;
      total.max += g.max;
    };
    for (const g of reported.values()) add(g);
    for (const [source, mine] of held) {
      const carried = reported.has(source) ? undefined : mine.get(k);
      if (carried !== undefined && (HELD_AFTER_END.has(metric) || running(source))) add(carried);
    }
    for (const source of firstReport.sources) {
      if (reported.has(source) || held.has(source)) continue;
      const first = firstReport.of(source)?.filter((agg) => seriesKey(agg) === k).at(-1)?.gauge;
      if (first !== undefined) add({ last: first.last, min: first.last, max: first.last });
    }
    for (const [source, g] of reported) {
      const mine = held.get(source) ?? new Map<string, Gauge>();
      held.set(source, mine);
      mine.set(k, { last: g.last, min: g.last, max: g.last });
    }
    summed.push({ metric, tags, gauge: total });
  }
  return summed;
}
