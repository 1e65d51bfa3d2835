import { describe, expect, it } from 'vitest';
import { billedMinutes, computeCost, validateReductions } from './cost.ts';

describe('cost', () => {
  it('bills max VUs × whole minutes ÷ 60', () => {
    const c = computeCost({ maxVus: 60, maxBrowserVus: 0, durationSeconds: 600 });
    expect(c.total_vuh).toBe(10);
    expect(c.breakdown).toEqual({ protocol_vuh: 10, browser_vuh: 0, base_total_vuh: 10, reduction_rate: 0, reduction_rate_breakdown: null });
  });

  it('rounds a partial minute up', () => {
    expect(billedMinutes(61)).toBe(2);
    expect(billedMinutes(0.2)).toBe(1);
    expect(billedMinutes(0)).toBe(0);
    expect(computeCost({ maxVus: 30, maxBrowserVus: 0, durationSeconds: 61 }).total_vuh).toBe(1);
  });

  it('bills browser VUs at ten times a protocol VU', () => {
    const c = computeCost({ maxVus: 12, maxBrowserVus: 2, durationSeconds: 60 * 6 });
    expect(c.breakdown.protocol_vuh).toBe(1);
    expect(c.breakdown.browser_vuh).toBe(2);
    expect(c.total_vuh).toBe(3);
  });

  it('applies configured reductions multiplicatively and lists them', () => {
    const c = computeCost({ maxVus: 60, maxBrowserVus: 0, durationSeconds: 3600, reductions: { self_hosted: 0.5, nonprofit: 0.5 } });
    expect(c.breakdown.base_total_vuh).toBe(60);
    expect(c.breakdown.reduction_rate).toBe(0.75);
    expect(c.total_vuh).toBe(15);
    expect(c.breakdown.reduction_rate_breakdown).toEqual({ self_hosted: 0.5, nonprofit: 0.5 });
  });

  it('rejects reductions outside [0, 1)', () => {
    expect(validateReductions({ a: 0.2 })).toEqual([]);
    expect(validateReductions({ a: 1, b: -0.1, c: 'x' })).toHaveLength(3);
  });
});
