// The buffering both InfluxDB outputs share (k6's influxdb output and xk6-output-influxdb): samples
// pile up between pushes; every push interval (and once more on stop) they go to `write` as one
// batch, with at most `concurrency` writes in flight (k6's semaphore: a further flush waits for a
// slot). stop() waits for every write.
import { PeriodicFlusher, type OutputLog, type PointSample } from './sample-output.ts';

export class BatchedWrites {
  readonly #intervalMs: number;
  readonly #concurrency: number;
  readonly #write: (samples: readonly PointSample[]) => Promise<void>;
  readonly #inFlight = new Set<Promise<void>>();
  #buffer: PointSample[] = [];
  #flusher: PeriodicFlusher | undefined;

  constructor(intervalMs: number, concurrency: number, write: (samples: readonly PointSample[]) => Promise<void>) {
    this.#intervalMs = intervalMs;
    this.#concurrency = concurrency;
    this.#write = write;
  }

  start(): void {
    this.#flusher = new PeriodicFlusher(this.#intervalMs, () => this.#flush());
  }

  add(samples: readonly PointSample[]): void {
    for (const s of samples) this.#buffer.push(s);
  }

  async stop(): Promise<void> {
    await this.#flusher?.stop();
    await Promise.all(this.#inFlight);
  }

  async #flush(): Promise<void> {
    const samples = this.#buffer;
    if (samples.length === 0) return;
    this.#buffer = [];
    while (this.#inFlight.size >= this.#concurrency) await Promise.race(this.#inFlight);
    const write = this.#write(samples).finally(() => this.#inFlight.delete(write));
    this.#inFlight.add(write);
  }
}

/** k6's warning (both InfluxDB outputs) when one write took longer than the push interval. */
export function warnIfSlowWrite(log: OutputLog, fields: Readonly<Record<string, string>>, startedMs: number, intervalMs: number): void {
  const took = Date.now() - startedMs;
  if (took > intervalMs) {
    log.write('warn', 'The flush operation took higher than the expected set push interval. If you see this message multiple times then the setup or configuration need to be adjusted to achieve a sustainable rate.', { ...fields, t: `${took}ms` });
  }
}
