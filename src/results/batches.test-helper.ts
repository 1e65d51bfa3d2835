// Test support: per-second batches built the way a runner's aggregator sends them (trend seconds with
// more than 64 samples as HdrHistograms of round(|v|·1e6), negatives apart; fewer as exact values), and an in-memory
// RunMetricsRepo with the store's read contract (time order, metric and [from, to) filters).
import hdr from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js';
import type { RunMetricsRepo, StoredMetricDef, StoredMetricsBatch, StoredSeriesAggregate } from '../store/index.ts';

export const T0 = 1_700_000_000_000;

export const DEFS: Record<string, StoredMetricDef> = {
  http_reqs: { name: 'http_reqs', type: 'counter', contains: 'default' },
  vus: { name: 'vus', type: 'gauge', contains: 'default' },
  checks: { name: 'checks', type: 'rate', contains: 'default' },
  http_req_failed: { name: 'http_req_failed', type: 'rate', contains: 'default' },
  http_req_duration: { name: 'http_req_duration', type: 'trend', contains: 'time' },
};

export function trendAggregate(metric: string, tags: Record<string, string>, values: readonly number[]): StoredSeriesAggregate {
  const sum = values.reduce((a, b) => a + b, 0);
  const trend: Record<string, unknown> = {
    count: values.length,
    sum,
    sumSq: values.reduce((a, b) => a + b * b, 0),
    min: Math.min(...values),
    max: Math.max(...values),
  };
  if (values.length <= 64) {
    trend['values'] = [...values];
  } else {
    const pos = new hdr.Int32Histogram(1, 2, 3) as JsHistogram;
    const neg = new hdr.Int32Histogram(1, 2, 3) as JsHistogram;
    pos.autoResize = neg.autoResize = true;
    for (const v of values) (v < 0 ? neg : pos).recordValue(Math.round(Math.abs(v) * 1e6));
    if (pos.totalCount > 0) trend['hdr'] = hdr.encodeIntoCompressedBase64(pos);
    if (neg.totalCount > 0) trend['hdrNeg'] = hdr.encodeIntoCompressedBase64(neg);
  }
  return { metric, tags, trend } as unknown as StoredSeriesAggregate;
}

export function batch(second: number, series: StoredSeriesAggregate[]): StoredMetricsBatch {
  const names = [...new Set(series.map((s) => s.metric))];
  return { time: T0 + second * 1000, metrics: names.map((n) => DEFS[n] ?? { name: n, type: 'counter', contains: 'default' }), series };
}

export function memoryRepo(runId: number, batches: readonly StoredMetricsBatch[]): RunMetricsRepo {
  const stored: { runId: number; batch: StoredMetricsBatch }[] = batches.map((b) => ({ runId, batch: b }));
  return {
    async append(id, b) {
      stored.push({ runId: id, batch: b });
    },
    async read(id, opts = {}) {
      const byTime = new Map<number, StoredMetricsBatch>();
      for (const { runId: r, batch: b } of stored) {
        if (r !== id) continue;
        if (opts.from !== undefined && b.time < opts.from) continue;
        if (opts.to !== undefined && b.time >= opts.to) continue;
        const series = b.series.filter((s) => opts.metric === undefined || s.metric === opts.metric);
        if (series.length === 0) continue;
        const out = byTime.get(b.time) ?? { time: b.time, metrics: [], series: [] };
        out.series.push(...series);
        for (const m of b.metrics) if (!out.metrics.some((x) => x.name === m.name) && series.some((s) => s.metric === m.name)) out.metrics.push(m);
        byTime.set(b.time, out);
      }
      return [...byTime.values()].sort((a, b) => a.time - b.time);
    },
    async listMetrics(id) {
      const defs = new Map<string, StoredMetricDef>();
      for (const { runId: r, batch: b } of stored) if (r === id) for (const m of b.metrics) defs.set(m.name, m);
      return [...defs.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    },
  };
}

/** k6's percentile of the exact samples (rank p·(n−1), linear interpolation). */
export function exactPercentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? 0;
  return a + (b - a) * (rank - lo);
}
