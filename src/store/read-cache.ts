// A short-lived cache for hot lookups whose source changes rarely and only through this store (token →
// principal, stack membership → role). Every write that could change an answer calls `invalidate()`,
// so in-process changes are seen at once; the TTL only bounds how long a change made by another
// process on the same database can go unseen. A load that was in flight across an invalidation is
// returned to its caller but not cached, so a revoke can never be undone by a racing read.
export class ReadCache<K, V> {
  readonly #entries = new Map<K, { value: V; expires: number }>();
  #generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  async read(key: K, load: () => Promise<V>, cacheable: (value: V) => boolean = () => true): Promise<V> {
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      if (entry.expires > Date.now()) return entry.value;
      this.#entries.delete(key);
    }
    const generation = this.#generation;
    const value = await load();
    if (generation === this.#generation && this.ttlMs > 0 && cacheable(value)) {
      if (this.#entries.size >= this.maxEntries) this.#entries.clear();
      this.#entries.set(key, { value, expires: Date.now() + this.ttlMs });
    }
    return value;
  }

  invalidate(): void {
    this.#generation++;
    this.#entries.clear();
  }
}
