// k6's remote-write mapping (internal/output/prometheusrw/remotewrite): every time series (metric and
// tags; metadata is not a label) keeps one sink for the whole run, and each flush sends the series
// that got a sample with a later millisecond since the last flush, with the sink's value so far and
// that millisecond as timestamp. Names: `k6_` + metric, counters `_total`, rates `_rate` (the rate so
// far), gauges as is, trends one gauge per trend stat (`_p99`, `_avg`, `_count`, …), in seconds for
// time metrics. Labels: the tags with a value, and `__name__`, sorted by name.
import { trendStatSuffix } from './prometheus-rw-config.ts';
import type { PointMetricType, PointSample } from './sample-output.ts';

export interface PromLabel {
  readonly name: string;
  readonly value: string;
}

export interface PromSeries {
  readonly labels: readonly PromLabel[];
  /** One sample; `stale` marks it with Prometheus' stale NaN. */
  readonly value: number;
  readonly timestamp: number;
  readonly stale?: boolean;
}

type Sink =
  | { kind: 'counter'; value: number }
  | { kind: 'gauge'; value: number }
  | { kind: 'rate'; trues: number; total: number }
  | { kind: 'trend'; values: number[]; sorted: boolean; sum: number; min: number; max: number };

interface Series {
  readonly metric: string;
  readonly type: PointMetricType;
  readonly contains: string;
  readonly tags: readonly PromLabel[];
  readonly sink: Sink;
  latest: number;
}

function newSink(type: PointMetricType): Sink {
  switch (type) {
    case 'counter': return { kind: 'counter', value: 0 };
    case 'gauge': return { kind: 'gauge', value: 0 };
    case 'rate': return { kind: 'rate', trues: 0, total: 0 };
    default: return { kind: 'trend', values: [], sorted: true, sum: 0, min: Infinity, max: -Infinity };
  }
}

function addTo(sink: Sink, v: number): void {
  switch (sink.kind) {
    case 'counter': sink.value += v; break;
    case 'gauge': sink.value = v; break;
    case 'rate':
      sink.total++;
      if (v !== 0) sink.trues++;
      break;
    default:
      sink.values.push(v);
      sink.sorted = false;
      sink.sum += v;
      if (v < sink.min) sink.min = v;
      if (v > sink.max) sink.max = v;
  }
}

/** k6's TrendSink.P: linear interpolation between the closest ranks. */
function percentile(t: Extract<Sink, { kind: 'trend' }>, pct: number): number {
  const n = t.values.length;
  if (n === 0) return 0;
  if (n === 1) return t.values[0] as number;
  if (!t.sorted) {
    t.values.sort((a, b) => a - b);
    t.sorted = true;
  }
  const i = pct * (n - 1);
  const j = t.values[Math.floor(i)] as number;
  const k = t.values[Math.ceil(i)] as number;
  return j + (k - j) * (i - Math.floor(i));
}

function trendStat(t: Extract<Sink, { kind: 'trend' }>, stat: string): number {
  const n = t.values.length;
  switch (stat) {
    case 'avg': return n === 0 ? 0 : t.sum / n;
    case 'min': return n === 0 ? 0 : t.min;
    case 'max': return n === 0 ? 0 : t.max;
    case 'med': return percentile(t, 0.5);
    case 'count': return n;
    case 'sum': return t.sum;
    default: return percentile(t, Number(stat.slice(2, -1)) / 100);
  }
}

const sortLabels = (labels: PromLabel[]): PromLabel[] => labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

export class PrometheusSeriesStore {
  readonly #trendStats: readonly string[];
  readonly #series = new Map<string, Series>();

  constructor(trendStats: readonly string[]) {
    this.#trendStats = trendStats;
  }

  /** k6's convertToPbSeries: adds the samples, returns the series to send (those that moved on to a later millisecond). */
  add(samples: readonly PointSample[]): PromSeries[] {
    const seen = new Set<Series>();
    for (const s of samples) {
      const time = Math.floor(s.time);
      const key = `${s.metric}\u0000${JSON.stringify(s.tags)}`;
      let series = this.#series.get(key);
      if (series === undefined) {
        const tags = sortLabels(Object.entries(s.tags).filter(([k, v]) => k !== '' && v !== '').map(([name, value]) => ({ name, value })));
        series = { metric: s.metric, type: s.type, contains: s.contains, tags, sink: newSink(s.type), latest: time };
        this.#series.set(key, series);
        seen.add(series);
      } else if (time > series.latest) {
        series.latest = time;
        seen.add(series);
      }
      addTo(series.sink, s.value);
    }
    return [...seen].flatMap((series) => this.#map(series));
  }

  /** Every series seen in the run, valued with the stale marker at `nowMs` + 1 ms (k6's staleMarkers). */
  staleMarkers(nowMs: number): PromSeries[] {
    const timestamp = Math.floor(nowMs) + 1;
    return [...this.#series.values()].flatMap((series) => this.#map(series).map((s) => ({ ...s, value: NaN, timestamp, stale: true })));
  }

  #map(series: Series): PromSeries[] {
    const labels = (name: string): PromLabel[] => sortLabels([...series.tags, { name: '__name__', value: name }]);
    const base = `k6_${series.metric}`;
    const sink = series.sink;
    switch (sink.kind) {
      case 'counter': return [{ labels: labels(`${base}_total`), value: sink.value, timestamp: series.latest }];
      case 'gauge': return [{ labels: labels(base), value: sink.value, timestamp: series.latest }];
      case 'rate': return [{ labels: labels(`${base}_rate`), value: sink.total === 0 ? 0 : sink.trues / sink.total, timestamp: series.latest }];
      default: {
        const unit = series.contains === 'time' ? 1000 : 1;
        return this.#trendStats.map((stat) => {
          const v = trendStat(sink, stat);
          // count is not a time: k6 still divides every stat of a time trend (adaptUnit).
          return { labels: labels(`${base}_${trendStatSuffix(stat)}`), value: v / unit, timestamp: series.latest };
        });
      }
    }
  }
}
