// Finished runs as list pages read them (TestRunText), kept by id so a page of runs that did not change
// costs an index-only query for its ids instead of reading ~1 KB rows. Only final runs are kept: what
// still changes on them (note, star, save/unsave, fields the orchestrator stores late, a move to
// another project) changes only through this store, and every such write forgets the run (or
// everything) once it has committed. A read that was in flight across a forget is not kept, so a
// racing list can never put back what a write replaced. The TTL bounds how long a write by another
// process on the same database can go unseen. Entries are never mutated: the same object comes back
// until the run changes, so the server can memoise what it derives from one.
// It also keeps `$count` answers (per stack, scope and filter): any write to any run drops them all,
// so a client paging with `$count=true` pays for the count once, not on every page.
import { isFinalStatus } from '../domain/index.ts';
import type { TestRunText } from './store.ts';

export const RUN_TEXT_CACHE_MS = 5_000;
const RUN_TEXT_CACHE_ENTRIES = 10_000;

export class RunTextCache {
  readonly #entries = new Map<number, { run: TestRunText; expires: number }>();
  readonly #counts = new Map<string, { count: number; expires: number }>();
  #generation = 0;

  constructor(
    private readonly ttlMs = RUN_TEXT_CACHE_MS,
    private readonly maxEntries = RUN_TEXT_CACHE_ENTRIES,
  ) {}

  /** Take before reading rows; pass to `keep`. */
  get generation(): number {
    return this.#generation;
  }

  get(id: number): TestRunText | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    if (entry.expires > Date.now()) return entry.run;
    this.#entries.delete(id);
    return undefined;
  }

  /** Keeps a final run read since `generation` was taken, unless a write happened in between. */
  keep(generation: number, run: TestRunText): void {
    if (generation !== this.#generation || this.ttlMs <= 0 || !isFinalStatus(run.status)) return;
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    this.#entries.set(run.id, { run, expires: Date.now() + this.ttlMs });
  }

  getCount(key: string): number | undefined {
    const entry = this.#counts.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires > Date.now()) return entry.count;
    this.#counts.delete(key);
    return undefined;
  }

  /** Keeps a count taken since `generation`, unless a write happened in between. */
  keepCount(generation: number, key: string, count: number): void {
    if (generation !== this.#generation || this.ttlMs <= 0) return;
    if (this.#counts.size >= this.maxEntries) this.#counts.clear();
    this.#counts.set(key, { count, expires: Date.now() + this.ttlMs });
  }

  forget(id: number): void {
    this.#generation++;
    this.#entries.delete(id);
    this.#counts.clear();
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
    this.#counts.clear();
  }
}
