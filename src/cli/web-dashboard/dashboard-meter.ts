// xk6-dashboard's meter (internal/dashboard/meter.go) over the engine's per-second aggregates: every
// metric, and a submetric per value of each dashboard tag (`http_req_duration{group:::main}`), folded
// from `MetricsBatch` series rather than raw samples. `format` gives what the snapshot, cumulative,
// start and stop events carry: one array of aggregate values per metric, metrics sorted by name (the
// page matches them to the names the `metric` events announced), `time` among them.
import { compareThreshold, MetricState, type MetricDef, type MetricsBatch, type ThresholdExpression } from '../../engine/index.ts';

/** The aggregate values sent per metric type (the `param` event's `aggregates`), in this order. */
export const AGGREGATE_NAMES = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'max', 'med', 'min', 'p(90)', 'p(95)', 'p(99)'],
} as const satisfies Record<MetricDef['type'], readonly string[]>;

/** What a `metric` event says of a newly seen metric (xk6-dashboard metricData; defaults left out). */
export interface MetricInfo {
  readonly type: MetricDef['type'];
  readonly contains?: 'time' | 'data';
  readonly custom?: true;
}

/** The metric names k6 and xk6-dashboard build in (builtin.go); any other is `custom`. */
const BUILTIN = new Set([
  'time', 'vus', 'vus_max', 'iterations', 'iteration_duration', 'dropped_iterations', 'checks', 'group_duration',
  'http_reqs', 'http_req_failed', 'http_req_duration', 'http_req_blocked', 'http_req_connecting',
  'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving',
  'ws_sessions', 'ws_msgs_sent', 'ws_msgs_received', 'ws_ping', 'ws_session_duration', 'ws_connecting',
  'grpc_req_duration', 'data_sent', 'data_received',
  'browser_web_vital_fid', 'browser_web_vital_ttfb', 'browser_web_vital_lcp', 'browser_web_vital_cls',
  'browser_web_vital_inp', 'browser_web_vital_fcp', 'browser_data_sent', 'browser_data_received',
  'browser_http_req_duration', 'browser_http_req_failed', 'grpc_streams', 'grpc_streams_msgs_received',
  'grpc_streams_msgs_sent',
]);

/**
 * Go's float64 rounding in xk6-dashboard (`significant`): whole numbers stay, others keep about five
 * significant digits, truncated.
 */
export function significant(n: number): number {
  if (Number.isInteger(n) || !Number.isFinite(n)) return n;
  if (n > 1e4) return Math.trunc(n);
  if (n > 1e3) return Math.trunc(n * 10) / 10;
  if (n > 1e2) return Math.trunc(n * 100) / 100;
  if (n > 10) return Math.trunc(n * 1e3) / 1e3;
  if (n > 1) return Math.trunc(n * 1e4) / 1e4;
  return Math.trunc(n * 1e5) / 1e5;
}

interface Entry {
  readonly def: MetricDef;
  readonly state: MetricState;
}

export class DashboardMeter {
  readonly #entries = new Map<string, Entry>();
  readonly #tags: readonly string[];
  /** Epoch ms the meter starts at (the cumulative rate's time base). */
  readonly start: number;
  /** 0: cumulative (rates over the time since `start`); otherwise the fixed period of a snapshot. */
  readonly #periodMs: number;
  #now: number;

  constructor(periodMs: number, now: number, tags: readonly string[]) {
    this.#periodMs = periodMs;
    this.start = now;
    this.#now = now;
    this.#tags = tags;
    this.#add({ name: 'time', type: 'gauge', contains: 'time' });
  }

  /** A meter for the next period that knows (and reports, empty) every metric this one knows. */
  snapshotMeter(periodMs: number, now: number): DashboardMeter {
    const m = new DashboardMeter(periodMs, now, this.#tags);
    for (const { def } of this.#entries.values()) m.#add(def);
    return m;
  }

  /** Folds the batches in and sets the clock to `now`. */
  update(batches: readonly MetricsBatch[], now: number): void {
    this.#now = now;
    for (const b of batches) {
      const defs = new Map(b.metrics.map((d) => [d.name, d]));
      for (const s of b.series) {
        const def = defs.get(s.metric);
        if (def === undefined) continue;
        this.#add(def).state.fold(s, b.time);
        for (const tag of this.#tags) {
          const value = s.tags[tag];
          if (value === undefined || value === '') continue;
          this.#add({ ...def, name: `${def.name}{${tag}:${value}}` }).state.fold(s, b.time);
        }
      }
    }
  }

  /** Names not in `seen` (which gains them), with what the `metric` event tells of each. */
  newbies(seen: Set<string>): Record<string, MetricInfo> | undefined {
    let out: Record<string, MetricInfo> | undefined;
    for (const [name, { def }] of this.#entries) {
      if (seen.has(name)) continue;
      seen.add(name);
      const base = name.split('{', 1)[0] ?? name;
      out ??= {};
      out[name] = {
        type: def.type,
        ...(def.contains === 'default' ? {} : { contains: def.contains }),
        ...(BUILTIN.has(base) ? {} : { custom: true }),
      };
    }
    return out;
  }

  /** Every metric's aggregate values, sorted by name; an empty array for a metric without data. */
  format(): number[][] {
    const durMs = this.#periodMs === 0 ? this.#now - this.start : this.#periodMs;
    const names = [...this.#entries.keys()].sort();
    return names.map((name) => {
      const entry = this.#entries.get(name) as Entry;
      if (name === 'time') return [this.#now];
      if (entry.state.isEmpty) return [];
      const type = entry.def.type;
      const values = entry.state.values(durMs, AGGREGATE_NAMES.trend);
      // k6's Sink.Format: a counter's rate per second of the duration (0 without one), a gauge's last value.
      return AGGREGATE_NAMES[type].map((k) => significant(values[k] ?? 0));
    });
  }

  /**
   * xk6-dashboard's meter.evaluate: the thresholds of every metric this meter holds, over its values;
   * the sources of those that failed, by metric (none: undefined). A threshold that reads no value passes.
   */
  evaluate(thresholds: ReadonlyMap<string, ReadonlyArray<{ readonly source: string; readonly expression: ThresholdExpression }>>): Record<string, string[]> | undefined {
    const durMs = this.#periodMs === 0 ? this.#now - this.start : this.#periodMs;
    let out: Record<string, string[]> | undefined;
    for (const [name, list] of thresholds) {
      const state = this.#entries.get(name)?.state;
      if (state === undefined || state.isEmpty) continue;
      const failed = list.filter(({ expression: e }) => {
        const observed = e.aggregation === 'p' ? state.trend?.percentile(e.percentile ?? 0) : state.values(durMs, [e.aggregation])[e.aggregation];
        return observed !== undefined && !compareThreshold(observed, e.operator, e.value);
      });
      if (failed.length === 0) continue;
      out ??= {};
      out[name] = failed.map((t) => t.source);
    }
    return out;
  }

  /** The metric's merged state (tests, the report's summary). */
  state(name: string): MetricState | undefined {
    return this.#entries.get(name)?.state;
  }

  #add(def: MetricDef): Entry {
    let entry = this.#entries.get(def.name);
    if (entry === undefined) {
      entry = { def, state: new MetricState(def.type) };
      this.#entries.set(def.name, entry);
    }
    return entry;
  }
}
