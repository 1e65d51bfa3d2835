// LogQL metric queries on run logs: what Grafana's log volume and Explore send is read and evaluated as
// Loki does (window (t - range, t] at each step, no point without a line, by/without grouping).
import { describe, expect, it } from 'vitest';
import { StampedeError } from '../core/index.ts';
import type { StoredRunLogLine } from '../store/index.ts';
import { LineMatcher } from './logql.ts';
import { evaluateMetricQuery, evaluationSteps, isMetricQuery, metricQueryRun, parseMetricQuery } from './logql-metric.ts';

const S = 1_000_000;
let nextId = 1;
const line = (timeS: number, level: string, message: string, labels: Record<string, string> = {}): StoredRunLogLine =>
  ({ id: nextId++, time: timeS * S, level, message, labels: { test_run_id: '7', ...labels } });

function run(query: string, lines: StoredRunLogLine[], startS: number, endS: number, stepS: number) {
  const q = parseMetricQuery(query);
  const matched = new LineMatcher(metricQueryRun(q)).filter(lines);
  return evaluateMetricQuery(q, matched, evaluationSteps(startS * S, endS * S, stepS * S));
}

describe('LogQL metric queries', () => {
  const lines = [
    line(10, 'info', 'GET /a', { lz: 'us' }),
    line(15, 'info', 'GET /b', { lz: 'eu' }),
    line(20, 'error', 'boom (x)', { lz: 'us' }),
    line(70, 'info', 'GET /c', { lz: 'us' }),
  ];

  it('tells metric queries from log queries', () => {
    expect(isMetricQuery('sum by (level) (count_over_time({test_run_id="1"}[1m]))')).toBe(true);
    expect(isMetricQuery('count_over_time({test_run_id="1"}[1m])')).toBe(true);
    expect(isMetricQuery('{test_run_id="1"} |= "count_over_time("')).toBe(false);
  });

  it('counts the lines in (t - range, t] at each step, with no point where a series saw none', () => {
    const series = run('sum by (level) (count_over_time({test_run_id="7"} | drop __error__, __error_details__ [30s]))', lines, 0, 90, 30);
    expect(series).toEqual(expect.arrayContaining([
      { metric: { level: 'info' }, points: [undefined, 2, undefined, 1] },
      { metric: { level: 'error' }, points: [undefined, 1, undefined, undefined] },
    ]));
    expect(series).toHaveLength(2);
    // A line exactly at a step counts for that step, not for the next one.
    expect(run('count_over_time({test_run_id="7"}[10s])', [line(20, 'info', 'x')], 0, 30, 10)[0]?.points).toEqual([undefined, undefined, 1, undefined]);
  });

  it('matches a brute-force count when the range spans several steps', () => {
    const many = Array.from({ length: 200 }, (_, i) => line((i * 37) % 301 + 0.5, i % 3 === 0 ? 'error' : 'info', `m${i}`));
    const got = run('sum(count_over_time({test_run_id="7"}[45s]))', many, 0, 300, 7)[0]?.points;
    const want = Array.from({ length: 43 }, (_, i) => {
      const t = i * 7;
      const n = many.filter((l) => l.time > (t - 45) * S && l.time <= t * S).length;
      return n === 0 ? undefined : n;
    });
    expect(got).toEqual(want);
  });

  it('groups by or without labels, before or after the parentheses, and applies line filters and drop', () => {
    expect(run('sum(count_over_time({test_run_id="7"} |= "GET" [1m])) by (lz)', lines, 60, 60, 1)).toEqual(expect.arrayContaining([
      { metric: { lz: 'us' }, points: [1] },
      { metric: { lz: 'eu' }, points: [1] },
    ]));
    expect(run('count without (test_run_id, level) (count_over_time({test_run_id="7"}[2m]))', lines, 90, 90, 1)).toEqual(expect.arrayContaining([
      { metric: { lz: 'us' }, points: [2] },
      { metric: { lz: 'eu' }, points: [1] },
    ]));
    expect(run('max(sum by (lz) (count_over_time({test_run_id="7"} | drop level [2m])))', lines, 90, 90, 1)).toEqual([{ metric: {}, points: [3] }]);
    expect(run('sum(bytes_over_time({test_run_id="7"} |~ "\\\\(x\\\\)" [1m]))', lines, 60, 60, 1)).toEqual([{ metric: {}, points: [8] }]);
    expect(run('((sum(rate({test_run_id="7", lz="us"}[1m]))))', lines, 60, 60, 1)).toEqual([{ metric: {}, points: [2 / 60] }]);
  });

  it('refuses what it does not answer with a 400 naming the query', () => {
    const refused = (query: string): string => {
      try {
        parseMetricQuery(query);
      } catch (err) {
        expect(err).toBeInstanceOf(StampedeError);
        return (err as StampedeError).message;
      }
      throw new Error(`accepted ${query}`);
    };
    expect(refused('topk(3, count_over_time({test_run_id="7"}[1m]))')).toContain('The function topk is not supported');
    expect(refused('count_over_time({test_run_id="7"})')).toContain('needs a range such as [1m]');
    expect(refused('count_over_time({test_run_id="7"} | json [1m])')).toContain('"| json" is not supported');
    expect(refused('sum(count_over_time({test_run_id="7"}[1m])) > 2')).toContain('Unsupported expression ">');
    expect(refused('count_over_time({lz="us"}[1m])')).toContain('must name a test run');
    expect(() => evaluationSteps(0, 20_000 * S, S)).toThrow('exceeded maximum resolution of 11,000 points');
  });
});

