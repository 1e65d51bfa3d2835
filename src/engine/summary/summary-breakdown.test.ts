import { describe, expect, it } from 'vitest';
import { MetricRegistry } from '../metrics/metric-registry.ts';
import { MetricsAggregator } from '../metrics/metrics-aggregator.ts';
import { RunMetrics } from '../metrics/run-metrics.ts';
import { buildSummaryBreakdown } from './summary-breakdown.ts';
import { buildSummaryData } from './summary-data.ts';
import { renderTextSummary } from './text-summary.ts';

function run() {
  const registry = new MetricRegistry();
  const agg = new MetricsAggregator(registry, () => 1_700_000_000_000);
  const metrics = new RunMetrics(registry.all());
  for (let i = 0; i < 4; i++) {
    agg.addMany({ scenario: 'browse', group: '::front' }, [['http_reqs', 1], ['http_req_duration', 10 + i], ['http_req_blocked', 0.01]]);
    agg.add('checks', { scenario: 'browse', group: '::front', check: 'ok' }, 1);
    agg.add('checks', { scenario: 'browse', group: '::front::inner', check: 'inner ok' }, i % 2);
    agg.addMany({ scenario: 'default', group: '::api' }, [['http_reqs', 1], ['http_req_duration', 30 + i]]);
    agg.add('checks', { scenario: 'default', group: '::setup', check: 'setup ok' }, 1);
    agg.add('iterations', { scenario: 'default' }, 1);
  }
  for (const b of agg.flushAll()) metrics.ingest(b);
  const data = buildSummaryData({ metrics, thresholds: [], testRunDurationMs: 2000, options: {}, state: { isStdOutTTY: false, isStdErrTTY: false } });
  return { data, breakdown: buildSummaryBreakdown(metrics, 2000, data.options.summaryTrendStats) };
}

describe('buildSummaryBreakdown', () => {
  const { data, breakdown } = run();

  it('counts a grouped sample for its own group only, under its scenario unless that is "default"', () => {
    expect(breakdown.groups.map((g) => g.name)).toEqual(['api']);
    expect(breakdown.groups[0]?.metrics.http_reqs?.values.count).toBe(4);
    const browse = breakdown.scenarios[0];
    expect(browse?.name).toBe('browse');
    expect(browse?.metrics.http_reqs?.values.count).toBe(4);
    expect(browse?.checks).toEqual([{ name: 'ok', passes: 4, fails: 0 }, { name: 'inner ok', passes: 2, fails: 2 }]);
    const front = browse?.groups[0];
    expect(front?.checks).toEqual([{ name: 'ok', passes: 4, fails: 0 }]);
    expect(front?.groups[0]?.checks).toEqual([{ name: 'inner ok', passes: 2, fails: 2 }]);
    expect(front?.groups[0]?.metrics.http_reqs).toBeUndefined();
  });

  it('leaves out the setup and teardown groups', () => {
    expect(breakdown.groups.some((g) => g.name === 'setup')).toBe(false);
  });

  it('renders group and scenario sections in the full mode only', () => {
    const compact = renderTextSummary(data, { enableColors: false, breakdown });
    expect(compact).not.toContain('GROUP:');
    expect(compact).not.toContain('http_req_blocked');
    const full = renderTextSummary(data, { enableColors: false, mode: 'full', breakdown });
    expect(full).toContain('    http_req_blocked....: avg=10µs');
    expect(full).toContain('\n\n  █ GROUP: api \n\n    HTTP\n    http_req_duration...: avg=31.5ms');
    expect(full).toContain('\n\n  █ SCENARIO: browse \n\n    checks_total.......: 8      4/s\n');
    expect(full).toContain(
      ['    ↳ GROUP: front ', '', '      checks_total.......: 4       2/s', '      checks_succeeded...: 100.00% 4 out of 4'].join('\n'),
    );
    expect(full).toContain(['        ✗ inner ok', '              ↳  50% — ✓ 2 / ✗ 2'].join('\n'));
  });
});
