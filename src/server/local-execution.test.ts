import { describe, expect, it } from 'vitest';
import { statusEntry } from '../domain/index.ts';
import { summaryDurationMs } from './local-execution.ts';

describe('summaryDurationMs (the duration a local execution\'s summary rates divide by)', () => {
  const created = new Date('2026-01-01T00:00:00.000Z');
  // Running from 10 s after creation until the notification at 14.5 s.
  const run = { created, statusHistory: [statusEntry('created', created), statusEntry('running', new Date(created.getTime() + 10_000))] };
  const now = new Date(created.getTime() + 14_500);
  const notify = (extra: Record<string, unknown> = {}) => ({ event_type: 'script_execution_completed' as const, error: null, ...extra });

  it('is the test run duration the client measured, as its own summary divides by', () => {
    expect(summaryDurationMs(notify({ test_run_duration_ms: 3_217.5 }), run, now)).toBe(3_217.5);
  });

  it('is the time spent running when the client sent none (k6) or one that cannot be the run\'s', () => {
    expect(summaryDurationMs(notify(), run, now)).toBe(4_500);
    for (const bad of [0, -1, '3000', Number.NaN, 14_501, null]) expect(summaryDurationMs(notify({ test_run_duration_ms: bad }), run, now)).toBe(4_500);
  });
});
