import { describe, expect, it } from 'vitest';
import type { SummaryData } from './summary-data.ts';
import { machineReadableSummary } from './machine-readable-summary.ts';

const data = (metrics: SummaryData['metrics']): SummaryData => ({
  root_group: { name: '', path: '', id: 'x', groups: [], checks: [] },
  options: { summaryTrendStats: ['avg', 'p(95)', 'p(99)'], summaryTimeUnit: '', noColor: true },
  state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 2500 },
  metrics,
  setup_data: undefined,
});

describe("k6's new machine-readable summary (schema 1.0.0, as handleSummary sees it through sobek)", () => {
  it('metrics by category, values per type, trend stats outside summaryTrendStats null; submetrics and skipped metrics left out', () => {
    const s = machineReadableSummary({
      data: data({
        my_gauge: { type: 'gauge', contains: 'default', values: { value: 3, min: 1, max: 5 } },
        http_req_duration: { type: 'trend', contains: 'time', values: { avg: 10, 'p(95)': 20, 'p(99)': 30 } },
        'http_req_duration{expected_response:true}': { type: 'trend', contains: 'time', values: { avg: 9 } },
        http_req_blocked: { type: 'trend', contains: 'time', values: { avg: 1 } },
        http_req_failed: { type: 'rate', contains: 'default', values: { rate: 0.25, passes: 1, fails: 3 } },
        iterations: { type: 'counter', contains: 'default', values: { count: 4, rate: 1.6 } },
        group_duration: { type: 'trend', contains: 'time', values: { avg: 1 } },
      }),
      checkTotals: [],
      mode: 'compact',
      script: 'export default function () {}',
      k6Version: '2.2.0',
      now: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 600)),
    });
    expect(s.version).toBe('1.0.0');
    expect(s.config).toEqual({ duration: 2.5, execution: 'local', script: 'export default function () {}' });
    expect(s.metadata.k6_version).toBe('2.2.0');
    expect(s.metadata.generated_at).toMatch(/^2026-01-0\dT\d\d:\d4:05\.6(Z|[+-]\d\d:\d\d)$/);
    expect(s.results.checks).toEqual({ metrics: null, results: null });
    expect(s.results.metrics).toEqual([
      { contains: 'time', name: 'http_req_duration', type: 'trend', values: { avg: 10, max: null, med: null, min: null, p90: null, p95: 20 } },
      { contains: 'default', name: 'http_req_failed', type: 'rate', values: { matches: 1, rate: 0.25, total: 4 } },
      { contains: 'default', name: 'iterations', type: 'counter', values: { count: 4 } },
      { contains: 'default', name: 'my_gauge', type: 'gauge', values: { max: 5, min: 1, value: 3 } },
    ]);
    // The full mode keeps the http_req_* timings.
    const full = machineReadableSummary({
      data: data({ http_req_blocked: { type: 'trend', contains: 'time', values: {} } }), checkTotals: [], mode: 'full', script: '', k6Version: '2.2.0', now: new Date(),
    });
    expect(full.results.metrics.map((m) => m.name)).toEqual(['http_req_blocked']);
  });

  it('checks: total, failed (counted the other way round, as k6) and succeeded, then each check in first-seen order', () => {
    const s = machineReadableSummary({
      data: data({ checks: { type: 'rate', contains: 'default', values: { rate: 0.75, passes: 3, fails: 1 } } }),
      checkTotals: [{ name: 'b', passes: 2, fails: 0 }, { name: 'a', passes: 1, fails: 1 }],
      mode: 'compact', script: '', k6Version: '2.2.0', now: new Date(),
    });
    expect(s.results.checks).toEqual({
      metrics: [
        { contains: 'default', name: 'checks_total', type: 'counter', values: { count: 4 } },
        { contains: 'default', name: 'checks_failed', type: 'rate', values: { matches: 1, rate: 0.25, total: 4 } },
        { contains: 'default', name: 'checks_succeeded', type: 'rate', values: { matches: 3, rate: 0.75, total: 4 } },
      ],
      results: [{ fails: 0, name: 'b', passes: 2 }, { fails: 1, name: 'a', passes: 1 }],
    });
    expect(s.results.metrics).toEqual([]);
  });
});
