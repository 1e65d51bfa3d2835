// Runs tasks one at a time per key, in the order they were queued; tasks of different keys run
// concurrently. For read-then-write sequences on one record (count a run's log lines, then append up
// to the cap) that two concurrent requests would otherwise interleave. In-process only: one server.

export class KeyedSerializer<K> {
  readonly #tails = new Map<K, Promise<unknown>>();

  /** Runs `task` once every task queued before it under `key` has settled; resolves as `task` does. */
  run<T>(key: K, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(() => undefined, () => undefined);
    this.#tails.set(key, tail);
    // The map keeps only keys with work queued.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Keys with a task queued or running. */
  get size(): number {
    return this.#tails.size;
  }
}
