import { describe, expect, it } from 'vitest';
import { StampedeError } from '../core/index.ts';
import { appendStatus, canTransition, isFinalStatus, isRunStatus, RUN_STATUSES, runningSeconds, statusEntry } from './run-status.ts';

describe('run status transitions', () => {
  it('moves forward one status at a time through the whole lifecycle', () => {
    const path = ['created', 'queued', 'initializing', 'running', 'processing_metrics', 'completed'] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
    expect(canTransition('created', 'running')).toBe(false);
    expect(canTransition('running', 'queued')).toBe(false);
  });

  it('allows aborting from every non-final status and nothing after a final one', () => {
    for (const s of RUN_STATUSES) {
      expect(canTransition(s, 'aborted')).toBe(!isFinalStatus(s));
      if (isFinalStatus(s)) for (const t of RUN_STATUSES) expect(canTransition(s, t)).toBe(false);
    }
  });

  it('appends history entries in order and rejects an illegal move with a conflict', () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    let h = [statusEntry('created', t0)];
    h = appendStatus(h, 'queued', new Date('2026-01-01T00:00:01Z'));
    h = appendStatus(h, 'aborted', new Date('2026-01-01T00:00:02Z'), { by_user: 'a@b.c', message: 'stop', code: 5 });
    expect(h.map((e) => e.type)).toEqual(['created', 'queued', 'aborted']);
    expect(h[2]).toEqual({ type: 'aborted', entered: '2026-01-01T00:00:02.000Z', extra: { by_user: 'a@b.c', message: 'stop', code: 5 } });
    try {
      appendStatus(h, 'running', new Date());
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(StampedeError);
      expect((err as StampedeError).code).toBe('STAMPEDE_ERR_CONFLICT');
    }
  });

  it('counts only the time spent in running', () => {
    const h = [
      statusEntry('running', new Date('2026-01-01T00:00:10Z')),
      statusEntry('processing_metrics', new Date('2026-01-01T00:01:40Z')),
      statusEntry('completed', new Date('2026-01-01T00:02:00Z')),
    ];
    expect(runningSeconds(h, new Date('2026-01-01T01:00:00Z'))).toBe(90);
    expect(runningSeconds(h.slice(0, 1), new Date('2026-01-01T00:00:40Z'))).toBe(30);
  });

  it('recognises statuses', () => {
    expect(isRunStatus('processing_metrics')).toBe(true);
    expect(isRunStatus('finished')).toBe(false);
  });
});
