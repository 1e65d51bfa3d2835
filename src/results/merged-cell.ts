// One merge target of the query engine: every aggregate of one result series within one time window
// (or since the start of the run), merged exactly with the engine's own RunMetrics: counters add,
// gauges keep the latest last and the extremes, rates add their counts, trend histograms merge.
import { RunMetrics } from '../engine/index.ts';
import type { MetricDef, SeriesAggregate } from '../engine/index.ts';
import type { StoredSeriesAggregate } from '../store/index.ts';

/** The engine's merged state of a metric (counter sum, gauge last/min/max, rate counts, trend digest). */
export type MergedState = NonNullable<ReturnType<RunMetrics['state']>>;

const NO_TAGS: Record<string, string> = {};

export class MergedCell {
  readonly #metrics: RunMetrics;
  readonly #name: string;
  /** Gauges: sum and number of the per-second `last` values seen (for `avg`). */
  gaugeLastSum = 0;
  gaugeLastCount = 0;

  constructor(def: Readonly<MetricDef>) {
    this.#metrics = new RunMetrics([def], { submetrics: [] });
    this.#name = def.name;
  }

  add(time: number, agg: Readonly<StoredSeriesAggregate>): void {
    // The stored row is the engine's wire aggregate, JSON round-tripped. Tags are dropped so the cell
    // keeps one series only; the trend object is kept as is so its histogram is decoded once per query.
    const series = { ...(agg as unknown as SeriesAggregate), tags: NO_TAGS };
    this.#metrics.ingest({ time, metrics: [], series: [series] });
    if (agg.gauge) {
      this.gaugeLastSum += agg.gauge.last;
      this.gaugeLastCount++;
    }
  }

  get isEmpty(): boolean {
    return this.state.isEmpty;
  }

  get state(): MergedState {
    const s = this.#metrics.state(this.#name);
    if (!s) throw new Error(`metric ${this.#name} is not defined`);
    return s;
  }
}
