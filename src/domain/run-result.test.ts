import { describe, expect, it } from 'vitest';
import { abortExtra, abortReasonFromEngine } from './abort.ts';
import { deriveResult } from './run-result.ts';
import { statusEntry } from './run-status.ts';

const at = new Date('2026-01-01T00:00:00Z');

describe('run result', () => {
  it('passes a completed run whose thresholds held', () => {
    expect(deriveResult({ final: statusEntry('completed', at), failedThresholds: [] })).toEqual({ type: 'passed', message: null, code: null });
  });

  it('fails a completed run with a failed threshold and names it', () => {
    const r = deriveResult({ final: statusEntry('completed', at), failedThresholds: ['http_req_duration: p(95)<200'] });
    expect(r.type).toBe('failed');
    expect(r.message).toContain('http_req_duration: p(95)<200');
  });

  it('fails a run aborted by a threshold (abortOnFail) with code 8', () => {
    const r = deriveResult({ final: statusEntry('aborted', at, abortExtra('threshold')), failedThresholds: ['checks: rate>0.9'] });
    expect(r).toMatchObject({ type: 'failed', code: 8 });
  });

  it('marks user, system, script and limit aborts as error with their k6 code', () => {
    expect(deriveResult({ final: statusEntry('aborted', at, abortExtra('by_user', { byUser: 'u@x.io' })), failedThresholds: [] })).toMatchObject({ type: 'error', code: 5 });
    expect(deriveResult({ final: statusEntry('aborted', at, abortExtra('by_system')), failedThresholds: [] })).toMatchObject({ type: 'error', code: 6 });
    expect(deriveResult({ final: statusEntry('aborted', at, abortExtra('script_error', { message: 'ReferenceError: x' })), failedThresholds: [] })).toEqual({
      type: 'error',
      code: 7,
      message: 'ReferenceError: x',
    });
    expect(deriveResult({ final: statusEntry('aborted', at, abortExtra('limit', { message: 'vu_max_per_test exceeded' })), failedThresholds: [] })).toMatchObject({ type: 'error', code: 9 });
  });
});

describe('abort extra', () => {
  it('carries by_user only for user aborts and always has all three keys', () => {
    expect(abortExtra('by_user', { byUser: 'u@x.io' })).toEqual({ by_user: 'u@x.io', message: 'Test run aborted by user', code: 5 });
    expect(abortExtra('by_system', { byUser: 'u@x.io' })).toEqual({ by_user: null, message: 'Test run aborted by the system', code: 6 });
    expect(abortExtra('timed_out').code).toBe(4);
  });

  it('maps engine abort reasons as k6 cloud output does', () => {
    expect(abortReasonFromEngine('script-abort')).toBe('by_user');
    expect(abortReasonFromEngine('script-error')).toBe('script_error');
    expect(abortReasonFromEngine('script_error')).toBe('script_error');
    expect(abortReasonFromEngine('user')).toBe('by_user');
    expect(abortReasonFromEngine('timeout')).toBe('limit');
    expect(abortReasonFromEngine('threshold')).toBe('threshold');
    expect(abortReasonFromEngine('output')).toBe('by_system');
  });
});
