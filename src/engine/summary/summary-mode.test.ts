import { describe, expect, it } from 'vitest';
import { resolveSummaryMode } from './summary-mode.ts';

describe('resolveSummaryMode', () => {
  it('defaults to compact; K6_SUMMARY_MODE sets it; --summary-mode wins over the environment', () => {
    expect(resolveSummaryMode(undefined, {}, false)).toEqual({ mode: 'compact' });
    expect(resolveSummaryMode(undefined, { K6_SUMMARY_MODE: 'full' }, false)).toEqual({ mode: 'full' });
    expect(resolveSummaryMode('disabled', { K6_SUMMARY_MODE: 'full' }, false)).toEqual({ mode: 'disabled' });
  });

  it('--no-summary disables it whatever the mode', () => {
    expect(resolveSummaryMode('full', {}, true).mode).toBe('disabled');
  });

  it("an unknown mode is k6's bare problem (summary.ErrInvalidSummaryMode); an empty one is compact", () => {
    expect(resolveSummaryMode(undefined, { K6_SUMMARY_MODE: 'verbose' }, false).problem).toBe('invalid summary mode');
    expect(resolveSummaryMode('unknown', {}, false).problem).toBe('invalid summary mode');
    expect(resolveSummaryMode('', { K6_SUMMARY_MODE: 'verbose' }, false)).toEqual({ mode: 'compact' });
  });
});
