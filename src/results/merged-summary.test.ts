import { describe, expect, it } from 'vitest';
import type { StoredMetricsBatch } from '../store/index.ts';
import { batch, trendAggregate } from './batches.test-helper.ts';
import { summarizeMergedBatches } from './merged-summary.ts';

const THRESHOLDS = {
  http_req_duration: ['p(95)<150', { threshold: 'avg<1000', abortOnFail: true }],
  'http_req_duration{status:500}': ['max<100'],
  http_reqs: ['count>15'],
  checks: ['rate>0.8'],
};

/** One runner's three seconds: fast 200s for runner 0; slow ones (and a 500) for runner 1. */
function runner(r: 0 | 1): StoredMetricsBatch[] {
  return [0, 1, 2].map((s) =>
    batch(s, [
      { metric: 'http_reqs', tags: { status: '200' }, counter: { sum: 3 } },
      trendAggregate('http_req_duration', { status: '200', expected_response: 'true' }, r === 0 ? [90, 100, 110] : [190, 200, 210]),
      ...(r === 1 ? [trendAggregate('http_req_duration', { status: '500', expected_response: 'false' }, [50])] : []),
      { metric: 'checks', tags: { check: 'ok', group: '' }, rate: { nonzero: r === 0 ? 3 : 1, total: 3 } },
      { metric: 'checks', tags: { check: 'logged in', group: '::login' }, rate: { nonzero: 1, total: 1 } },
      trendAggregate('group_duration', { group: '::login' }, [5]),
    ]),
  );
}

const verdicts = (s: ReturnType<typeof summarizeMergedBatches>) => Object.fromEntries(Object.entries(s.data.metrics).flatMap(([k, m]) => Object.entries(m.thresholds ?? {}).map(([e, v]) => [`${k}: ${e}`, v.ok])));

describe('summarizeMergedBatches', () => {
  it('judges thresholds on the merged data of every runner, not per runner', () => {
    const alone = summarizeMergedBatches(runner(0), { thresholds: THRESHOLDS });
    expect(verdicts(alone)).toMatchObject({ 'http_req_duration: p(95)<150': true, 'http_reqs: count>15': false, 'checks: rate>0.8': true });
    const merged = summarizeMergedBatches([...runner(0), ...runner(1)], { thresholds: THRESHOLDS });
    expect(verdicts(merged)).toEqual({
      'http_req_duration: p(95)<150': false,
      'http_req_duration: avg<1000': true,
      'http_req_duration{status:500}: max<100': true,
      'http_reqs: count>15': true,
      'checks: rate>0.8': false,
    });
    expect(merged.verdicts.find((v) => v.source === 'count>15')).toEqual({ key: 'http_reqs', source: 'count>15', ok: true, observed: 18 });
    expect(merged.verdicts.find((v) => v.source === 'rate>0.8')?.observed).toBe(0.75);
    expect(merged.failedThresholds).toEqual({
      http_req_duration: { 'p(95)<150': true, 'avg<1000': false },
      'http_req_duration{status:500}': { 'max<100': false },
      http_reqs: { 'count>15': false },
      checks: { 'rate>0.8': true },
    });
  });

  it('reports values per type over the merged run, with the expected_response submetric and checks per group', () => {
    const { data } = summarizeMergedBatches([...runner(0), ...runner(1)], { thresholds: THRESHOLDS });
    expect(data.metrics['http_reqs']?.values).toEqual({ count: 18, rate: 6 });
    expect(data.metrics['checks']?.values).toEqual({ rate: 18 / 24, passes: 18, fails: 6 });
    expect(data.metrics['http_req_duration']?.values).toMatchObject({ min: 50, max: 210, med: 110 });
    expect(data.metrics['http_req_duration{expected_response:true}']?.values).toMatchObject({ min: 90, max: 210 });
    expect(data.state.testRunDurationMs).toBe(3000);
    expect(data.root_group.checks).toEqual([{ name: 'ok', path: '::ok', id: expect.stringMatching(/^[0-9a-f]{32}$/), passes: 12, fails: 6 }]);
    expect(data.root_group.groups[0]).toMatchObject({ name: 'login', path: '::login', checks: [{ name: 'logged in', passes: 6, fails: 0 }] });
  });

  it('honours summaryTrendStats', () => {
    const { data } = summarizeMergedBatches(runner(0), { summaryTrendStats: ['count', 'p(99)'] });
    expect(data.metrics['http_req_duration']?.values).toEqual({ count: 9, 'p(99)': expect.closeTo(110, 6) });
  });
});
