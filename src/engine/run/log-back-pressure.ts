// Back-pressure on the log lines a worker posts to the main thread. k6 writes each console line
// synchronously (logrus under a mutex), so a script that logs in a tight loop is slowed down to the
// writer's pace and the test ends on time. A worker posts its lines to the main thread, which formats
// and writes them: unchecked, a worker logging faster than the main thread writes piles up a backlog of
// messages (memory) and the run ends only when the main thread has written it all, long after the
// test's duration (a 3 s test logging in every iteration ran for 11 s). Each worker shares a counter of
// its lines the main thread has not written yet; at the limit the worker waits (its VUs with it, as
// k6's VUs wait on the logger) until the main thread has caught up to half of it.

/** Lines a worker may have in flight before it waits for the main thread. */
export const LOG_LINES_IN_FLIGHT = 2_000;
/** The longest a worker waits at once: a main thread that stopped reading must not hang the worker. */
const MAX_WAIT_MS = 5_000;

export function newLogBackPressureBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
}

/** The worker's side: count a line before posting it, waiting first while the main thread is behind. */
export class LogLineGate {
  readonly #pending: Int32Array;
  readonly #limit: number;

  constructor(buffer: SharedArrayBuffer, limit = LOG_LINES_IN_FLIGHT) {
    this.#pending = new Int32Array(buffer);
    this.#limit = limit;
  }

  /** Call before posting a line. Blocks the thread while `limit` lines are unwritten, until half are. */
  beforePost(): void {
    if (Atomics.load(this.#pending, 0) >= this.#limit) {
      const deadline = Date.now() + MAX_WAIT_MS;
      const resume = Math.floor(this.#limit / 2);
      for (let now = Date.now(); now < deadline; now = Date.now()) {
        const seen = Atomics.load(this.#pending, 0);
        if (seen <= resume) break;
        Atomics.wait(this.#pending, 0, seen, Math.min(100, deadline - now));
      }
    }
    Atomics.add(this.#pending, 0, 1);
  }
}

/** The main thread's side: a line of the worker's was written. */
export function logLineWritten(buffer: SharedArrayBuffer): void {
  const pending = new Int32Array(buffer);
  if (Atomics.sub(pending, 0, 1) <= 1) Atomics.store(pending, 0, 0);
  Atomics.notify(pending, 0);
}
