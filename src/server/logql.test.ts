import { describe, expect, it } from 'vitest';
import { StampedeError } from '../core/index.ts';
import type { StoredRunLogLine } from '../store/index.ts';
import { LineMatcher, parseLogQuery } from './logql.ts';

const line = (id: number, message: string, level = 'info', labels: Record<string, string> = {}): StoredRunLogLine => ({ id, time: id, level, message, labels: { test_run_id: '7', ...labels } });

describe('LogQL queries on a run', () => {
  it('reads the selector, its matchers and the chained line filters', () => {
    const q = parseLogQuery('{ test_run_id = "7" , lz =~ `amazon:eu:.*`, level!="debug" } |= "GET"!~"(?i)health"');
    expect(q.testRunId).toBe(7);
    expect(q.matchers.map(({ label, op, value }) => [label, op, value])).toEqual([['lz', '=~', 'amazon:eu:.*'], ['level', '!=', 'debug']]);
    expect(q.filters.map(({ op, value }) => [op, value])).toEqual([['|=', 'GET'], ['!~', '(?i)health']]);
    const lines = [line(1, 'GET /a', 'info', { lz: 'amazon:eu:dublin' }), line(2, 'GET /health', 'info', { lz: 'amazon:eu:dublin' }), line(3, 'GET /a', 'debug', { lz: 'amazon:eu:dublin' }), line(4, 'GET /a', 'info', { lz: 'amazon:us:ashburn' })];
    expect(new LineMatcher(q).filter(lines).map((l) => l.id)).toEqual([1]);
  });

  it('stops regexes that backtrack for too long over a page, with a 400 saying so', () => {
    const q = parseLogQuery('{test_run_id="7"} |~ "a.*a.*a.*b"');
    const lines = [line(1, 'ab'), line(2, 'a'.repeat(10_000))];
    const started = Date.now();
    const matcher = new LineMatcher(q, 100);
    let caught: unknown;
    try {
      matcher.filter(lines);
    } catch (err) {
      caught = err;
    }
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(caught).toBeInstanceOf(StampedeError);
    expect((caught as StampedeError).code).toBe('STAMPEDE_ERR_VALIDATION');
    expect((caught as StampedeError).message).toContain('took longer than 100 ms over 2 lines');
    // The same matcher still answers pages it can match in time.
    expect(matcher.filter([line(3, 'a-a-a-b'), line(4, 'b')]).map((l) => l.id)).toEqual([3]);
  });
});
