import { describe, expect, it } from 'vitest';
import { checkProjectLimits, monthStart, NO_LIMITS } from './limits.ts';
import { retentionExpiry, isExpired } from './retention.ts';
import { can, isRole } from './roles.ts';

const run = { maxVus: 50, maxBrowserVus: 0, durationSeconds: 600 };

describe('project limits', () => {
  it('lets a run through when nothing is limited', () => {
    expect(checkProjectLimits(NO_LIMITS, run, 1e9)).toBeNull();
  });

  it('names the violated limit', () => {
    expect(checkProjectLimits({ ...NO_LIMITS, vu_max_per_test: 49 }, run, 0)?.limit).toBe('vu_max_per_test');
    expect(checkProjectLimits({ ...NO_LIMITS, vu_max_per_test: 50 }, run, 0)).toBeNull();
    expect(checkProjectLimits({ ...NO_LIMITS, duration_max_per_test: 599 }, run, 0)?.message).toMatch(/^duration_max_per_test/);
    expect(checkProjectLimits({ ...NO_LIMITS, vu_browser_max_per_test: 1 }, { ...run, maxBrowserVus: 2 }, 0)?.limit).toBe('vu_browser_max_per_test');
  });

  it('counts this run against the monthly VUh budget', () => {
    // 50 VUs × 10 min = 8.3333 VUh
    expect(checkProjectLimits({ ...NO_LIMITS, vuh_max_per_month: 10 }, run, 1)).toBeNull();
    expect(checkProjectLimits({ ...NO_LIMITS, vuh_max_per_month: 10 }, run, 2)?.limit).toBe('vuh_max_per_month');
  });

  it('uses the UTC calendar month', () => {
    expect(monthStart(new Date('2026-03-31T23:59:59Z')).toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });
});

describe('retention', () => {
  const ended = new Date('2026-01-01T00:00:00Z');
  it('expires 30 days after the end by default, configurable, never while saved or running', () => {
    expect(retentionExpiry(ended, false)?.toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect(retentionExpiry(ended, false, 7)?.toISOString()).toBe('2026-01-08T00:00:00.000Z');
    expect(retentionExpiry(ended, true)).toBeNull();
    expect(retentionExpiry(null, false)).toBeNull();
    expect(isExpired(new Date('2026-01-08T00:00:00Z'), new Date('2026-01-08T00:00:00Z'))).toBe(true);
    expect(isExpired(null, new Date())).toBe(false);
  });
});

describe('roles', () => {
  it('lets viewers only read, editors write, admins also manage', () => {
    expect(can('viewer', 'read')).toBe(true);
    expect(can('viewer', 'write')).toBe(false);
    expect(can('editor', 'write')).toBe(true);
    expect(can('editor', 'manage_limits')).toBe(false);
    expect(can('admin', 'manage_stack')).toBe(true);
    expect(isRole('owner')).toBe(false);
  });
});
