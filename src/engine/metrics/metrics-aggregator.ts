// A worker's SampleSink: folds samples per series (metric + tag set) into one aggregate per second, and
// hands out completed seconds as MetricsBatches.
//
// Hot path: an HTTP request adds ~10 samples sharing one tag object. The tag set is resolved once per
// addMany, by object identity first (WeakMap) and by content key second, so a steady workload allocates
// nothing per sample: trend values go into buffers each series keeps.
// Invariant: a tag object passed in is never mutated afterwards (its first-seen content is what counts).
// A second's batch lists its series in the order they were created (their first sample in this thread),
// whatever order they were closed in: the run's summary lists groups and checks in first-seen order.
import type { SampleSink, Tags } from '../vu/vu-host.ts';
import type { MetricDef, MetricsBatch, SeriesAggregate } from './metrics-batch.ts';
import { seriesKey } from './series-key.ts';
import { TrendScratch, encodeTrendSamples } from './trend-digest.ts';

export interface MetricDefLookup {
  get(name: string): Readonly<MetricDef> | undefined;
}

const EMPTY = -1;
const KINDS: readonly string[] = ['trend', 'counter', 'gauge', 'rate'];
const TREND = 0;
const COUNTER = 1;
const GAUGE = 2;
const RATE = 3;
const NO_VALUES = new Float64Array(0);

function grown(values: Float64Array): Float64Array {
  // Small at first: a run with a unique URL per request has a trend series per URL and metric, most
  // of them holding one sample (256 values each held ~14 KB per URL until the end of the run).
  const next = new Float64Array(Math.max(8, values.length * 2));
  next.set(values);
  return next;
}

class Series {
  /** Start (epoch ms) of the second being accumulated, or EMPTY. */
  second = EMPTY;
  sum = 0;
  last = 0;
  lastAt = 0;
  min = 0;
  max = 0;
  nonzero = 0;
  total = 0;
  /**
   * A trend's values of the second, the first `count` of them. Off the JS heap and kept across
   * seconds (it grows, never shrinks): a plain array emptied every second was re-grown every second,
   * hundreds of KB of large-object churn per series at tens of thousands of requests a second.
   */
  values: Float64Array = NO_VALUES;
  count = 0;

  /** def.type as a small integer: add() runs for every sample. */
  readonly kind: number;

  constructor(
    readonly def: Readonly<MetricDef>,
    readonly tags: Record<string, string>,
    /** Creation number: the batches list series in this order. */
    readonly order: number,
  ) {
    this.kind = KINDS.indexOf(def.type);
  }

  add(value: number, now: number): void {
    switch (this.kind) {
      case TREND:
        if (this.count === this.values.length) this.values = grown(this.values);
        this.values[this.count++] = value;
        break;
      case COUNTER:
        this.sum += value;
        break;
      case GAUGE:
        if (this.total === 0 || value < this.min) this.min = value;
        if (this.total === 0 || value > this.max) this.max = value;
        this.last = value;
        this.lastAt = now;
        this.total++;
        break;
      case RATE:
        if (value !== 0) this.nonzero++;
        this.total++;
        break;
    }
  }

  /** The second's aggregate; resets the series to EMPTY. */
  close(scratch: TrendScratch): SeriesAggregate {
    const agg: SeriesAggregate = { metric: this.def.name, tags: this.tags };
    switch (this.def.type) {
      case 'counter':
        agg.counter = { sum: this.sum };
        break;
      case 'gauge':
        agg.gauge = { last: this.last, min: this.min, max: this.max, at: this.lastAt };
        break;
      case 'rate':
        agg.rate = { nonzero: this.nonzero, total: this.total };
        break;
      case 'trend':
        agg.trend = encodeTrendSamples(this.values, scratch, this.count);
        break;
    }
    this.second = EMPTY;
    this.sum = this.nonzero = this.total = 0;
    this.count = 0;
    return agg;
  }
}

type SampleList = ReadonlyArray<readonly [metric: string, value: number]>;

/** The series a reused sample list of addMany() lands in, position by position. */
interface Layout {
  readonly samples: SampleList;
  readonly series: Series[];
}

/** Layouts remembered per tag set: HTTP samples, iteration samples, data bytes… */
const MAX_LAYOUTS = 4;

/**
 * Flushes (about one a second) a tag set may go without samples before it is forgotten. Each holds its
 * series and their buffers; with unique URLs, one per request, kept for the whole run, they took
 * gigabytes. A forgotten set whose tags come back starts afresh: aggregates carry their tags, so the
 * run's metrics fold them into the same series as before.
 */
export const IDLE_FLUSHES_BEFORE_EVICTION = 5;

interface TagSet {
  readonly key: string;
  readonly tags: Record<string, string>;
  readonly series: Map<string, Series>;
  readonly layouts: Layout[];
  /** The flush count when it last received a sample. */
  seen: number;
  /** No longer in #byKey; a tag object still mapped to it puts it back. */
  evicted: boolean;
}

interface PendingSecond {
  readonly series: SeriesAggregate[];
  /** The creation number of each aggregate's series, position by position. */
  readonly order: number[];
  readonly defs: Map<string, MetricDef>;
}

/**
 * The second's aggregates in series creation order. They are closed in another order: a series whose
 * next sample falls in the following second is closed then, the others by the next flush. With one VU
 * whose iteration straddles the boundary (check A before it, check B after), B was closed first and
 * reached the run's metrics before A, and the summary listed B first.
 */
function inCreationOrder(p: PendingSecond): SeriesAggregate[] {
  const { series, order } = p;
  let sorted = true;
  for (let i = 1; i < order.length && sorted; i++) sorted = (order[i - 1] as number) < (order[i] as number);
  if (sorted) return series;
  return series.map((agg, i) => ({ agg, order: order[i] as number })).sort((a, b) => a.order - b.order).map((e) => e.agg);
}

export class MetricsAggregator implements SampleSink {
  readonly #registry: MetricDefLookup;
  readonly #now: () => number;
  readonly #byObject = new WeakMap<object, TagSet>();
  readonly #byKey = new Map<string, TagSet>();
  /** Series holding samples of a not yet closed second. */
  #active: Series[] = [];
  readonly #pending = new Map<number, PendingSecond>();
  readonly #scratch = new TrendScratch();
  #created = 0;
  /** Completed flush() calls. */
  #flushes = 0;

  constructor(registry: MetricDefLookup, now: () => number = Date.now) {
    this.#registry = registry;
    this.#now = now;
  }

  add(metric: string, tags: Tags, value: number): void {
    if (Number.isNaN(value)) return;
    this.#fold(this.#tagSet(tags), metric, value, this.#now());
  }

  addMany(tags: Tags, samples: SampleList): void {
    const set = this.#tagSet(tags);
    const now = this.#now();
    // Callers reuse their sample lists (k6/http's, the iteration's): the series of each position are
    // remembered per list, so a sample costs a name comparison rather than a map lookup.
    const layout = this.#layout(set, samples);
    const second = now - (now % 1000);
    for (let i = 0; i < samples.length; i++) {
      const sample = samples[i] as readonly [string, number];
      const value = sample[1];
      if (value !== value) continue; // NaN is dropped
      let series = layout.series[i];
      if (series === undefined || series.def.name !== sample[0]) {
        series = this.#series(set, sample[0]);
        layout.series[i] = series;
      }
      this.#foldInto(series, value, now, second);
    }
  }

  #layout(set: TagSet, samples: SampleList): Layout {
    const layouts = set.layouts;
    for (let i = 0; i < layouts.length; i++) {
      const l = layouts[i] as Layout;
      if (l.samples === samples) return l;
    }
    const l: Layout = { samples, series: [] };
    if (layouts.length >= MAX_LAYOUTS) layouts.shift();
    layouts.push(l);
    return l;
  }

  /** Batches of every second that ended at or before `nowMs`, oldest first. */
  flush(nowMs: number): MetricsBatch[] {
    const stillOpen: Series[] = [];
    for (const s of this.#active) {
      if (s.second + 1000 <= nowMs) this.#close(s);
      else stillOpen.push(s);
    }
    this.#active = stillOpen;
    this.#flushes++;
    this.#evictIdle();
    return this.#emit((time) => time + 1000 <= nowMs);
  }

  /** How many tag sets are held (evicted ones excluded). */
  get tagSetCount(): number {
    return this.#byKey.size;
  }

  /** Forgets the tag sets without samples for IDLE_FLUSHES_BEFORE_EVICTION flushes and none pending. */
  #evictIdle(): void {
    const before = this.#flushes - IDLE_FLUSHES_BEFORE_EVICTION;
    for (const [key, set] of this.#byKey) {
      if (set.seen > before || set === this.#lastSet) continue;
      let open = false;
      for (const series of set.series.values()) {
        if (series.second !== EMPTY) {
          open = true;
          break;
        }
      }
      if (open) continue;
      set.evicted = true;
      this.#byKey.delete(key);
    }
  }

  /** Everything still held, at the end of the run. */
  flushAll(): MetricsBatch[] {
    for (const s of this.#active) this.#close(s);
    this.#active = [];
    return this.#emit(() => true);
  }

  /** The last tag object resolved, and its set: consecutive addMany() calls mostly share tags. */
  #lastTags: Tags | undefined = undefined;
  #lastSet: TagSet | undefined = undefined;

  #tagSet(tags: Tags): TagSet {
    if (tags === this.#lastTags && this.#lastSet !== undefined) {
      this.#lastSet.seen = this.#flushes;
      return this.#lastSet;
    }
    let set = this.#byObject.get(tags);
    if (set?.evicted === true) {
      set = this.#revived(set);
      this.#byObject.set(tags, set);
    }
    if (set) {
      this.#lastTags = tags;
      this.#lastSet = set;
      set.seen = this.#flushes;
      return set;
    }
    const key = seriesKey(tags);
    set = this.#byKey.get(key);
    if (!set) {
      set = { key, tags: { ...tags }, series: new Map(), layouts: [], seen: this.#flushes, evicted: false };
      this.#byKey.set(key, set);
    }
    set.seen = this.#flushes;
    this.#byObject.set(tags, set);
    return set;
  }

  /** An evicted set whose tag object came back: in use again, unless its tags have a newer set meanwhile. */
  #revived(set: TagSet): TagSet {
    const current = this.#byKey.get(set.key);
    if (current !== undefined) return current;
    set.evicted = false;
    this.#byKey.set(set.key, set);
    return set;
  }

  #fold(set: TagSet, metric: string, value: number, now: number): void {
    this.#foldInto(this.#series(set, metric), value, now, now - (now % 1000));
  }

  #series(set: TagSet, metric: string): Series {
    let series = set.series.get(metric);
    if (!series) {
      const def = this.#registry.get(metric);
      if (!def) throw new Error(`sample for undefined metric '${metric}'`);
      series = new Series(def, set.tags, this.#created++);
      set.series.set(metric, series);
    }
    return series;
  }

  #foldInto(series: Series, value: number, now: number, second: number): void {
    if (series.second === EMPTY) {
      series.second = second;
      this.#active.push(series);
    } else if (second > series.second) {
      // A new second began: the previous one is complete for this series. The series stays active.
      this.#close(series);
      series.second = second;
    }
    // A clock stepping backwards folds into the open second rather than reopening a closed one.
    series.add(value, now);
  }

  #close(s: Series): void {
    const p = this.#pendingFor(s.second);
    p.defs.set(s.def.name, s.def);
    p.order.push(s.order);
    p.series.push(s.close(this.#scratch));
  }

  #pendingFor(time: number): PendingSecond {
    let p = this.#pending.get(time);
    if (!p) {
      p = { series: [], order: [], defs: new Map() };
      this.#pending.set(time, p);
    }
    return p;
  }

  #emit(due: (time: number) => boolean): MetricsBatch[] {
    const times = [...this.#pending.keys()].filter(due).sort((a, b) => a - b);
    const out: MetricsBatch[] = [];
    for (const time of times) {
      const p = this.#pending.get(time);
      this.#pending.delete(time);
      if (!p || p.series.length === 0) continue;
      out.push({ time, metrics: [...p.defs.values()].map((d) => ({ ...d })), series: inCreationOrder(p) });
    }
    return out;
  }
}
