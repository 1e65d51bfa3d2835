// The iterations of a shared-iterations scenario, drawn by every VU of the instance whatever worker
// thread it runs in (k6 SharedIterations.Run: one counter for the instance's VUs): two Int32 slots of a
// SharedArrayBuffer, the iterations claimed and those finished, updated with Atomics.
export const SHARED_ITERATION_SLOTS = 2;

export class SharedIterationCounter {
  readonly #slots: Int32Array;

  /** `index` is the scenario's position: its slots start at `index * SHARED_ITERATION_SLOTS`. */
  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(4 * SHARED_ITERATION_SLOTS), index = 0) {
    this.#slots = new Int32Array(buffer, 4 * SHARED_ITERATION_SLOTS * index, SHARED_ITERATION_SLOTS);
  }

  /** The instance-wide 0-based number of the claimed iteration, or undefined once all `total` are claimed. */
  claim(total: number): number | undefined {
    if (Atomics.load(this.#slots, 0) >= total) return undefined;
    const n = Atomics.add(this.#slots, 0, 1);
    return n < total ? n : undefined;
  }

  finished(): void {
    Atomics.add(this.#slots, 1, 1);
  }

  /** Iterations finished (completed or interrupted) in the whole instance. */
  done(): number {
    return Atomics.load(this.#slots, 1);
  }

  /**
   * Ends the claims: what was never claimed, to be reported dropped. Only the first caller gets it, so
   * the scenario drops its rest once however many threads end it.
   */
  close(total: number): number {
    const claimed = Atomics.exchange(this.#slots, 0, total);
    return Math.max(0, total - claimed);
  }
}
