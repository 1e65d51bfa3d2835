import { describe, expect, it } from 'vitest';
import { renderSummaryExport } from './summary-export.ts';
import { fixtureRun } from './summary-fixture.test-helper.ts';

describe('renderSummaryExport', () => {
  const { data } = fixtureRun();
  const text = renderSummaryExport(data);
  const out = JSON.parse(text) as Record<string, Record<string, Record<string, unknown>>>;

  it('writes the old format: flattened values, rate renamed value, thresholds as failed flags', () => {
    expect(Object.keys(out)).toEqual(['root_group', 'metrics', 'setup_data']);
    expect(out.metrics?.checks).toEqual({ passes: 16, fails: 4, thresholds: { 'rate>0.9': true }, value: 0.8 });
    expect(out.metrics?.http_reqs).toEqual({ count: 10, rate: 10 / 10.123, thresholds: { 'count>5': false, 'rate>100': true } });
    expect(out.metrics?.vus).toEqual({ value: 1, min: 1, max: 1 });
    expect(text).toContain('\n    "root_group": {');
  });

  it('keys groups and checks by name', () => {
    const root = out.root_group as unknown as { groups: Record<string, { checks: Record<string, { passes: number }> }>; checks: Record<string, unknown> };
    expect(Object.keys(root.checks)).toEqual(['status is 200']);
    expect(root.groups.g1?.checks['body ok']?.passes).toBe(6);
  });
});
