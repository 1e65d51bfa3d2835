// Keeps the stored metrics of recently queried runs in memory, so repeated queries (the panels of a
// dashboard, a client polling a live run's p95) skip the database read and JSON parsing, and reuse the
// trend histograms decoded for the previous query (decoding is memoised per stored aggregate object).
//
// - A finished run's batches never change (only the retention sweeper or a delete removes them, and
//   then the run reads as swept or absent before the cache is asked): they are read once.
// - A running run's batches grow. Seconds older than SETTLE_MS before the newest stored second are
//   taken as complete (every runner has flushed them); each read fetches only what is newer than that.
//   When the run ends, its live entries are dropped and the finished run is read afresh.
//
// Bounded by the number of series aggregates held: least recently used entries go first.
//
// A finished run's metrics are also held as FinishedMetric copies (finished-metric.ts: the numbers of
// every second in typed columns, trend samples merged in blocks), which answer queries without the
// store however long the run. A copy is built from the batches the metric's first query read, once
// reads have paused for a second (so that answer costs no more than before), and kept, least recently used going
// first, within DEFAULT_FINISHED_BYTES (estimated; one copy at most half of it, with blocks ten times
// coarser tried before giving up, else the metric is read per query as before) and MAX_FINISHED_ENTRIES.
import type { RunMetricsRepo, StoredMetricDef, StoredMetricsBatch, TestRunRecord } from '../store/index.ts';
import { buildFinishedMetric, type FinishedMetric } from './finished-metric.ts';
import { defaultStepSeconds, runningSince, type FinishedMetricsRepo } from './metrics-api.ts';

export const DEFAULT_CACHED_AGGREGATES = 100_000;
export const DEFAULT_FINISHED_BYTES = 256 * 1024 * 1024;
/** How far behind the newest stored second a live run's seconds count as complete. */
export const SETTLE_MS = 10_000;

type RunForCache = Pick<TestRunRecord, 'id' | 'status' | 'resultsDeleted' | 'statusHistory' | 'ended'>;

interface FinishedEntry {
  /** Null while being built (see `batches`), or when the metric does not fit the bound. */
  copy: FinishedMetric | null;
  /** The batches it is being built from; null once built. */
  batches: StoredMetricsBatch[] | null;
  bytes: number;
}

/**
 * How long reads must have paused before a finished metric's copy is built from its first read: the
 * build takes the event loop for a while (~0.1–0.5 s for an hour of one trend), so it waits until the
 * answer that read the metric (a result_summary reads several, one after the other) has gone out.
 */
export const BUILD_DELAY_MS = 1000;

/** Copies (and metrics found too large for one) remembered at most, whatever their bytes. */
const MAX_FINISHED_ENTRIES = 10_000;

interface Entry {
  /** Complete seconds, ascending; for a live run, all of them older than `settledBefore`. */
  settled: StoredMetricsBatch[];
  settledBefore: number;
  /** Reads of this entry, one after the other (a live entry is extended by each). */
  chain: Promise<StoredMetricsBatch[]>;
  size: number;
  /** The tag objects its batches share (see shareTagObjects). */
  readonly tags: Map<string, Record<string, string>>;
}

const ALL_METRICS = '\u0000all';

/** The batches with `from <= time < to`; `batches` ascending by time. */
function window(batches: readonly StoredMetricsBatch[], from: number | undefined, to: number | undefined): StoredMetricsBatch[] {
  const first = (t: number): number => {
    let lo = 0;
    let hi = batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((batches[mid] as StoredMetricsBatch).time < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return batches.slice(from === undefined ? 0 : first(from), to === undefined ? batches.length : first(to));
}

/**
 * One tag object per distinct tag set, so that a query resolves each series' labels, selector match and
 * group once (by object identity) instead of once per stored second.
 */
function shareTagObjects(batches: StoredMetricsBatch[], shared: Map<string, Record<string, string>>): StoredMetricsBatch[] {
  for (const b of batches) {
    for (const s of b.series) {
      const key = JSON.stringify(s.tags);
      const existing = shared.get(key);
      if (existing) s.tags = existing;
      else shared.set(key, s.tags);
    }
  }
  return batches;
}

export class RunMetricsCache {
  readonly #repo: RunMetricsRepo;
  readonly #maxAggregates: number;
  /** Keyed by `${runId} ${live|done} ${metric}`; Map order is the recency order. */
  readonly #entries = new Map<string, Entry>();
  #size = 0;
  readonly #maxFinishedBytes: number;
  /** Keyed by `${runId} ${metric}`; Map order is the recency order. */
  readonly #finished = new Map<string, FinishedEntry>();
  #finishedBytes = 0;
  readonly #building = new Set<Promise<void>>();
  /** Date.now() of the latest read through this cache. */
  #lastRead = 0;

  readonly #buildDelayMs: number;

  constructor(repo: RunMetricsRepo, options: { maxAggregates?: number; maxFinishedBytes?: number; buildDelayMs?: number } = {}) {
    this.#repo = repo;
    this.#buildDelayMs = options.buildDelayMs ?? BUILD_DELAY_MS;
    this.#maxAggregates = options.maxAggregates ?? DEFAULT_CACHED_AGGREGATES;
    this.#maxFinishedBytes = options.maxFinishedBytes ?? DEFAULT_FINISHED_BYTES;
  }

  /** The metrics of `run`, served from memory as far as possible. */
  forRun(run: RunForCache): FinishedMetricsRepo {
    if (run.resultsDeleted) {
      this.#forget(run.id, '');
      return this.#repo;
    }
    const finished = run.status === 'completed' || run.status === 'aborted';
    if (finished) this.#forget(run.id, 'live');
    const kind = finished ? 'done' : 'live';
    return {
      append: (id, batch) => this.#repo.append(id, batch),
      read: async (id, opts = {}) => {
        this.#lastRead = Date.now();
        const metric = opts.metric;
        const building = finished && metric !== undefined && id === run.id ? this.#finished.get(`${id} ${metric}`)?.batches : undefined;
        const batches = building ?? (await this.#read(id, kind, metric ?? ALL_METRICS));
        if (finished && metric !== undefined && id === run.id) this.#startFinished(run, metric, batches);
        return window(batches, opts.from, opts.to);
      },
      // Metric definitions are one small query; a live run may still define new ones.
      listMetrics: (id) => this.#repo.listMetrics(id),
      ...(finished && {
        finishedMetric: async (id: number, metric: string) => {
          this.#lastRead = Date.now();
          return id === run.id ? this.#finishedMetric(run, metric) : null;
        },
      }),
    };
  }

  /** Aggregates held, for tests and monitoring. */
  get size(): number {
    return this.#size;
  }

  /** Estimated bytes of the FinishedMetric copies held, for tests and monitoring. */
  get finishedBytes(): number {
    return this.#finishedBytes;
  }

  /** Resolves once no copy is being built (for tests). */
  async settled(): Promise<void> {
    while (this.#building.size > 0) await Promise.all(this.#building);
  }

  /** The finished metric's copy once built; null before (or when it does not fit). */
  #finishedMetric(run: RunForCache, metric: string): FinishedMetric | null {
    const key = `${run.id} ${metric}`;
    const entry = this.#finished.get(key);
    if (entry === undefined || entry.batches !== null) return null;
    this.#finished.delete(key);
    this.#finished.set(key, entry);
    return entry.copy;
  }

  /**
   * A finished metric's batches, as just read for a query: its copy is built from them once that
   * query has been answered (the first query costs what it did before the copies), and they answer
   * the queries that come while it is built.
   */
  #startFinished(run: RunForCache, metric: string, batches: StoredMetricsBatch[]): void {
    const key = `${run.id} ${metric}`;
    if (this.#finished.has(key)) return;
    const entry: FinishedEntry = { copy: null, batches, bytes: 0 };
    this.#finished.set(key, entry);
    const build = this.#whenQuiet()
      .then(() => this.#repo.listMetrics(run.id))
      .then((defs) => {
        if (this.#finished.get(key) !== entry) return;
        const def = defs.find((d) => d.name === metric);
        entry.copy = def === undefined ? null : this.#build(run, def, batches);
        entry.batches = null;
        entry.bytes = entry.copy?.bytes ?? 0;
        this.#finishedBytes += entry.bytes;
        // The copy answers instead of the batches: they need not stay cached too.
        if (entry.copy !== null) this.#dropEntry(`${run.id} done ${metric}`);
        for (const [k, e] of this.#finished) {
          if (this.#finishedBytes <= this.#maxFinishedBytes && this.#finished.size <= MAX_FINISHED_ENTRIES) break;
          this.#finished.delete(k);
          this.#finishedBytes -= e.bytes;
        }
      })
      // A failed build is not kept: the next query's read starts another.
      .catch(() => {
        if (this.#finished.get(key) === entry) this.#finished.delete(key);
      })
      .finally(() => this.#building.delete(build));
    this.#building.add(build);
  }

  /**
   * Once no query has read for BUILD_DELAY_MS (the answer that read a metric, e.g. a result_summary
   * reading its metrics one after the other, has gone out), or after five times that at the latest.
   */
  async #whenQuiet(): Promise<void> {
    const latest = Date.now() + 5 * this.#buildDelayMs;
    for (;;) {
      const now = Date.now();
      const wait = Math.min(this.#lastRead + this.#buildDelayMs, latest) - now;
      if (wait <= 0) return;
      await new Promise<void>((resolve) => setTimeout(resolve, wait).unref());
    }
  }

  #build(run: RunForCache, def: StoredMetricDef, batches: readonly StoredMetricsBatch[]): FinishedMetric | null {
    const first = batches[0]?.time;
    const last = batches[batches.length - 1]?.time;
    if (first === undefined || last === undefined) return null;
    // Blocks start where a query's default start is and last its default step over the whole run.
    const origin = Math.min(runningSince(run) ?? first, first);
    const end = Math.max(Math.ceil((run.ended ?? new Date(last)).getTime() / 1000) * 1000, last + 1000);
    const blockSeconds = defaultStepSeconds(end - origin);
    const maxBytes = this.#maxFinishedBytes / 2;
    return buildFinishedMetric(def, batches, { origin, blockSeconds, maxBytes }) ?? (def.type === 'trend' ? buildFinishedMetric(def, batches, { origin, blockSeconds: blockSeconds * 10, maxBytes }) : null);
  }

  #dropEntry(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#size -= entry.size;
  }

  #read(runId: number, kind: 'live' | 'done', metric: string): Promise<StoredMetricsBatch[]> {
    const key = `${runId} ${kind} ${metric}`;
    let entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      if (kind === 'done') return entry.chain;
    } else {
      entry = { settled: [], settledBefore: -Infinity, chain: Promise.resolve([]), size: 0, tags: new Map() };
      this.#entries.set(key, entry);
    }
    const e = entry;
    const next = e.chain.then(() => this.#extend(key, runId, kind, metric, e));
    // A failed read is not cached: the next one starts again from what was settled.
    e.chain = next.catch(() => e.settled);
    next.catch(() => {
      if (this.#entries.get(key) === e && e.settled.length === 0) this.#entries.delete(key);
    });
    return next;
  }

  async #extend(key: string, runId: number, kind: 'live' | 'done', metric: string, e: Entry): Promise<StoredMetricsBatch[]> {
    const from = e.settledBefore === -Infinity ? undefined : e.settledBefore;
    const fresh = await this.#repo.read(runId, { ...(metric === ALL_METRICS ? {} : { metric }), ...(from === undefined ? {} : { from }) });
    shareTagObjects(fresh, e.tags);
    const newest = fresh[fresh.length - 1]?.time;
    const settleBefore = kind === 'done' ? Infinity : newest === undefined ? e.settledBefore : Math.max(e.settledBefore, newest - SETTLE_MS);
    const nowSettled = fresh.filter((b) => b.time < settleBefore);
    const unsettled = fresh.filter((b) => b.time >= settleBefore);
    if (nowSettled.length > 0) {
      e.settled = e.settled.concat(nowSettled);
      const added = nowSettled.reduce((n, b) => n + b.series.length, 0);
      e.size += added;
      // An entry evicted while it was being read no longer counts towards the bound.
      if (this.#entries.get(key) === e) this.#size += added;
    }
    e.settledBefore = settleBefore;
    this.#evict();
    return unsettled.length === 0 ? e.settled : e.settled.concat(unsettled);
  }

  #evict(): void {
    for (const [key, entry] of this.#entries) {
      if (this.#size <= this.#maxAggregates) return;
      this.#entries.delete(key);
      this.#size -= entry.size;
    }
  }

  /** Drops a run's entries of one kind ('live'), or all of them (''). */
  #forget(runId: number, kind: '' | 'live'): void {
    if (kind === '') {
      for (const [key, entry] of this.#finished) {
        if (key.startsWith(`${runId} `)) {
          this.#finished.delete(key);
          this.#finishedBytes -= entry.bytes;
        }
      }
    }
    const prefix = kind === '' ? `${runId} ` : `${runId} ${kind} `;
    for (const [key, entry] of this.#entries) {
      if (key.startsWith(prefix)) {
        this.#entries.delete(key);
        this.#size -= entry.size;
      }
    }
  }
}
