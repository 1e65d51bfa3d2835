import { describe, expect, it } from 'vitest';
import type { RunMetricsRepo } from '../store/index.ts';
import { batch, memoryRepo, T0, trendAggregate } from './batches.test-helper.ts';
import { grafanaResultSummary } from './grafana-result-summary.ts';
import type { RunForMetrics } from './metrics-api.ts';

function counting(repo: RunMetricsRepo): { repo: RunMetricsRepo; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  return {
    reads,
    repo: {
      ...repo,
      read: (id, opts = {}) => {
        const key = opts.metric ?? '(all)';
        reads.set(key, (reads.get(key) ?? 0) + 1);
        return repo.read(id, opts);
      },
    },
  };
}

describe('grafana result summary on a long run', () => {
  it('reads each metric from the store once per answer, not once per figure', async () => {
    // Uncached (as RunMetricsCache leaves a run larger than it keeps): every read goes to the store.
    const batches = Array.from({ length: 120 }, (_, s) =>
      batch(s, [
        { metric: 'http_reqs', tags: { name: 'a' }, counter: { sum: 10 } } as never,
        { metric: 'http_req_failed', tags: { name: 'a' }, rate: { nonzero: 1, total: 10 } } as never,
        trendAggregate('http_req_duration', { name: 'a', expected_response: 'true' }, [s % 7, 10 + (s % 5), 20]),
        { metric: 'checks', tags: { group: '', check: 'ok' }, rate: { nonzero: 9, total: 10 } } as never,
      ]));
    const { repo, reads } = counting(memoryRepo(1, batches));
    const run: RunForMetrics & { result: 'passed' } = {
      id: 1,
      statusHistory: [{ type: 'running', entered: new Date(T0) }] as never,
      ended: new Date(T0 + 120_000),
      result: 'passed',
    };
    const answer = await grafanaResultSummary(repo, run, null, new Date(T0 + 200_000));
    expect(answer.metrics_summary.http_metric_summary?.requests_count).toBe(1200);
    expect(answer.metrics_summary.http_metric_summary?.duration?.count).toBe(360);
    expect(answer.metrics_summary.checks_metric_summary?.hits_total).toBe(1200);
    for (const [metric, n] of reads) expect({ metric, n }).toEqual({ metric, n: 1 });
    expect(reads.get('http_req_duration')).toBe(1);
  });

  it("folds a trend's seconds once for all its figures (count, min, max, mean, stdev, p95, p99, median)", async () => {
    const base = memoryRepo(1, Array.from({ length: 120 }, (_, s) =>
      batch(s, [{ metric: 'http_reqs', tags: { name: 'a' }, counter: { sum: 3 } } as never, trendAggregate('http_req_duration', { name: 'a' }, [s % 7, 10 + (s % 5), 20])])));
    // How often the fold walks a second of http_req_duration.
    let walked = 0;
    const repo: RunMetricsRepo = {
      ...base,
      read: async (id, opts = {}) =>
        (await base.read(id, opts)).map((b) => {
          const series = b.series;
          return Object.defineProperty({ ...b }, 'series', { get: () => ((walked += opts.metric === 'http_req_duration' ? 1 : 0), series) });
        }),
    };
    const run: RunForMetrics & { result: 'passed' } = { id: 1, statusHistory: [{ type: 'running', entered: new Date(T0) }] as never, ended: new Date(T0 + 120_000), result: 'passed' };
    const answer = await grafanaResultSummary(repo, run, null, new Date(T0 + 200_000));
    const duration = answer.metrics_summary.http_metric_summary?.duration;
    expect(duration).toMatchObject({ count: 360, min: 0, max: 20 });
    expect(answer.metrics_summary.http_metric_summary?.duration_median).toBeGreaterThan(0);
    // One fold (120 seconds), not one per figure (8 × 120).
    expect(walked).toBeLessThanOrEqual(120);
  });
});
