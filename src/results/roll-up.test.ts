import { describe, expect, it } from 'vitest';
import { RunMetrics } from '../engine/index.ts';
import type { MetricsBatch } from '../engine/index.ts';
import type { StoredMetricsBatch } from '../store/index.ts';
import { T0, batch, memoryRepo, trendAggregate } from './batches.test-helper.ts';
import { queryAggregate } from './metrics-api.ts';
import { rollUpBatches } from './roll-up.ts';

function busySeconds(n: number): StoredMetricsBatch[] {
  let seed = 3;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: n }, (_, s) =>
    batch(s, [
      { metric: 'http_reqs', tags: { name: 'a' }, counter: { sum: 500 } },
      { metric: 'vus', tags: {}, gauge: { last: s, min: s, max: s, at: T0 + s * 1000 + 500 } } as never,
      { metric: 'checks', tags: { check: 'ok' }, rate: { nonzero: 400, total: 500 } },
      trendAggregate('http_req_duration', { name: 'a' }, Array.from({ length: 500 }, () => 20 + random() ** 3 * 400)),
    ]),
  );
}

describe('rollUpBatches', () => {
  const seconds = busySeconds(20);
  const rolled = rollUpBatches(seconds, 10_000);

  it('keeps one batch per interval and one aggregate per series, every total exact', async () => {
    expect(rolled.map((b) => b.time)).toEqual([T0, T0 + 10_000]);
    expect(rolled.every((b) => b.series.length === 4)).toBe(true);
    const run = { id: 1, statusHistory: [], ended: new Date(T0 + 20_000) };
    const q = async (repo: ReturnType<typeof memoryRepo>, query: string, metric: string) => (await queryAggregate(repo, run, `query='${query}',metric='${metric}'`, new Date(T0 + 60_000))).data.result[0]?.values[0]?.[1];
    const fine = memoryRepo(1, seconds);
    const coarse = memoryRepo(1, rolled);
    for (const [query, metric] of [['increase', 'http_reqs'], ['last', 'vus'], ['max', 'vus'], ['ratio', 'checks'], ['histogram_count_increase', 'http_req_duration'], ['histogram_quantile(0.95)', 'http_req_duration'], ['histogram_avg', 'http_req_duration']] as const) {
      expect(await q(coarse, query, metric), `${query} ${metric}`).toBeCloseTo((await q(fine, query, metric)) ?? NaN, 9);
    }
  });

  it('merges as the engine does: the same summary values from either resolution', () => {
    const values = (batches: StoredMetricsBatch[]) => {
      const m = new RunMetrics();
      for (const b of batches) m.ingest(b as unknown as MetricsBatch);
      return m.values('http_req_duration', 20_000, ['min', 'med', 'max', 'p(90)', 'p(99)']);
    };
    expect(values(rolled)).toEqual(values(seconds));
  });

  it('stores far fewer bytes', () => {
    const size = (batches: StoredMetricsBatch[]) => batches.reduce((n, b) => n + JSON.stringify(b.series).length, 0);
    expect(size(rolled)).toBeLessThan(size(seconds) / 4);
  });
});
