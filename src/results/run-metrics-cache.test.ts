import { describe, expect, it } from 'vitest';
import type { RunMetricsRepo } from '../store/index.ts';
import { T0, batch, memoryRepo } from './batches.test-helper.ts';
import { FinishedRunsCache } from './finished-runs-cache.ts';
import { queryAggregate } from './metrics-api.ts';

function countingRepo(): { repo: RunMetricsRepo; reads: () => number } {
  const inner = memoryRepo(1, [0, 1, 2, 3].map((s) => batch(s, [{ metric: 'http_reqs', tags: { s: String(s) }, counter: { sum: s + 1 } }])));
  let reads = 0;
  return {
    repo: {
      append: inner.append,
      listMetrics: inner.listMetrics,
      read: (id, opts) => {
        reads++;
        return inner.read(id, opts);
      },
    },
    reads: () => reads,
  };
}

const finished = { id: 1, status: 'completed' as const, resultsDeleted: false, statusHistory: [], ended: new Date(T0 + 4000) };
const increase = (repo: RunMetricsRepo, extra = '') => queryAggregate(repo, finished, `query='increase',metric='http_reqs'${extra}`, new Date(T0 + 10_000)).then((a) => a.data.result[0]?.values[0]?.[1]);

describe('FinishedRunsCache', () => {
  it('reads a finished run once and answers windows of it from memory', async () => {
    const { repo, reads } = countingRepo();
    const cache = new FinishedRunsCache(repo);
    expect(await increase(cache.forRun(finished))).toBe(10);
    expect(await increase(cache.forRun(finished), `,start=${T0 / 1000 + 1},end=${T0 / 1000 + 3}`)).toBe(5);
    expect(reads()).toBe(1);
    expect(cache.size).toBe(4);
  });

  it('always reads a running run, and a run whose results were swept, from the store', async () => {
    const { repo, reads } = countingRepo();
    const cache = new FinishedRunsCache(repo);
    await increase(cache.forRun(finished));
    const running = { ...finished, status: 'running' as const };
    await increase(cache.forRun(running));
    await increase(cache.forRun(running));
    expect(reads()).toBe(3);
    expect(cache.size).toBe(0);
    await increase(cache.forRun({ ...finished, resultsDeleted: true }));
    expect(reads()).toBe(4);
  });

  it('drops the least recently used entries beyond its bound', async () => {
    const { repo, reads } = countingRepo();
    const cache = new FinishedRunsCache(repo, { maxAggregates: 3 });
    await increase(cache.forRun(finished));
    await increase(cache.forRun(finished));
    expect(reads()).toBe(2);
    expect(cache.size).toBe(0);
  });
});
