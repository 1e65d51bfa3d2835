// k6's `rps`: one token bucket with burst 1 for the whole instance, which every VU waits on before each
// HTTP request (k6 runner.go SetOptions: rate.NewLimiter(rps, 1); httpext.MakeRequest waits on it
// before the round trip, so the wait is in no timing metric).
//
// A bucket of burst 1 at rate r lets a request start at max(now, next) and moves `next` 1/r later.
// `next` lives in a SharedArrayBuffer (µs on the epoch clock, BigInt64 slot 0) shared by the main
// thread (setup, teardown) and every worker thread, so the limit holds for the instance as a whole
// however its VUs are spread over threads, and a reservation is one compare-and-swap.

const MICROS_PER_SECOND = 1_000_000;

function nowMicros(): bigint {
  // timeOrigin is per thread; timeOrigin + now() is the epoch clock every thread agrees on.
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
}

export class RequestRateLimit {
  readonly #next: BigInt64Array;
  readonly #interval: bigint;

  /** The shared slot; one per instance. */
  static newBuffer(): SharedArrayBuffer {
    return new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT);
  }

  /** The limit for `rps` over `buffer`, or undefined when rps is off (unset, 0 or negative, as in k6). */
  static of(rps: unknown, buffer: SharedArrayBuffer | undefined): RequestRateLimit | undefined {
    if (typeof rps !== 'number' || !(rps > 0) || buffer === undefined) return undefined;
    return new RequestRateLimit(buffer, rps);
  }

  constructor(buffer: SharedArrayBuffer, rps: number) {
    this.#next = new BigInt64Array(buffer);
    this.#interval = BigInt(Math.max(1, Math.round(MICROS_PER_SECOND / rps)));
  }

  /** Takes the next start slot; returns how many ms to wait for it (0: go now). */
  reserve(): number {
    const slot = this.#next;
    for (;;) {
      const now = nowMicros();
      const next = Atomics.load(slot, 0);
      const start = next > now ? next : now;
      if (Atomics.compareExchange(slot, 0, next, start + this.#interval) === next) {
        return Number(start - now) / 1000;
      }
    }
  }

  /** Resolves when this request may start, or early when `signal` aborts (the VU is interrupted). */
  wait(signal: AbortSignal): Promise<void> | undefined {
    const ms = this.reserve();
    if (ms <= 0) return undefined;
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.ceil(ms));
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
