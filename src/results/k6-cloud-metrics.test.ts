import { describe, expect, it } from 'vitest';
import { decodeSnappyBlock, StampedeError } from '../core/index.ts';
import { decodeK6MetricsPush } from './k6-cloud-metrics.ts';
import { encodeK6MetricSet, encodeK6MetricsPush, encodeSnappyBlock } from './k6-metrics-push-encoder.ts';
import { summarizeMergedBatches } from './merged-summary.ts';

const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);
const LIMIT = 10 * 1024 * 1024;

function durations(n: number): number[] {
  return Array.from({ length: n }, (_, i) => 20 + (i * 7919) % 400 + (i % 3) * 0.25);
}

describe('k6 cloud metrics push', () => {
  it('snappy: literals and overlapping copies come back byte for byte', () => {
    const data = Buffer.from('abcdabcdabcdabcdabcd-xyz-'.repeat(20) + 'q'.repeat(300));
    const block = encodeSnappyBlock(data);
    expect(block.length).toBeLessThan(data.length);
    expect(Buffer.from(decodeSnappyBlock(block, LIMIT)).equals(data)).toBe(true);
  });

  it('decodes every metric type into per-second batches that summarise like a runner’s', () => {
    const d1 = durations(150);
    const d2 = durations(40).map((v) => v * 2);
    const body = encodeK6MetricsPush('42', 1, [
      { name: 'http_reqs', type: 'counter', series: [{ labels: { name: 'http://127.0.0.1/', method: 'GET', status: '200' }, samples: [{ time: T0, counter: 150 }, { time: T0 + 1000, counter: 40 }] }] },
      { name: 'vus', type: 'gauge', series: [{ labels: {}, samples: [{ time: T0, gauge: [1, 5, 3] }] }] },
      { name: 'checks', type: 'rate', series: [{ labels: { check: 'ok' }, samples: [{ time: T0, rate: [true, true, false, true] }] }] },
      { name: 'http_req_duration', type: 'trend', series: [{ labels: { name: 'http://127.0.0.1/', expected_response: 'true' }, samples: [{ time: T0, trend: d1 }, { time: T0 + 1000, trend: d2 }] }] },
    ]);
    const push = decodeK6MetricsPush(body, { encoding: 'snappy', maxLength: LIMIT });
    expect(push.testRunId).toBe('42');
    expect(push.aggregationPeriodS).toBe(1);
    expect(push.batches.map((b) => b.time)).toEqual([T0, T0 + 1000]);
    const first = push.batches[0];
    expect(first?.metrics.find((m) => m.name === 'http_req_duration')).toEqual({ name: 'http_req_duration', type: 'trend', contains: 'time' });
    expect(first?.series.find((s) => s.metric === 'vus')?.gauge).toEqual({ last: 3, min: 1, max: 5 });
    expect(first?.series.find((s) => s.metric === 'checks')).toMatchObject({ tags: { check: 'ok' }, rate: { nonzero: 3, total: 4 } });

    const all = [...d1, ...d2].sort((a, b) => a - b);
    const summary = summarizeMergedBatches(push.batches, { thresholds: { http_req_duration: ['p(95)<1'], http_reqs: ['count>100'] } });
    const trend = summary.data.metrics['http_req_duration']?.values as Record<string, number>;
    expect(trend['min']).toBe(all[0]);
    expect(trend['max']).toBe(all[all.length - 1]);
    expect(trend['avg']).toBeCloseTo(all.reduce((a, b) => a + b, 0) / all.length, 9);
    const exactP95 = all[Math.ceil(0.95 * all.length) - 1] as number;
    expect(Math.abs((trend['p(95)'] as number) - exactP95) / exactP95).toBeLessThan(0.01);
    expect(summary.data.metrics['http_reqs']?.values).toMatchObject({ count: 190 });
    expect(summary.failedThresholds).toEqual({ http_req_duration: { 'p(95)<1': true }, http_reqs: { 'count>100': false } });
  });

  it('takes an uncompressed body too, and refuses malformed ones as a 400 naming the body', () => {
    const raw = encodeK6MetricSet('7', 1, [{ name: 'iterations', type: 'counter', series: [{ labels: {}, samples: [{ time: T0, counter: 3 }] }] }]);
    expect(decodeK6MetricsPush(raw, { encoding: undefined, maxLength: LIMIT }).batches[0]?.series[0]?.counter).toEqual({ sum: 3 });
    const broken = (body: Uint8Array, encoding = 'snappy') => {
      try {
        decodeK6MetricsPush(body, { encoding, maxLength: LIMIT });
      } catch (err) {
        return err;
      }
      return null;
    };
    for (const err of [broken(raw), broken(encodeSnappyBlock(raw.subarray(0, raw.length - 3))), broken(raw, 'gzip')]) {
      expect(err).toBeInstanceOf(StampedeError);
      expect((err as StampedeError).code).toBe('STAMPEDE_ERR_VALIDATION');
    }
    expect(broken(encodeSnappyBlock(raw), 'snappy')).toBeNull();
    const tooBig = encodeSnappyBlock(new Uint8Array(2048));
    expect((broken(tooBig) as StampedeError).message).toMatch(/snappy|metric/);
    expect(() => decodeK6MetricsPush(tooBig, { encoding: 'snappy', maxLength: 1024 })).toThrow(/over the limit/);
  });
});
