import { describe, expect, it } from 'vitest';
import type { MetricsBatch } from './metrics-batch.ts';
import { RunMetrics, SUMMARY_SERIES_TAGS } from './run-metrics.ts';

const T0 = 1_700_000_000_000;
const DEFS: MetricsBatch['metrics'] = [
  { name: 'http_reqs', type: 'counter', contains: 'default' },
  { name: 'checks', type: 'rate', contains: 'default' },
];

/** One second of a script requesting a unique URL per request, in two groups, with a check. */
function second(i: number): MetricsBatch {
  const group = i % 2 === 0 ? '::a' : '::b';
  return {
    time: T0 + i * 1000,
    metrics: DEFS,
    series: [
      { metric: 'http_reqs', tags: { scenario: 'default', group, method: 'GET', url: `http://x/item/${i}`, name: `http://x/item/${i}`, status: '200' }, counter: { sum: 1 } },
      { metric: 'checks', tags: { scenario: 'default', group, check: 'ok' }, rate: { nonzero: 1, total: 1 } },
    ],
  };
}

describe('a test run keeping per-series totals', () => {
  it('keeps one state per summary tag set, not one per unique URL, and still counts every series', () => {
    const metrics = new RunMetrics(DEFS, { seriesTags: SUMMARY_SERIES_TAGS, submetrics: ['http_reqs{url:http://x/item/7}'] });
    for (let i = 0; i < 5000; i++) metrics.ingest(second(i));
    const byGroup = metrics.series('http_reqs');
    expect(byGroup.map((s) => s.tags)).toEqual([{ scenario: 'default', group: '::a' }, { scenario: 'default', group: '::b' }]);
    expect(byGroup.map((s) => s.state.values(5000)['count'])).toEqual([2500, 2500]);
    // k6's cardinality warning counts (metric, tags) pairs: 5,000 URLs plus the two check series.
    expect(metrics.seriesCount()).toBe(5002);
    // A tracked submetric (a threshold's) sees the tags the series no longer keep.
    expect(metrics.values('http_reqs{url:http://x/item/7}', 5000)?.['count']).toBe(1);
    expect(metrics.values('http_reqs', 5000)?.['count']).toBe(5000);
    expect(metrics.series('checks').map((s) => [s.tags.group, s.tags.check, s.state.total])).toEqual([['::a', 'ok', 2500], ['::b', 'ok', 2500]]);
  });

  it('keeps every tag by default (the control plane summaries of stored, capped series)', () => {
    const metrics = new RunMetrics(DEFS);
    for (let i = 0; i < 10; i++) metrics.ingest(second(i));
    expect(metrics.series('http_reqs')).toHaveLength(10);
    expect(metrics.seriesCount()).toBe(12);
  });
});
