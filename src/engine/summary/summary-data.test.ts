import { describe, expect, it } from 'vitest';
import { MetricRegistry } from '../metrics/metric-registry.ts';
import { MetricsAggregator } from '../metrics/metrics-aggregator.ts';
import { RunMetrics } from '../metrics/run-metrics.ts';
import { buildRootGroup, buildSummaryData, checkTotals } from './summary-data.ts';
import { fixtureRun } from './summary-fixture.test-helper.ts';

describe('buildSummaryData', () => {
  const { data, metrics } = fixtureRun();

  it('builds the group tree with checks and md5 ids of their paths', () => {
    expect(data.root_group).toEqual({
      name: '',
      path: '',
      id: 'd41d8cd98f00b204e9800998ecf8427e',
      groups: [
        {
          name: 'g1',
          path: '::g1',
          id: '9ccb03cc5acd728a2fe595bbd1f14da3',
          groups: [],
          checks: [{ name: 'body ok', path: '::g1::body ok', id: 'e2942811edc919be90017b9f365e9b14', passes: 6, fails: 4 }],
        },
      ],
      checks: [{ name: 'status is 200', path: '::status is 200', id: expect.stringMatching(/^[0-9a-f]{32}$/), passes: 10, fails: 0 }],
    });
  });

  it('reports options and state like k6', () => {
    expect(data.options).toEqual({ summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'], summaryTimeUnit: '', noColor: false });
    expect(data.state).toEqual({ isStdOutTTY: false, isStdErrTTY: true, testRunDurationMs: 10_123 });
    expect(data.setup_data).toEqual({ token: 'abc' });
  });

  it('gives each metric type its values and attaches threshold results', () => {
    expect(data.metrics.http_reqs).toEqual({
      type: 'counter',
      contains: 'default',
      values: { count: 10, rate: 10 / 10.123 },
      thresholds: { 'count>5': { ok: true }, 'rate>100': { ok: false } },
    });
    expect(data.metrics.checks?.values).toEqual({ rate: 0.8, passes: 16, fails: 4 });
    expect(data.metrics.vus?.values).toEqual({ value: 1, min: 1, max: 1 });
    const d = data.metrics.http_req_duration;
    expect(d?.contains).toBe('time');
    expect(Object.keys(d?.values ?? {})).toEqual(['avg', 'min', 'med', 'max', 'p(90)', 'p(95)']);
    expect(d?.values.max).toBeCloseTo(220.33, 10);
    expect(data.metrics['http_req_duration{status:200}']?.thresholds).toEqual({ 'avg<100': { ok: false } });
    expect(data.metrics['http_req_duration{expected_response:true}']?.values.min).toBe(100);
    expect(data.metrics.data_received?.contains).toBe('data');
  });

  it('totals every check by name in the order checks first reported', () => {
    expect(checkTotals(metrics)).toEqual([
      { name: 'status is 200', passes: 10, fails: 0 },
      { name: 'body ok', passes: 6, fails: 4 },
    ]);
  });
});

describe('checks without a group tag (systemTags leaves out group)', () => {
  const registry = new MetricRegistry();
  const agg = new MetricsAggregator(registry, () => 1_700_000_000_000);
  const metrics = new RunMetrics(registry.all());
  agg.add('checks', { check: 'in a group' }, 1);
  agg.add('checks', { check: 'at the root' }, 0);
  agg.add('checks', { check: 'in a group' }, 1);
  agg.add('checks', {}, 1); // systemTags without check either
  for (const b of agg.flushAll()) metrics.ingest(b);

  it('are not in root_group, as k6\'s GroupSummary skips samples without a group tag', () => {
    expect(buildRootGroup(metrics)).toEqual({ name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: [], checks: [] });
  });

  it('are still totalled by their check tag, as k6\'s end-of-test summary lists them', () => {
    expect(checkTotals(metrics)).toEqual([
      { name: 'in a group', passes: 2, fails: 0 },
      { name: 'at the root', passes: 0, fails: 1 },
    ]);
  });
});

describe('groups and checks in first-seen order, whatever the timing of the threads', () => {
  const T0 = 1_700_000_000_000;

  it('an iteration across a second boundary keeps the script order (the second iteration closes b before a)', () => {
    let now = T0 + 100;
    const registry = new MetricRegistry();
    const agg = new MetricsAggregator(registry, () => now);
    const metrics = new RunMetrics(registry.all());
    const iteration = (boundaryAfterBrowse: boolean): void => {
      agg.add('checks', { group: '::shop::browse', check: 'listed' }, 1);
      agg.add('group_duration', { group: '::shop::browse' }, 3);
      if (boundaryAfterBrowse) now = T0 + 1001;
      agg.add('checks', { group: '::shop::checkout', check: 'ordered' }, 1);
      agg.add('group_duration', { group: '::shop::checkout' }, 4);
      agg.add('group_duration', { group: '::shop' }, 8);
      agg.add('checks', { group: '', check: 'returned' }, 1);
    };
    iteration(false);
    now = T0 + 990;
    iteration(true);
    for (const b of agg.flush(T0 + 1005)) metrics.ingest(b);
    for (const b of agg.flushAll()) metrics.ingest(b);
    expect(checkTotals(metrics).map((c) => [c.name, c.passes])).toEqual([['listed', 2], ['ordered', 2], ['returned', 2]]);
    const root = buildRootGroup(metrics);
    expect(root.groups.map((g) => [g.name, g.groups.map((s) => s.name)])).toEqual([['shop', ['browse', 'checkout']]]);
    expect(root.checks.map((c) => c.name)).toEqual(['returned']);
  });

  it('a second delivered late by one thread still comes before the next second of another', () => {
    const registry = new MetricRegistry();
    const metrics = new RunMetrics(registry.all());
    const late = new MetricsAggregator(registry, () => T0 + 500);
    const onTime = new MetricsAggregator(registry, () => T0 + 1500);
    late.add('checks', { group: '::login', check: 'logged in' }, 1);
    late.add('group_duration', { group: '::login' }, 5);
    onTime.add('checks', { group: '::browse', check: 'browsed' }, 1);
    onTime.add('group_duration', { group: '::browse' }, 5);
    onTime.add('checks', { group: '::login', check: 'logged in' }, 0);
    for (const b of onTime.flushAll()) metrics.ingest(b);
    for (const b of late.flushAll()) metrics.ingest(b);
    expect(checkTotals(metrics)).toEqual([{ name: 'logged in', passes: 1, fails: 1 }, { name: 'browsed', passes: 1, fails: 0 }]);
    expect(buildRootGroup(metrics).groups.map((g) => g.name)).toEqual(['login', 'browse']);
  });
});

describe('metrics marked observed (k6 InitSubMetricsAndThresholds: thresholds with an empty list)', () => {
  it('are reported with their parent and zero values though no sample reached them', () => {
    const registry = new MetricRegistry();
    registry.define('one', 'counter', 'default');
    const metrics = new RunMetrics(registry.all());
    metrics.markObserved('one{tag:xyz}');
    const data = buildSummaryData({
      metrics,
      thresholds: [],
      testRunDurationMs: 1000,
      options: {},
      state: { isStdOutTTY: false, isStdErrTTY: false },
    });
    expect(data.metrics['one']).toEqual({ type: 'counter', contains: 'default', values: { count: 0, rate: 0 } });
    expect(data.metrics['one{tag:xyz}']).toEqual({ type: 'counter', contains: 'default', values: { count: 0, rate: 0 } });
  });
});
