// What k6/execution's `instance` reports, counted across every worker thread of the instance: one
// Int32 slot per counter in a SharedArrayBuffer, updated with Atomics by the workers' VU pools and read
// by any VU (and by the main thread's service VUs).
export const INSTANCE_COUNTERS = ['iterationsCompleted', 'iterationsInterrupted', 'vusActive', 'vusInitialized'] as const;
export type InstanceCounter = (typeof INSTANCE_COUNTERS)[number];

export class InstanceCounters {
  readonly buffer: SharedArrayBuffer;
  readonly #slots: Int32Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(4 * INSTANCE_COUNTERS.length)) {
    this.buffer = buffer;
    this.#slots = new Int32Array(buffer);
  }

  add(counter: InstanceCounter, delta: number): void {
    Atomics.add(this.#slots, INSTANCE_COUNTERS.indexOf(counter), delta);
  }

  get(counter: InstanceCounter): number {
    return Atomics.load(this.#slots, INSTANCE_COUNTERS.indexOf(counter));
  }
}
