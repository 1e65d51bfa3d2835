import { describe, expect, it } from 'vitest';
import type { StoredMetricsBatch } from '../store/index.ts';
import { batch, trendAggregate } from './batches.test-helper.ts';
import { LiveRunResults } from './live-run-results.ts';

const hits = (second: number, sum: number): StoredMetricsBatch => ({
  time: 1_700_000_000_000 + second * 1000,
  metrics: [{ name: 'hits', type: 'counter', contains: 'default' }],
  series: [{ metric: 'hits', tags: {}, counter: { sum } }],
});

describe('LiveRunResults', () => {
  it('aborts on an abortOnFail threshold crossed by the runners together though neither crossed it alone', () => {
    const thresholds = { hits: [{ threshold: 'count<10', abortOnFail: true }] };
    const alone = [new LiveRunResults(thresholds), new LiveRunResults(thresholds)];
    const merged = new LiveRunResults(thresholds);
    for (let s = 0; s < 3; s++) {
      for (const [i, runner] of alone.entries()) {
        runner.ingest(hits(s, 2 + i));
        merged.ingest(hits(s, 2 + i));
      }
    }
    // Runner 0 sent 6, runner 1 sent 9: each below 10. Together: 15.
    for (const runner of alone) expect(runner.evaluate(3000)).toEqual({ failed: [], abort: false });
    const verdict = merged.evaluate(3000);
    expect(verdict).toMatchObject({ failed: ['hits'], abort: true });
    expect(verdict.message).toContain("thresholds on metrics 'hits' were crossed");
    expect(merged.final(3000).failedThresholds).toEqual({ hits: { 'count<10': true } });
  });

  it('waits for delayAbortEval before an abortOnFail failure stops the run, and keeps the demand afterwards', () => {
    const live = new LiveRunResults({ hits: [{ threshold: 'count<5', abortOnFail: true, delayAbortEval: '10s' }] });
    live.ingest(hits(0, 7));
    expect(live.evaluate(4000)).toEqual({ failed: ['hits'], abort: false });
    expect(live.evaluate(11_000)).toMatchObject({ failed: ['hits'], abort: true });
  });

  it('does not abort for a failing threshold without abortOnFail, but fails it at the end', () => {
    const live = new LiveRunResults({ hits: ['count<5'] });
    live.ingest(hits(0, 7));
    expect(live.evaluate(2000)).toEqual({ failed: ['hits'], abort: false });
    expect(live.final(2000).failedThresholds).toEqual({ hits: { 'count<5': true } });
  });

  it('judges a threshold only once its metric appears, and leaves out one whose metric never did', () => {
    const live = new LiveRunResults({ hits: ['count<5'], never_seen: ['count<1'], http_req_duration: ['p(95)<150'] });
    expect(live.hasThresholds).toBe(true);
    expect(live.evaluate(1000)).toEqual({ failed: [], abort: false });
    live.ingest(batch(0, [trendAggregate('http_req_duration', { status: '200' }, [100, 120, 200])]));
    live.ingest(hits(1, 1));
    expect(live.final(2000).failedThresholds).toEqual({ hits: { 'count<5': false }, http_req_duration: { 'p(95)<150': true } });
  });

  it('keeping only the metrics thresholds name judges submetric thresholds the same, and folds nothing without thresholds', () => {
    const thresholds = { 'http_req_duration{status:200}': ['p(95)<150'], hits: ['count<5'] };
    const all = new LiveRunResults(thresholds);
    const some = new LiveRunResults(thresholds, { keepAll: false });
    for (const live of [all, some]) {
      live.ingest(batch(0, [
        trendAggregate('http_req_duration', { status: '200' }, [100, 120, 200]),
        trendAggregate('http_req_waiting', { status: '200' }, [90, 110, 190]),
        { metric: 'http_reqs', tags: {}, counter: { sum: 3 } },
      ]));
      live.ingest(hits(1, 6));
    }
    expect(some.final(2000)).toEqual(all.final(2000));
    expect(some.final(2000).failedThresholds).toEqual({ 'http_req_duration{status:200}': { 'p(95)<150': true }, hits: { 'count<5': true } });
    // Only what the thresholds need was folded in: the summary of the filtered data lacks the rest.
    expect(Object.keys(some.summary(some.final(2000), 2000).metrics).sort()).toEqual(['hits', 'http_req_duration', 'http_req_duration{status:200}']);
    const none = new LiveRunResults(undefined, { keepAll: false });
    none.ingest(hits(0, 1));
    expect(Object.keys(none.summary(none.final(1000), 1000).metrics)).toEqual([]);
  });

  it('builds the summary of every runner merged, with the final verdicts and checks', () => {
    const live = new LiveRunResults({ checks: ['rate>0.9'] });
    live.ingest(batch(0, [{ metric: 'checks', tags: { check: 'is 200', group: '' }, rate: { nonzero: 5, total: 5 } }, { metric: 'http_reqs', tags: {}, counter: { sum: 5 } }]));
    live.ingest(batch(0, [{ metric: 'checks', tags: { check: 'is 200', group: '' }, rate: { nonzero: 3, total: 5 } }, { metric: 'http_reqs', tags: {}, counter: { sum: 5 } }]));
    const verdict = live.final(1000);
    const data = live.summary(verdict, 1000);
    expect(data.metrics['http_reqs']?.values['count']).toBe(10);
    expect(data.metrics['checks']?.thresholds).toEqual({ 'rate>0.9': { ok: false } });
    expect(data.root_group.checks).toMatchObject([{ name: 'is 200', passes: 8, fails: 2 }]);
  });

  it('reports a malformed batch and a threshold that does not parse instead of crashing', () => {
    const live = new LiveRunResults({ hits: ['count<<5'] });
    expect(() => live.ingest({ time: 1 } as unknown as StoredMetricsBatch)).toThrow(/malformed/);
    live.ingest(hits(0, 1));
    expect(live.problems.length).toBe(1);
    expect(live.final(1000).failedThresholds).toEqual({});
  });

  it('judges nothing when the run declares no thresholds', () => {
    const live = new LiveRunResults(undefined);
    live.ingest(hits(0, 1));
    expect(live.hasThresholds).toBe(false);
    expect(live.final(1000)).toEqual({ results: [], failedThresholds: {} });
  });
});
