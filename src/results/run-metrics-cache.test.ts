import { describe, expect, it } from 'vitest';
import type { RunMetricsRepo, StoredMetricsBatch } from '../store/index.ts';
import { T0, batch, memoryRepo } from './batches.test-helper.ts';
import { queryAggregate } from './metrics-api.ts';
import { RunMetricsCache, SETTLE_MS } from './run-metrics-cache.ts';

const second = (s: number): StoredMetricsBatch => batch(s, [{ metric: 'http_reqs', tags: { s: String(s % 2) }, counter: { sum: s + 1 } }]);

function countingRepo(seconds: number): { repo: RunMetricsRepo; reads: { from?: number }[] } {
  const inner = memoryRepo(1, Array.from({ length: seconds }, (_, s) => second(s)));
  const reads: { from?: number }[] = [];
  return {
    repo: {
      append: inner.append,
      listMetrics: inner.listMetrics,
      read: (id, opts) => {
        reads.push({ ...(opts?.from === undefined ? {} : { from: opts.from }) });
        return inner.read(id, opts);
      },
    },
    reads,
  };
}

const finished = { id: 1, status: 'completed' as const, resultsDeleted: false, statusHistory: [], ended: new Date(T0 + 60_000) };
const running = { ...finished, status: 'running' as const, ended: null };
const increase = (repo: RunMetricsRepo, run: typeof finished | typeof running, extra = '') =>
  queryAggregate(repo, run, `query='increase',metric='http_reqs'${extra}`, new Date(T0 + 60_000)).then((a) => a.data.result[0]?.values[0]?.[1]);

describe('RunMetricsCache', () => {
  it('reads a finished run once and answers windows of it from memory', async () => {
    const { repo, reads } = countingRepo(4);
    const cache = new RunMetricsCache(repo, { buildDelayMs: 0 });
    expect(await increase(cache.forRun(finished), finished)).toBe(10);
    expect(await increase(cache.forRun(finished), finished, `,start=${T0 / 1000 + 1},end=${T0 / 1000 + 3}`)).toBe(5);
    await cache.settled();
    expect(await increase(cache.forRun(finished), finished, `,start=${T0 / 1000 + 1},end=${T0 / 1000 + 3}`)).toBe(5);
    expect(reads).toHaveLength(1);
    // Held as a FinishedMetric once built from the first read, not as batches.
    expect(cache.size).toBe(0);
    expect(cache.finishedBytes).toBeGreaterThan(0);
  });

  it('reads only the unsettled seconds of a live run again, and sees late batches of those seconds', async () => {
    const { repo, reads } = countingRepo(30);
    const cache = new RunMetricsCache(repo, { buildDelayMs: 0 });
    expect(await increase(cache.forRun(running), running)).toBe((30 * 31) / 2);
    await repo.append(1, second(30));
    // A second runner's late batch for a recent second.
    await repo.append(1, batch(25, [{ metric: 'http_reqs', tags: { s: 'late' }, counter: { sum: 100 } }]));
    expect(await increase(cache.forRun(running), running)).toBe((31 * 32) / 2 + 100);
    expect(reads.map((r) => r.from)).toEqual([undefined, T0 + 29_000 - SETTLE_MS]);
    // Once the run has ended, it is read afresh, completely.
    expect(await increase(cache.forRun(finished), finished)).toBe((31 * 32) / 2 + 100);
    expect(reads[2]).toEqual({});
  });

  it('always reads a run whose results were swept from the store', async () => {
    const { repo, reads } = countingRepo(4);
    const cache = new RunMetricsCache(repo, { buildDelayMs: 0 });
    await increase(cache.forRun(finished), finished);
    await increase(cache.forRun({ ...finished, resultsDeleted: true }), finished);
    await increase(cache.forRun({ ...finished, resultsDeleted: true }), finished);
    expect(reads).toHaveLength(3);
    expect(cache.size).toBe(0);
  });

  it('drops the least recently used entries beyond its bound', async () => {
    const { repo, reads } = countingRepo(4);
    const cache = new RunMetricsCache(repo, { maxAggregates: 3 });
    await increase(cache.forRun(running), running);
    await increase(cache.forRun(running), running);
    expect(reads).toHaveLength(2);
    expect(cache.size).toBe(0);
  });

  it('keeps finished metrics within its byte bound, and a metric too large for it as batches (or none)', async () => {
    const { repo, reads } = countingRepo(4);
    const cache = new RunMetricsCache(repo, { maxFinishedBytes: 100, buildDelayMs: 0 });
    expect(await increase(cache.forRun(finished), finished)).toBe(10);
    await cache.settled();
    expect(await increase(cache.forRun(finished), finished)).toBe(10);
    // Too large for a copy: the batches stay in the aggregate-bounded cache, as before the copies.
    expect(reads).toHaveLength(1);
    expect(cache.finishedBytes).toBe(0);
    expect(cache.size).toBe(4);
  });
});
