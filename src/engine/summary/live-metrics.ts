// The metrics of a run while it lives, as k6's REST API reports them (api/v1/metric.go NewMetric over
// the metrics engine's ObservedMetrics): each metric's type, value type, threshold taint and the
// sink's Format(t) — counter {count, rate}, gauge {value}, rate {rate}, trend {min, max, avg, med,
// p(90), p(95)} whatever summaryTrendStats says.
import type { MetricContains, MetricType } from '../vu/vu-host.ts';
import type { RunMetrics } from '../metrics/run-metrics.ts';
import type { ThresholdResult } from '../thresholds/evaluate-thresholds.ts';
import { reportedMetricKeys } from './summary-data.ts';

export interface LiveMetric {
  /** The metric or submetric name, e.g. http_req_duration{expected_response:true}. */
  readonly name: string;
  readonly type: MetricType;
  readonly contains: MetricContains;
  /** null until a threshold evaluation compared the metric; then whether one of its thresholds failed. */
  readonly tainted: boolean | null;
  readonly sample: Readonly<Record<string, number>>;
}

/** The trend statistics k6's TrendSink.Format reports, in its order. */
const TREND_SAMPLE = ['min', 'max', 'avg', 'med', 'p(90)', 'p(95)'] as const;

function pick(values: Readonly<Record<string, number>>, keys: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = values[k] ?? 0;
  return out;
}

export function buildLiveMetrics(
  metrics: RunMetrics,
  thresholds: readonly ThresholdResult[],
  tainted: ReadonlyMap<string, boolean>,
  testRunDurationMs: number,
): LiveMetric[] {
  const out: LiveMetric[] = [];
  for (const key of reportedMetricKeys(metrics, thresholds)) {
    const def = metrics.metric(key.split('{', 1)[0] ?? key);
    if (!def) continue;
    const values = metrics.values(key, testRunDurationMs, TREND_SAMPLE) ?? {};
    let sample: Record<string, number>;
    switch (def.type) {
      case 'counter': sample = pick(values, ['count', 'rate']); break;
      case 'gauge': sample = pick(values, ['value']); break;
      case 'rate': sample = pick(values, ['rate']); break;
      case 'trend': sample = pick(values, TREND_SAMPLE); break;
    }
    out.push({ name: key, type: def.type, contains: def.contains, tainted: tainted.get(key) ?? null, sample });
  }
  return out;
}
