import { describe, expect, it } from 'vitest';
import { batch, exactPercentile, memoryRepo, trendAggregate } from './batches.test-helper.ts';
import { queryAggregate, listLabelValues } from './metrics-api.ts';
import { capSeries, createSeriesCapState } from './series-cap.ts';
import type { StoredMetricsBatch } from '../store/index.ts';

const run = { id: 1, statusHistory: [], ended: new Date(1_700_000_010_000) };
const NOW = new Date(1_700_000_010_000);

describe('capSeries', () => {
  it('groups series by the name tag: url tags differing under one name become one merged series', () => {
    const state = createSeriesCapState();
    const values1 = [10, 20, 30];
    const values2 = Array.from({ length: 100 }, (_, i) => 40 + i);
    const { batch: out, warning } = capSeries(
      batch(0, [
        { metric: 'http_reqs', tags: { name: 'item', url: 'http://x/item/1', status: '200' }, counter: { sum: 3 } },
        { metric: 'http_reqs', tags: { name: 'item', url: 'http://x/item/2', status: '200' }, counter: { sum: 100 } },
        trendAggregate('http_req_duration', { name: 'item', url: 'http://x/item/1' }, values1),
        trendAggregate('http_req_duration', { name: 'item', url: 'http://x/item/2' }, values2),
      ]),
      state,
    );
    expect(warning).toBeUndefined();
    expect(out.series.map((s) => [s.metric, s.tags])).toEqual([
      ['http_reqs', { name: 'item', status: '200' }],
      ['http_req_duration', { name: 'item' }],
    ]);
    expect(out.series[0]?.counter).toEqual({ sum: 103 });
    const trend = out.series[1]?.trend as unknown as { count: number; min: number; max: number };
    expect([trend.count, trend.min, trend.max]).toEqual([103, 10, 139]);
  });

  it('past the cap folds new series, warns once, and keeps totals and percentiles exact', async () => {
    const state = createSeriesCapState(3);
    const stored: StoredMetricsBatch[] = [];
    const warnings: string[] = [];
    const all: number[] = [];
    for (let s = 0; s < 5; s++) {
      const series = [];
      for (let u = 0; u < 4; u++) {
        const values = [s * 10 + u, s * 10 + u + 0.5];
        all.push(...values);
        series.push(trendAggregate('http_req_duration', { name: `http://x/${s}/${u}`, expected_response: 'true' }, values));
      }
      const capped = capSeries(batch(s, series), state);
      if (capped.warning) warnings.push(capped.warning);
      stored.push(capped.batch);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/reached 3 distinct time series/);
    expect(state.known.size).toBe(3);
    expect(state.folded).toBe(17);
    const repo = memoryRepo(1, stored);
    const names = await listLabelValues(repo, run, 'name', undefined);
    expect(names.data).toEqual(['http://x/0/0', 'http://x/0/1', 'http://x/0/2']);
    const count = await queryAggregate(repo, run, "query='histogram_count_increase',metric='http_req_duration{expected_response=\"true\"}'", NOW);
    expect(count.data.result[0]?.values[0]?.[1]).toBe(40);
    const p95 = await queryAggregate(repo, run, "query='histogram_quantile(0.95)',metric='http_req_duration'", NOW);
    expect(p95.data.result[0]?.values[0]?.[1]).toBeCloseTo(exactPercentile(all, 0.95), 9);
    const folded = await queryAggregate(repo, run, "query='histogram_count_increase',metric='http_req_duration{folded=\"true\"}'", NOW);
    expect(folded.data.result[0]?.values[0]?.[1]).toBe(34);
  });
});
