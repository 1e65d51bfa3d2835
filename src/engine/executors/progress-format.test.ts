import { describe, expect, it } from 'vitest';
import { fixedDuration, fixedFloat, fixedInt, goFixed, spentOf } from './progress-format.ts';

describe('k6 fixed-width progress fragments', () => {
  it('pads durations to the fields the maximum needs', () => {
    expect(fixedDuration(5_000, 9_000)).toBe('5.0s');
    expect(fixedDuration(5_000, 30_000)).toBe('05.0s');
    expect(fixedDuration(65_400, 5 * 60_000)).toBe('1m05.4s');
    expect(fixedDuration(65_400, 10 * 60_000)).toBe('01m05.4s');
    expect(fixedDuration(3_725_000, 2 * 3_600_000)).toBe('1h02m05.0s');
    expect(spentOf(5_000, 30_000)).toBe('05.0s/30s');
  });
  it('pads counts and rates to the width of their maximum', () => {
    expect(fixedInt(5, 100)).toBe('005');
    expect(fixedInt(12, 9)).toBe('12');
    expect(fixedFloat(2.5, 50, 2)).toBe('02.50');
    expect(fixedFloat(2.5, 5, 2)).toBe('2.50');
  });
});

describe('goFixed (Go %.Nf)', () => {
  it('rounds exact halves to even like Go, everything else like toFixed', () => {
    expect([goFixed(0.125, 2), goFixed(0.375, 2), goFixed(2.5, 0), goFixed(3.5, 0), goFixed(-0.125, 2)]).toEqual(['0.12', '0.38', '2', '4', '-0.12']);
    expect([goFixed(0.145, 2), goFixed(1.005, 2), goFixed(0.5, 2), goFixed(16.666666, 2)]).toEqual(['0.14', '1.00', '0.50', '16.67']);
    expect(fixedFloat(0.125, 10, 2)).toBe('00.12');
  });
});
