// The network outputs (`--out influxdb`, `--out experimental-prometheus-rw`, …) get the run's sample
// points as k6's outputs get them from its engine: a buffer filled as samples arrive and flushed on
// the output's own push interval (k6 output.SampleBuffer + PeriodicFlusher), with a last flush when
// the run stops. The points come from the same NDJSON lines `--out json` writes (every thread's
// JsonOutput), so an output sees exactly the samples the JSON output would hold.

export type PointMetricType = 'counter' | 'gauge' | 'rate' | 'trend';

/** One sample: k6's metrics.Sample with the fields the outputs read. */
export interface PointSample {
  readonly metric: string;
  readonly type: PointMetricType;
  /** The metric's value type: `time` (milliseconds), `data` (bytes) or `default`. */
  readonly contains: string;
  /** Epoch milliseconds (the JSON output's time). */
  readonly time: number;
  readonly value: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly metadata: Readonly<Record<string, string>> | undefined;
}

/** k6's output.Output: described in the banner, started before the test, stopped (flushed) after it. */
export interface SampleOutput {
  /** The banner's text ("InfluxDBv1 (http://localhost:8086)"). */
  readonly description: string;
  /** Called before the test starts; a rejection fails the run as k6's Start error does. */
  start(): Promise<void>;
  add(samples: readonly PointSample[]): void;
  /** Flushes what is buffered and waits for every write in flight; never rejects. */
  stop(): Promise<void>;
}

/** What an output logs through (the run's logger; `fields` as k6's logrus fields). */
export interface OutputLog {
  write(level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Readonly<Record<string, string>>): void;
}

/** A metric's type and value type, from its Metric line. */
export interface MetricKind {
  readonly type: PointMetricType;
  readonly contains: string;
}

interface PointLine {
  readonly metric: string;
  readonly type: string;
  readonly data: { readonly time: string; readonly value: number; readonly tags?: Record<string, string> | null; readonly metadata?: Record<string, string> };
}

/**
 * Reads `--out json` NDJSON lines into samples: Metric lines give each metric's type (`types`, kept
 * across calls, as every thread announces its metrics before their points).
 */
export function samplesFromLines(lines: readonly string[], types: Map<string, MetricKind>): PointSample[] {
  const out: PointSample[] = [];
  for (const line of lines) {
    if (line.startsWith('{"type":"Metric"')) {
      const m = JSON.parse(line) as { data: { name: string; type: PointMetricType; contains: string } };
      types.set(m.data.name, { type: m.data.type, contains: m.data.contains });
      continue;
    }
    if (!line.startsWith('{"metric"')) continue;
    const p = JSON.parse(line) as PointLine;
    if (p.type !== 'Point') continue;
    const kind = types.get(p.metric);
    out.push({
      metric: p.metric,
      type: kind?.type ?? 'gauge',
      contains: kind?.contains ?? 'default',
      time: Date.parse(p.data.time),
      value: p.data.value,
      tags: p.data.tags ?? {},
      metadata: p.data.metadata,
    });
  }
  return out;
}

/**
 * k6's output.PeriodicFlusher: `flush` every `periodMs`, and once more on stop. A flush that is still
 * running when the timer fires delays the next one (Go's ticker drops ticks the same way).
 */
export class PeriodicFlusher {
  readonly #flush: () => Promise<void>;
  readonly #timer: NodeJS.Timeout;
  #running: Promise<void> | undefined;

  constructor(periodMs: number, flush: () => Promise<void>) {
    this.#flush = flush;
    this.#timer = setInterval(() => void this.#tick(), periodMs);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    if (this.#running !== undefined) return;
    this.#running = this.#flush().finally(() => {
      this.#running = undefined;
    });
    await this.#running;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
    await this.#flush();
  }
}
