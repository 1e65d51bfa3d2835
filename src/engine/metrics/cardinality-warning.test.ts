import { describe, expect, it } from 'vitest';
import { CardinalityWarning } from './cardinality-warning.ts';
import { MetricRegistry } from './metric-registry.ts';
import { MetricsAggregator } from './metrics-aggregator.ts';
import { RunMetrics } from './run-metrics.ts';

const T0 = 1_700_000_000_000;

// k6 internal/metrics/engine/ingester_test.go: TestCardinalityControlAdd, TestCardinalityControlLimitHit,
// TestOutputFlushMetricsTimeSeriesWarning.
describe('too many time series', () => {
  it('counts each (metric, tags) series once, across seconds and workers', () => {
    const registry = new MetricRegistry();
    const metrics = new RunMetrics(registry.all());
    for (let second = 0; second < 2; second++) {
      const agg = new MetricsAggregator(registry, () => T0 + second * 1000);
      agg.add('iterations', { k: 'v' }, 1);
      agg.add('data_sent', { k: 'v' }, 1);
      for (const b of agg.flushAll()) metrics.ingest(b);
      expect(metrics.seriesCount()).toBe(2);
    }
  });

  it("warns once past the limit, in k6's words naming its first limit, then only past the doubled limit", () => {
    const w = new CardinalityWarning(2);
    expect(w.check(2)).toBeUndefined();
    expect(w.check(3)).toBe('The test has generated metrics with 3 unique time series, which is higher than the suggested limit of 100000 '
      + 'and could cause high memory usage. Consider not using high-cardinality values like unique IDs as metric tags '
      + 'or, if you need them in the URL, use the name metric tag or URL grouping. See https://grafana.com/docs/k6/latest/using-k6/tags-and-groups/ for details.');
    expect(w.check(4)).toBeUndefined();
    expect(w.check(5)).toMatch(/^The test has generated metrics with 5 unique time series/);
    expect(new CardinalityWarning().check(100_000)).toBeUndefined();
    expect(new CardinalityWarning().check(100_001)).toBeDefined();
  });
});
