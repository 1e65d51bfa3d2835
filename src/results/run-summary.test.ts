import { describe, expect, it } from 'vitest';
import type { StoredMetricDef, StoredMetricsBatch } from '../store/index.ts';
import { summarizeMergedBatches } from './merged-summary.ts';
import { runSummary, type RunForSummary, type SummaryStore } from './run-summary.ts';

const START = Date.parse('2026-11-01T10:00:00Z');
const SECONDS = 20 * 60;
const DEFS: StoredMetricDef[] = [
  { name: 'http_reqs', type: 'counter', contains: 'default' },
  { name: 'checks', type: 'rate', contains: 'default' },
  { name: 'vus', type: 'gauge', contains: 'default' },
];

/** A 20-minute run's seconds, with a few stored before the run was created and after it ended. */
function seconds(): StoredMetricsBatch[] {
  const out: StoredMetricsBatch[] = [];
  for (let s = -3; s < SECONDS + 3; s++) {
    out.push({
      time: START + s * 1000,
      metrics: DEFS,
      series: [
        { metric: 'http_reqs', tags: { name: `u${s % 3}` }, counter: { sum: 10 + (s % 5) } },
        { metric: 'checks', tags: { check: 'ok', group: '' }, rate: { nonzero: 9, total: 10 } },
        { metric: 'vus', tags: {}, gauge: { last: 5 + (s % 2), min: 5, max: 6 } },
      ],
    });
  }
  return out;
}

/** The store's read contract (a metric, [from, to)), recording how much each read returned. */
function fakeStore(all: StoredMetricsBatch[]): SummaryStore & { reads: { metric: string | undefined; seconds: number }[] } {
  const reads: { metric: string | undefined; seconds: number }[] = [];
  return {
    reads,
    testRuns: { getResults: async () => null },
    runMetrics: {
      listMetrics: async () => [...DEFS].sort((a, b) => a.name.localeCompare(b.name)),
      read: async (_id, opts = {}) => {
        const out = all
          .filter((b) => (opts.from === undefined || b.time >= opts.from) && (opts.to === undefined || b.time < opts.to))
          .map((b) => {
            const series = b.series.filter((s) => opts.metric === undefined || s.metric === opts.metric);
            return { time: b.time, metrics: b.metrics.filter((d) => series.some((s) => s.metric === d.name)), series };
          })
          .filter((b) => b.series.length > 0);
        reads.push({ metric: opts.metric, seconds: out.length });
        return out;
      },
    },
  };
}

const run: RunForSummary = { id: 7, status: 'aborted', resultsDeleted: false, options: null, created: new Date(START), ended: new Date(START + SECONDS * 1000) };

describe('a summary rebuilt from the stored seconds (the runner reported none)', () => {
  it('has the figures of all the seconds, read one metric and a few minutes at a time, never the whole run at once', async () => {
    const all = seconds();
    const store = fakeStore(all);
    const summary = await runSummary(store, run, 'full');
    const whole = summarizeMergedBatches(all).data;
    expect(summary.metrics['http_reqs']?.values).toEqual(whole.metrics['http_reqs']?.values);
    expect(summary.metrics['checks']?.values).toEqual(whole.metrics['checks']?.values);
    expect(summary.metrics['vus']?.values).toEqual(whole.metrics['vus']?.values);
    // Every stored second counted once, those outside the run's span included.
    expect(summary.metrics['http_reqs']?.values['count']).toBe(all.reduce((n, b) => n + (b.series[0]?.counter?.sum ?? 0), 0));
    expect(store.reads.length).toBeGreaterThan(3);
    for (const r of store.reads) {
      expect(r.metric).toBeDefined();
      expect(r.seconds).toBeLessThanOrEqual(5 * 60 + 3);
    }
  });

  it("leaves out the runners' load generator metrics, which are no part of k6's summary", async () => {
    const lg: StoredMetricDef = { name: 'load_generator_cpu_percent', type: 'gauge', contains: 'default' };
    const all = seconds().map((b) => ({ ...b, metrics: [...b.metrics, lg], series: [...b.series, { metric: lg.name, tags: { load_zone: 'amazon:us:ashburn', instance_id: '0' }, gauge: { last: 40, min: 40, max: 40 } }] }));
    const store = fakeStore(all);
    store.runMetrics.listMetrics = async () => [...DEFS, lg];
    const summary = await runSummary(store, run, 'full');
    expect(Object.keys(summary.metrics).sort()).toEqual(['checks', 'http_reqs', 'vus']);
    expect(summary.text).not.toContain('load_generator');
  });

  it('is not found when the run stored no second', async () => {
    await expect(runSummary(fakeStore([]), run)).rejects.toThrow('ended without an end-of-test summary');
  });
});
