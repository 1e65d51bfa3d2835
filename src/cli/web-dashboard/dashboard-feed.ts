// The dashboard's event sequence, as xk6-dashboard's output sends it (internal/dashboard/extension.go):
// `config`, `param`, then `start`; every period `cumulative` (everything since the start), `threshold`
// (the failing thresholds of whole metrics over it, when any) and `snapshot` (the period's aggregates);
// at the end a last `cumulative` and `stop`. A `metric` event announces metrics before the first data
// event that carries them. The engine's per-second batches are buffered between periods; nothing is
// re-aggregated from raw samples.
import { parseThresholdExpression, type MetricsBatch, type ThresholdExpression } from '../../engine/index.ts';
import { AGGREGATE_NAMES, DashboardMeter } from './dashboard-meter.ts';

export interface DashboardEvent {
  readonly name: 'config' | 'param' | 'metric' | 'start' | 'snapshot' | 'cumulative' | 'threshold' | 'stop';
  readonly data: unknown;
}

/** The `param` event (xk6-dashboard paramData; durations in milliseconds). */
export interface DashboardParam {
  readonly thresholds?: Readonly<Record<string, readonly string[]>>;
  readonly scenarios?: readonly string[];
  readonly endOffset?: number;
  readonly period: number;
  readonly scriptPath?: string;
  readonly aggregates: typeof AGGREGATE_NAMES;
}

export interface DashboardFeedOptions {
  readonly periodMs: number;
  readonly tags: readonly string[];
  readonly param: Omit<DashboardParam, 'period' | 'aggregates'>;
  /** The `config` event's data: what the page shows (our page's own layout description). */
  readonly config: unknown;
  readonly clock?: () => number;
}

export class DashboardFeed {
  readonly #o: DashboardFeedOptions;
  readonly #listeners: Array<(e: DashboardEvent) => void> = [];
  readonly #seen = new Set<string>();
  readonly #clock: () => number;
  #buffer: MetricsBatch[] = [];
  #cumulative: DashboardMeter | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #stopped = false;
  /** The thresholds evaluated on the cumulative values: those of whole metrics (a submetric's are not). */
  readonly #thresholds = new Map<string, Array<{ source: string; expression: ThresholdExpression }>>();

  constructor(o: DashboardFeedOptions) {
    this.#o = o;
    this.#clock = o.clock ?? Date.now;
    for (const [name, sources] of Object.entries(o.param.thresholds ?? {})) {
      if (name.includes('{')) continue;
      const parsed = sources.flatMap((source) => {
        try {
          return [{ source, expression: parseThresholdExpression(source) }];
        } catch {
          return [];
        }
      });
      this.#thresholds.set(name, parsed);
    }
  }

  onEvent(listener: (e: DashboardEvent) => void): void {
    this.#listeners.push(listener);
  }

  /** config, param and start; then a snapshot every period until stop(). */
  start(): void {
    const now = this.#clock();
    this.#cumulative = new DashboardMeter(0, now, this.#o.tags);
    this.#fire({ name: 'config', data: this.#o.config });
    this.#fire({ name: 'param', data: { ...this.#o.param, period: this.#o.periodMs, aggregates: AGGREGATE_NAMES } satisfies DashboardParam });
    this.#send(new DashboardMeter(this.#o.periodMs, now, this.#o.tags), [], 'start', now);
    this.#timer = setInterval(() => this.#flush(false), this.#o.periodMs);
    this.#timer.unref();
  }

  /** One second of the run's metrics (RunningTest.onMetrics). */
  push(batch: MetricsBatch): void {
    if (!this.#stopped) this.#buffer.push(batch);
  }

  /** The last cumulative (the partial period gets no snapshot, as in xk6-dashboard), then stop. */
  stop(): void {
    if (this.#stopped || this.#cumulative === undefined) return;
    clearInterval(this.#timer);
    this.#flush(true);
    this.#stopped = true;
    const now = this.#clock();
    this.#send(new DashboardMeter(this.#o.periodMs, now, this.#o.tags), [], 'stop', now);
  }

  #flush(final: boolean): void {
    const cumulative = this.#cumulative;
    if (cumulative === undefined) return;
    const batches = this.#buffer;
    this.#buffer = [];
    const now = this.#clock();
    this.#send(cumulative, batches, 'cumulative', now);
    const failures = cumulative.evaluate(this.#thresholds);
    if (failures !== undefined) this.#fire({ name: 'threshold', data: failures });
    if (!final) this.#send(cumulative.snapshotMeter(this.#o.periodMs, now), batches, 'snapshot', now);
  }

  #send(meter: DashboardMeter, batches: readonly MetricsBatch[], name: DashboardEvent['name'], now: number): void {
    meter.update(batches, now);
    const newbies = meter.newbies(this.#seen);
    if (newbies !== undefined) this.#fire({ name: 'metric', data: newbies });
    this.#fire({ name, data: meter.format() });
  }

  #fire(e: DashboardEvent): void {
    for (const l of this.#listeners) l(e);
  }
}
