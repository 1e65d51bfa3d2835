import { describe, expect, it } from 'vitest';
import { fixtureRun } from './summary-fixture.test-helper.ts';
import { renderTextSummary } from './text-summary.ts';

describe('renderTextSummary', () => {
  const { data, evaluator } = fixtureRun();
  const text = renderTextSummary(data, { enableColors: false, thresholdResults: evaluator.results() });

  it('renders the thresholds section with submetrics nested under their parent', () => {
    expect(text.startsWith('\n\n  █ THRESHOLDS \n\n')).toBe(true);
    expect(text).toContain(
      [
        '    http_req_duration',
        "    ✓ 'p(95)<500' p(95)=214.31ms",
        "    ✓ 'p(99)<1000' p(99)=219.12ms",
        '',
        '      {status:200}',
        "      ✗ 'avg<100' avg=160.16ms",
        '',
        '    http_reqs',
        "    ✓ 'count>5' count=10",
        "    ✗ 'rate>100' rate=0.987849/s",
        '',
        '',
        '  █ TOTAL RESULTS ',
      ].join('\n'),
    );
  });

  it('renders the checks block with failing checks detailed', () => {
    expect(text).toContain(
      [
        '    checks_total.......: 20     1.975699/s',
        '    checks_succeeded...: 80.00% 16 out of 20',
        '    checks_failed......: 20.00% 4 out of 20',
        '',
        '    ✓ status is 200',
        '    ✗ body ok',
        '      ↳  60% — ✓ 6 / ✗ 4',
        '',
        '    CUSTOM',
      ].join('\n'),
    );
  });

  it('renders metric blocks in k6 order with dot-padded names and aligned columns', () => {
    expect(text).toContain(
      [
        '    CUSTOM',
        '    my_counter.....................: 20     1.975699/s',
        '',
        '    HTTP',
        '    http_req_duration..............: avg=160.16ms min=100ms med=160.16ms max=220.33ms p(90)=208.29ms p(95)=214.31ms',
        '      { expected_response:true }...: avg=160.16ms min=100ms med=160.16ms max=220.33ms p(90)=208.29ms p(95)=214.31ms',
        '      { status:200 }...............: avg=160.16ms min=100ms med=160.16ms max=220.33ms p(90)=208.29ms p(95)=214.31ms',
        '    http_req_failed................: 0.00%  0 out of 10',
        '    http_reqs......................: 10     0.987849/s',
        '',
        '    EXECUTION',
        '    iteration_duration.............: avg=1.01s    min=1.01s med=1.01s    max=1.02s    p(90)=1.02s    p(95)=1.02s   ',
        '    iterations.....................: 10     0.987849/s',
        '    vus............................: 1      min=1       max=1',
        '    vus_max........................: 1      min=1       max=1',
        '',
        '    NETWORK',
        '    data_received..................: 170 kB 17 kB/s',
        '    data_sent......................: 9.0 kB 889 B/s',
        '',
        '',
        '',
        '',
      ].join('\n'),
    );
    expect(text.endsWith('889 B/s\n\n\n\n')).toBe(true);
  });

  it('lists the check totals it is given (checkTotals: any group, first results first) over root_group\'s', () => {
    const ordered = renderTextSummary(data, {
      enableColors: false,
      checkTotals: [{ name: 'body ok', passes: 6, fails: 4 }, { name: 'status is 200', passes: 10, fails: 0 }],
    });
    expect(ordered).toContain('    ✗ body ok\n      ↳  60% — ✓ 6 / ✗ 4\n    ✓ status is 200\n');
    const ungrouped = renderTextSummary({ ...data, root_group: { ...data.root_group, groups: [], checks: [] } }, {
      enableColors: false,
      checkTotals: [{ name: 'status is 200', passes: 10, fails: 0 }],
    });
    expect(ungrouped).toContain('    checks_failed......: 20.00% 4 out of 20\n\n    ✓ status is 200\n');
  });

  it('leaves out the detailed HTTP timings, checks and group_duration in the compact layout', () => {
    expect(text).not.toMatch(/http_req_waiting|group_duration|^ {4}checks\.+:/m);
  });

  it('colours only when asked', () => {
    expect(text).not.toContain('\x1b[');
    const coloured = renderTextSummary(data, { enableColors: true, thresholdResults: evaluator.results() });
    expect(coloured).toContain('\x1b[32m✓ status is 200\x1b[0m');
    expect(coloured).toContain('█ \x1b[1mTOTAL RESULTS\x1b[0m');
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(text);
  });

  it('shows no value for a trend threshold aggregation outside summaryTrendStats that is not a percentile, as k6', () => {
    const stats = { ...data, options: { ...data.options, summaryTrendStats: ['p(90)'] } };
    const withValues = { ...stats, metrics: { ...stats.metrics } };
    const durations = withValues.metrics.http_req_duration;
    if (!durations) throw new Error('fixture has http_req_duration');
    withValues.metrics.http_req_duration = {
      ...durations,
      values: { 'p(90)': durations.values['p(90)'] ?? 0 },
      thresholds: { 'max<1000': { ok: true }, 'p(99) < 1000': { ok: true } },
    };
    const results = [
      { key: 'http_req_duration', source: 'max<1000', ok: true, observed: 220.33, aggregation: 'max' },
      { key: 'http_req_duration', source: 'p(99) < 1000', ok: true, observed: 219.12, aggregation: 'p(99)' },
    ];
    const plain = renderTextSummary(withValues, { enableColors: false, thresholdResults: results });
    expect(plain).toContain("    ✓ 'max<1000' max=\n    ✓ 'p(99) < 1000' p(99)=219.12ms\n");
    const coloured = renderTextSummary(withValues, { enableColors: true, thresholdResults: results });
    expect(coloured).toContain('\x1b[37mmax\x1b[0m=\x1b[36mundefined\x1b[0m');
  });

  it('prints no dots when k6\'s sections hold a single metric, whatever checks or group_duration there are', () => {
    const { checks, group_duration: groupDuration, my_counter: counter } = data.metrics;
    if (!checks || !groupDuration || !counter) throw new Error('fixture metrics');
    const lone = { ...data, metrics: { checks, group_duration: groupDuration, my_counter: counter } };
    expect(renderTextSummary(lone, { enableColors: false })).toContain('\n    CUSTOM\n    my_counter: 20 1.975699/s\n');
  });

  it('defaults to no colour when stdout is not a terminal', () => {
    expect(renderTextSummary(data)).not.toContain('\x1b[');
  });
});
