import { describe, expect, it } from 'vitest';
import { RunMetrics } from '../engine/index.ts';
import type { MetricsBatch, TrendAggregate } from '../engine/index.ts';
import { trendAggregate } from './batches.test-helper.ts';
import { SparseTrend } from './sparse-trend.ts';

function engineStats(aggs: readonly TrendAggregate[], stats: string[]): Record<string, number> {
  const m = new RunMetrics([{ name: 't', type: 'trend', contains: 'time' }], { submetrics: [] });
  aggs.forEach((trend, i) => m.ingest({ time: i * 1000, metrics: [], series: [{ metric: 't', tags: {}, trend }] } as MetricsBatch));
  return m.values('t', 1000, stats) ?? {};
}

const STATS = ['min', 'med', 'max', 'p(1)', 'p(10)', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)'];
const pct = (s: string): number => (s === 'min' ? 0 : s === 'max' ? 100 : s === 'med' ? 50 : Number(s.slice(2, -1)));

describe('SparseTrend gives the engine\'s percentiles', () => {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const cases: [string, () => number[][]][] = [
    ['few exact samples (k6-exact)', () => [[3, 1, 2], [5, 4]]],
    ['histograms from busy seconds', () => Array.from({ length: 6 }, () => Array.from({ length: 300 }, () => random() ** 4 * 5000))],
    ['exact seconds that overflow the exact limit', () => Array.from({ length: 30 }, () => Array.from({ length: 50 }, () => 1 + random() * 100))],
    ['a run-long merge of many wide histograms (dense counts)', () => Array.from({ length: 40 }, () => Array.from({ length: 300 }, () => random() ** 2 * 60_000))],
    ['negative and positive samples', () => Array.from({ length: 4 }, () => Array.from({ length: 100 }, () => (random() - 0.3) * 200))],
  ];
  for (const [name, make] of cases) {
    it(name, () => {
      const aggs = make().map((values) => trendAggregate('t', {}, values).trend as unknown as TrendAggregate);
      const sparse = new SparseTrend();
      for (const a of aggs) sparse.addAggregate(a);
      const engine = engineStats(aggs, STATS);
      for (const s of STATS) expect(sparse.percentile(pct(s)), s).toBe(engine[s]);
      expect(sparse.count).toBe(aggs.reduce((n, a) => n + a.count, 0));
    });
  }
});
