// The merged view of a whole run: every worker's (or runner's) batches folded together. Used by the main
// thread for thresholds and the summary, and by the control plane for its totals.
import type { MetricDef, MetricsBatch } from './metrics-batch.ts';
import { type MetricSelector, parseMetricSelector, selectorIdentity, selectorMatches } from './metric-selector.ts';
import { DEFAULT_TREND_STATS, MetricState, type MetricValues } from './metric-state.ts';
import { seriesKey } from './series-key.ts';

export interface SeriesTotals {
  readonly tags: Readonly<Record<string, string>>;
  readonly state: MetricState;
}

interface StoredSeries extends SeriesTotals {
  /** The earliest second (epoch ms) of the batches that held it. */
  first: number;
}

interface TrackedView {
  readonly selector: MetricSelector;
  readonly state: MetricState;
}

/** k6 always creates this submetric while the expected_response system tag is on (engine.go). */
export const EXPECTED_RESPONSE_SUBMETRIC = 'http_req_duration{expected_response:true}';

export interface RunMetricsOptions {
  /** Submetrics tracked from the start, tracked as soon as their metric is defined. Default: [EXPECTED_RESPONSE_SUBMETRIC]. */
  readonly submetrics?: readonly string[];
  /**
   * The tags a series keeps (`series()`, and submetrics merged on demand): all of them by default.
   * A test run's own view keeps only those its summary breaks down by (SUMMARY_SERIES_TAGS): a script
   * giving requests unique URLs otherwise kept a state per URL and metric for the whole run (about
   * 150 MB a minute at 1,000 requests a second, test/soak-qa.md). Tracked submetrics (thresholds,
   * expected_response) still see every tag; `seriesCount()` still counts the distinct tag sets.
   */
  readonly seriesTags?: readonly string[];
}

/** The tags the end-of-test summary reads from per-series totals (groups, checks, scenarios). */
export const SUMMARY_SERIES_TAGS: readonly string[] = ['scenario', 'group', 'check'];

/** Metrics per bit mask of a tag set in RunMetrics' distinct-series count (small integers stay Smis). */
const METRICS_PER_MASK = 30;

/** A 53-bit hash of a string (two FNV-1a passes), for counting distinct series without keeping them. */
function hash53(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

export class RunMetrics {
  readonly #defs = new Map<string, MetricDef>();
  readonly #totals = new Map<string, MetricState>();
  readonly #series = new Map<string, Map<string, StoredSeries>>();
  /**
   * One copy of each tag set (and its key) for the series of every metric that has it: an HTTP
   * request's tags are shared by a dozen metrics' series.
   */
  readonly #tagSets = new Map<string, { readonly key: string; readonly tags: Readonly<Record<string, string>> }>();
  #seriesCount = 0;
  /**
   * With seriesTags, for seriesCount(): each distinct full tag set (by hash) with the metrics seen with
   * it as bits (METRICS_PER_MASK metrics a mask, by first-seen index; further ones under another key).
   * An HTTP request's tag set serves about ten metrics: one entry for them all, not one each (≈ 51
   * bytes a (metric, tags) pair as a set of hashes: 26 MB a minute at 1,000 unique URLs a second).
   */
  readonly #distinct: Map<number, number> | undefined;
  readonly #metricIndex = new Map<string, number>();
  readonly #seriesTags: readonly string[] | undefined;
  /** Tracked submetrics by metric name, kept up to date on every ingest. */
  readonly #views = new Map<string, TrackedView[]>();
  readonly #viewsByName = new Map<string, TrackedView>();
  /** Submetric names by selectorIdentity: the first name given to a tag set is the one reported. */
  readonly #namesByIdentity = new Map<string, string>();
  /** Keys reported without samples (k6's markObserved): metrics and submetrics with thresholds. */
  readonly #marked = new Set<string>();
  #firstTime = Infinity;
  #lastTime = -Infinity;
  #pendingTracks: MetricSelector[];

  /** `defs` declares metrics known before any sample (e.g. the registry's, for threshold validation). */
  constructor(defs: Iterable<Readonly<MetricDef>> = [], options: RunMetricsOptions = {}) {
    this.#pendingTracks = (options.submetrics ?? [EXPECTED_RESPONSE_SUBMETRIC]).map((s) => parseMetricSelector(s));
    this.#seriesTags = options.seriesTags;
    this.#distinct = options.seriesTags === undefined ? undefined : new Map();
    for (const d of defs) this.define(d);
  }

  define(def: Readonly<MetricDef>): void {
    if (this.#defs.has(def.name)) return;
    this.#defs.set(def.name, { name: def.name, type: def.type, contains: def.contains });
    if (this.#pendingTracks.some((s) => s.metric === def.name)) {
      for (const s of this.#pendingTracks.filter((p) => p.metric === def.name)) this.track(s.name);
      this.#pendingTracks = this.#pendingTracks.filter((p) => p.metric !== def.name);
    }
  }

  metric(name: string): MetricDef | undefined {
    return this.#defs.get(name);
  }

  /**
   * Keeps `name{k:v,...}` up to date from now on (submetrics are merged on demand otherwise). Call it
   * before ingesting, as the thresholds do. Throws on a malformed selector or an unknown metric.
   */
  track(selectorText: string): MetricSelector {
    const selector = this.#canonical(parseMetricSelector(selectorText));
    const existing = this.#viewsByName.get(selector.name);
    if (existing) return existing.selector;
    const def = this.#defs.get(selector.metric);
    if (!def) throw new Error(`no metric name "${selector.metric}" found`);
    const view: TrackedView = { selector, state: new MetricState(def.type) };
    for (const s of this.#series.get(selector.metric)?.values() ?? []) {
      if (selectorMatches(selector, s.tags)) view.state.merge(s.state);
    }
    this.#viewsByName.set(selector.name, view);
    const list = this.#views.get(selector.metric) ?? [];
    list.push(view);
    this.#views.set(selector.metric, list);
    return selector;
  }

  ingest(batch: MetricsBatch): void {
    for (const d of batch.metrics) this.define(d);
    if (batch.series.length > 0) {
      if (batch.time < this.#firstTime) this.#firstTime = batch.time;
      if (batch.time > this.#lastTime) this.#lastTime = batch.time;
    }
    for (const agg of batch.series) {
      const def = this.#defs.get(agg.metric);
      if (!def) continue;
      let total = this.#totals.get(agg.metric);
      if (!total) {
        total = new MetricState(def.type);
        this.#totals.set(agg.metric, total);
      }
      total.fold(agg, batch.time);
      let bySeries = this.#series.get(agg.metric);
      if (!bySeries) {
        bySeries = new Map();
        this.#series.set(agg.metric, bySeries);
      }
      const fullKey = seriesKey(agg.tags);
      let key = fullKey;
      let tags = agg.tags;
      if (this.#distinct !== undefined && this.#seriesTags !== undefined) {
        let index = this.#metricIndex.get(agg.metric);
        if (index === undefined) {
          index = this.#metricIndex.size;
          this.#metricIndex.set(agg.metric, index);
        }
        const slot = Math.floor(index / METRICS_PER_MASK);
        const bit = 1 << (index % METRICS_PER_MASK);
        const hash = hash53(slot === 0 ? fullKey : `${slot}\u0000${fullKey}`);
        const seen = this.#distinct.get(hash) ?? 0;
        if ((seen & bit) === 0) {
          this.#distinct.set(hash, seen | bit);
          this.#seriesCount++;
        }
        const kept: Record<string, string> = {};
        for (const t of this.#seriesTags) {
          const v = agg.tags[t];
          if (v !== undefined) kept[t] = v;
        }
        tags = kept;
        key = seriesKey(kept);
      }
      let series = bySeries.get(key);
      if (!series) {
        const tagSet = this.#tagSet(key, tags);
        series = { tags: tagSet.tags, state: new MetricState(def.type, { compact: true }), first: batch.time };
        bySeries.set(tagSet.key, series);
        if (this.#distinct === undefined) this.#seriesCount++;
      } else if (batch.time < series.first) {
        series.first = batch.time;
      }
      series.state.fold(agg, batch.time);
      for (const view of this.#views.get(agg.metric) ?? []) {
        if (selectorMatches(view.selector, agg.tags)) view.state.fold(agg, batch.time);
      }
    }
  }

  #tagSet(key: string, tags: Readonly<Record<string, string>>): { readonly key: string; readonly tags: Readonly<Record<string, string>> } {
    let set = this.#tagSets.get(key);
    if (set === undefined) {
      set = { key, tags: { ...tags } };
      this.#tagSets.set(key, set);
    }
    return set;
  }

  /** How many distinct time series (a metric and its tags) the batches held. */
  seriesCount(): number {
    return this.#seriesCount;
  }

  /** Names of the metrics that received samples, in first-seen order. */
  observedMetrics(): string[] {
    return [...this.#totals.keys()];
  }

  /**
   * Reports `key` (`metric` or `metric{…}`) even when no sample reaches it, as k6 does for thresholds.
   * A submetric is reported under k6's name for it (`cc{ k : v }` is `cc{k : v}`; `cc{b:2,a:1}` after
   * `cc{a:1,b:2}` is `cc{a:1,b:2}`), as its thresholds are.
   */
  markObserved(key: string): void {
    let name = key;
    try {
      if (key.includes('{')) name = this.#canonical(parseMetricSelector(key)).name;
    } catch {
      // A key the thresholds refused never gets here; keep it as written otherwise.
    }
    this.#marked.add(name);
  }

  /** `selector` under the name first given to its tag set (k6 keeps one submetric per tag set). */
  #canonical(selector: MetricSelector): MetricSelector {
    if (selector.tags.length === 0) return selector;
    const identity = selectorIdentity(selector);
    const first = this.#namesByIdentity.get(identity);
    if (first === undefined) {
      this.#namesByIdentity.set(identity, selector.name);
      return selector;
    }
    return first === selector.name ? selector : { ...selector, name: first };
  }

  /** The keys given to markObserved, in that order. */
  markedObserved(): string[] {
    return [...this.#marked];
  }

  /** Tracked submetric names (`name{...}`) in tracking order. */
  trackedSubmetrics(): string[] {
    return [...this.#viewsByName.keys()].filter((n) => n.includes('{'));
  }

  /**
   * The merged state of a metric or a submetric (`name{k:v}`); an empty state for a known metric without
   * samples; undefined for an unknown metric. Untracked submetrics are merged from the series on demand.
   */
  state(selectorText: string): MetricState | undefined {
    const selector = parseMetricSelector(selectorText);
    const tracked = this.#viewsByName.get(selector.name);
    if (tracked) return tracked.state;
    const def = this.#defs.get(selector.metric);
    if (!def) return undefined;
    if (selector.tags.length === 0) return this.#totals.get(def.name) ?? new MetricState(def.type);
    const merged = new MetricState(def.type);
    for (const s of this.#series.get(def.name)?.values() ?? []) {
      if (selectorMatches(selector, s.tags)) merged.merge(s.state);
    }
    return merged;
  }

  /** The values k6 reports (see MetricState.values); undefined for an unknown metric. */
  values(selectorText: string, testRunDurationMs: number, trendStats: readonly string[] = DEFAULT_TREND_STATS): MetricValues | undefined {
    return this.state(selectorText)?.values(testRunDurationMs, trendStats);
  }

  /**
   * Per-series totals of one metric, in first-seen order: by the earliest second holding the series,
   * then by arrival. Workers hand on their seconds independently, so a thread running late delivers a
   * second after another thread's next one; its series still come first, as its samples did.
   */
  series(metric: string): SeriesTotals[] {
    return [...(this.#series.get(metric)?.values() ?? [])].sort((a, b) => a.first - b.first);
  }

  /** Epoch ms span of the ingested batches: [start of first second, end of last second], or undefined. */
  timeSpan(): { start: number; end: number } | undefined {
    return this.#firstTime === Infinity ? undefined : { start: this.#firstTime, end: this.#lastTime + 1000 };
  }
}
