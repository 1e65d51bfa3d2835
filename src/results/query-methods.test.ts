import { describe, expect, it } from 'vitest';
import { T0, batch, memoryRepo, trendAggregate } from './batches.test-helper.ts';
import { queryRange } from './metrics-api.ts';
import { QUERY_METHODS } from './query-methods.ts';

// Two seconds of one series per metric type, queried with step=1: expected [second 1, second 2] values.
const run = { id: 3, statusHistory: [{ type: 'running' as const, entered: new Date(T0).toISOString(), extra: null }], ended: new Date(T0 + 2000) };
const repo = memoryRepo(3, [
  batch(0, [
    { metric: 'http_reqs', tags: {}, counter: { sum: 4 } },
    { metric: 'vus', tags: {}, gauge: { last: 2, min: 1, max: 3, at: T0 + 900 } } as never,
    { metric: 'checks', tags: {}, rate: { nonzero: 3, total: 4 } },
    trendAggregate('http_req_duration', {}, [1, 2, 3, 4]),
  ]),
  batch(1, [
    { metric: 'http_reqs', tags: {}, counter: { sum: 6 } },
    { metric: 'vus', tags: {}, gauge: { last: 5, min: 4, max: 6, at: T0 + 1900 } } as never,
    { metric: 'checks', tags: {}, rate: { nonzero: 1, total: 4 } },
    trendAggregate('http_req_duration', {}, [10, 20]),
  ]),
]);

const sd = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
};

const EXPECTED: Record<string, Record<string, [number, number]>> = {
  counter: { increase: [4, 6], rate: [4, 6], value: [4, 10], cumrate: [4, 5], 'max_rate(1)': [4, 6] },
  gauge: { last: [2, 5], value: [2, 5], min: [1, 4], max: [3, 6], avg: [2, 5] },
  rate: {
    ratio: [0.75, 0.25],
    cumratio: [0.75, 0.5],
    increase: [4, 4],
    rate: [4, 4],
    value: [4, 8],
    increase_total: [4, 4],
    rate_total: [4, 4],
    value_total: [4, 8],
    increase_nz: [3, 1],
    rate_nz: [3, 1],
    value_nz: [3, 4],
    increase_z: [1, 3],
    rate_z: [1, 3],
    value_z: [1, 4],
  },
  trend: {
    histogram_min: [1, 10],
    histogram_max: [4, 20],
    histogram_avg: [2.5, 15],
    histogram_stddev: [sd([1, 2, 3, 4]), 5],
    'histogram_quantile(0.5)': [2.5, 15],
    histogram_count_increase: [4, 2],
    histogram_count_rate: [4, 2],
    histogram_count_value: [4, 6],
    histogram_sum_increase: [10, 30],
    histogram_cum_min: [1, 1],
    histogram_cum_max: [4, 20],
    histogram_cum_avg: [2.5, 40 / 6],
    histogram_cum_stddev: [sd([1, 2, 3, 4]), sd([1, 2, 3, 4, 10, 20])],
    'histogram_cum_quantile(0.5)': [2.5, 3.5],
  },
};
const METRIC = { counter: 'http_reqs', gauge: 'vus', rate: 'checks', trend: 'http_req_duration' } as const;

describe('every query method, per second', () => {
  for (const [type, methods] of Object.entries(QUERY_METHODS) as [keyof typeof METRIC, Record<string, unknown>][]) {
    it(`${type}: the table covers every method`, () => {
      expect(Object.keys(EXPECTED[type] ?? {}).map((m) => m.replace(/\(.*\)$/, '')).sort()).toEqual(Object.keys(methods).sort());
    });
    for (const [method, [first, second]] of Object.entries(EXPECTED[type] ?? {})) {
      it(`${type} ${method}`, async () => {
        const answer = await queryRange(repo, run, `query='${method}',metric='${METRIC[type]}',step=1`, new Date(T0 + 60_000));
        const values = answer.data.result[0]?.values ?? [];
        expect(values.map(([t]) => t)).toEqual([T0 / 1000 + 1, T0 / 1000 + 2]);
        expect(values[0]?.[1]).toBeCloseTo(first, 9);
        expect(values[1]?.[1]).toBeCloseTo(second, 9);
      });
    }
  }
});
