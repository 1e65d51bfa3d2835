// The engine's per-second batches as k6's cloud output v2 pushes them (`stampede cloud run
// --local-execution`), read back by the server's decoder: every type, exact counts, sums and bounds,
// trend percentiles within k6's bucket width, reserved tags left out, sets split at the series limit.
import hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { toRecorded, type MetricsBatch } from '../engine/index.ts';
import { decodeK6MetricsPush } from './k6-cloud-metrics.ts';
import { encodeBatchesAsMetricSets, encodeSnappyBlock } from './k6-metrics-push-encoder.ts';
import { summarizeMergedBatches } from './merged-summary.ts';

const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const LIMIT = 10 * 1024 * 1024;

function hdrOf(values: number[]): string {
  const h = hdr.build({ bitBucketSize: 'packed', autoResize: true, numberOfSignificantValueDigits: 3 });
  for (const v of values) h.recordValue(toRecorded(v));
  const s = hdr.encodeIntoCompressedBase64(h);
  h.destroy();
  return s;
}

const many = Array.from({ length: 500 }, (_, i) => 10 + (i * 37) % 300);

const BATCHES: MetricsBatch[] = [
  {
    time: T0,
    metrics: [
      { name: 'http_reqs', type: 'counter', contains: 'default' },
      { name: 'vus', type: 'gauge', contains: 'default' },
      { name: 'checks', type: 'rate', contains: 'default' },
      { name: 'http_req_duration', type: 'trend', contains: 'time' },
    ],
    series: [
      { metric: 'http_reqs', tags: { method: 'GET', status: '200', test_run_id: 'mine', __x: '1' }, counter: { sum: 12 } },
      { metric: 'vus', tags: {}, gauge: { last: 3, min: 1, max: 5 } },
      { metric: 'checks', tags: { check: 'ok' }, rate: { nonzero: 3, total: 4 } },
      { metric: 'http_req_duration', tags: { status: '200' }, trend: { count: 3, sum: 60, min: 10, max: 30, values: [10, 20, 30] } },
    ],
  },
  {
    time: T0 + 1000,
    metrics: [{ name: 'http_req_duration', type: 'trend', contains: 'time' }],
    series: [
      { metric: 'http_req_duration', tags: { status: '200' }, trend: { count: many.length, sum: many.reduce((a, b) => a + b, 0), min: Math.min(...many), max: Math.max(...many), hdr: hdrOf(many) } },
    ],
  },
];

describe('encodeBatchesAsMetricSets', () => {
  it('round-trips every metric type through the push decoder, leaving reserved tags out', () => {
    const discarded = new Set<string>();
    const sets = encodeBatchesAsMetricSets('7', 1, BATCHES, 1000, discarded);
    expect(sets).toHaveLength(1);
    expect([...discarded].sort()).toEqual(['__x', 'test_run_id']);
    const push = decodeK6MetricsPush(encodeSnappyBlock(sets[0] as Uint8Array), { encoding: 'snappy', maxLength: LIMIT });
    expect(push.testRunId).toBe('7');
    expect(push.batches.map((b) => b.time)).toEqual([T0, T0 + 1000]);
    const [first, second] = push.batches;
    expect(first?.series.find((s) => s.metric === 'http_reqs')).toMatchObject({ tags: { method: 'GET', status: '200' }, counter: { sum: 12 } });
    expect(first?.series.find((s) => s.metric === 'http_reqs')?.tags).not.toHaveProperty('test_run_id');
    expect(first?.series.find((s) => s.metric === 'vus')?.gauge).toEqual({ last: 3, min: 1, max: 5 });
    expect(first?.series.find((s) => s.metric === 'checks')?.rate).toEqual({ nonzero: 3, total: 4 });
    expect(first?.series.find((s) => s.metric === 'http_req_duration')?.trend).toMatchObject({ count: 3, sum: 60, min: 10, max: 30 });
    expect(second?.series[0]?.trend).toMatchObject({ count: 500, min: Math.min(...many), max: Math.max(...many) });
    // percentiles of the hdr-carried second survive within k6's bucket width (under 1%)
    const merged = summarizeMergedBatches([second as never], { summaryTrendStats: ['p(90)'] });
    const sorted = [...many].sort((a, b) => a - b);
    const exact = sorted[Math.floor(0.9 * (sorted.length - 1))] as number;
    const p90 = (merged.data.metrics['http_req_duration']?.values as Record<string, number>)['p(90)'] as number;
    expect(Math.abs(p90 - exact) / exact).toBeLessThan(0.02);
  });

  it('splits into sets of at most maxSeries series', () => {
    const batch: MetricsBatch = {
      time: T0,
      metrics: [{ name: 'c', type: 'counter', contains: 'default' }],
      series: Array.from({ length: 5 }, (_, i) => ({ metric: 'c', tags: { n: String(i) }, counter: { sum: i } })),
    };
    const sets = encodeBatchesAsMetricSets('1', 1, [batch], 2, new Set());
    expect(sets).toHaveLength(3);
    const counted = sets.map((s) => decodeK6MetricsPush(s, { encoding: undefined, maxLength: LIMIT }).batches[0]?.series.length);
    expect(counted).toEqual([2, 2, 1]);
  });
});
