// Keeps the stored metrics of recently queried finished runs in memory. A finished run's batches never
// change (only the retention sweeper or a delete removes them), so repeated queries, such as the panels
// of one dashboard, skip the database read and the JSON parsing, and reuse the trend histograms already
// decoded for the previous query (decoding is memoised per stored aggregate object).
//
// Bounded by the number of series aggregates held: least recently used runs' entries go first.
import type { RunMetricsRepo, StoredMetricDef, StoredMetricsBatch, TestRunRecord } from '../store/index.ts';

export const DEFAULT_CACHED_AGGREGATES = 100_000;

type RunForCache = Pick<TestRunRecord, 'id' | 'status' | 'resultsDeleted'>;

interface Entry {
  batches: Promise<StoredMetricsBatch[]>;
  size: number;
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
function shareTagObjects(batches: StoredMetricsBatch[]): StoredMetricsBatch[] {
  const shared = new Map<string, Record<string, string>>();
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

export class FinishedRunsCache {
  readonly #repo: RunMetricsRepo;
  readonly #maxAggregates: number;
  /** Keyed by `${runId} ${metric}`; Map order is the recency order. */
  readonly #entries = new Map<string, Entry>();
  readonly #defs = new Map<number, Promise<StoredMetricDef[]>>();
  #size = 0;

  constructor(repo: RunMetricsRepo, options: { maxAggregates?: number } = {}) {
    this.#repo = repo;
    this.#maxAggregates = options.maxAggregates ?? DEFAULT_CACHED_AGGREGATES;
  }

  /** The metrics of `run`: from memory once it has ended, from the store while it runs or after its results were swept. */
  forRun(run: RunForCache): RunMetricsRepo {
    const finished = (run.status === 'completed' || run.status === 'aborted') && !run.resultsDeleted;
    if (!finished) {
      this.#forget(run.id);
      return this.#repo;
    }
    return {
      append: (id, batch) => this.#repo.append(id, batch),
      read: async (id, opts = {}) => window(await this.#load(id, opts.metric ?? ALL_METRICS), opts.from, opts.to),
      listMetrics: (id) => {
        let defs = this.#defs.get(id);
        if (!defs) {
          defs = this.#repo.listMetrics(id);
          this.#defs.set(id, defs);
          defs.catch(() => this.#defs.delete(id));
        }
        return defs;
      },
    };
  }

  /** Aggregates held, for tests and monitoring. */
  get size(): number {
    return this.#size;
  }

  #load(runId: number, metric: string): Promise<StoredMetricsBatch[]> {
    const key = `${runId} ${metric}`;
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.batches;
    }
    const entry: Entry = { batches: this.#repo.read(runId, metric === ALL_METRICS ? {} : { metric }).then(shareTagObjects), size: 0 };
    this.#entries.set(key, entry);
    entry.batches.then(
      (batches) => {
        if (this.#entries.get(key) !== entry) return;
        entry.size = batches.reduce((n, b) => n + b.series.length, 0);
        this.#size += entry.size;
        this.#evict();
      },
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
    return entry.batches;
  }

  #evict(): void {
    for (const [key, entry] of this.#entries) {
      if (this.#size <= this.#maxAggregates) return;
      this.#entries.delete(key);
      this.#size -= entry.size;
    }
  }

  #forget(runId: number): void {
    this.#defs.delete(runId);
    for (const [key, entry] of this.#entries) {
      if (key.startsWith(`${runId} `)) {
        this.#entries.delete(key);
        this.#size -= entry.size;
      }
    }
  }
}
