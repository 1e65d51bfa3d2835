import { describe, expect, it } from 'vitest';
import { humanizeBytes, humanizeDuration, humanizeValue } from './humanize.ts';

describe('humanize', () => {
  it.each([
    [0, '0s'],
    [0.0005, '500ns'],
    [0.5125, '512.5µs'],
    [1.23456, '1.23ms'],
    [999.999, '999.99ms'],
    [4567, '4.56s'],
    [62_000, '1m2s'],
    [3_723_000, '1h2m3s'],
    [60_900, '1m0s'], // truncated, not rounded,
  ])('durations: %d ms → %s', (ms, text) => {
    expect(humanizeDuration(ms, undefined)).toBe(text);
  });

  it('uses a fixed unit when summaryTimeUnit is set', () => {
    expect(humanizeDuration(1234.5678, 'ms')).toBe('1234.57ms');
    expect(humanizeDuration(1234.5678, 's')).toBe('1.23s');
    expect(humanizeDuration(1.5, 'us')).toBe('1500.00µs');
  });

  it('humanises with a unit it does not know, even one named like an Object method (summary.js hasOwnProperty)', () => {
    expect(humanizeDuration(1234.5678, 'h')).toBe('1.23s');
    expect(humanizeDuration(1234.5678, 'toString')).toBe('1.23s');
  });

  it.each([
    [0, '0 B'],
    [9, '9 B'],
    [999, '999 B'],
    [1234, '1.2 kB'],
    [12_345, '12 kB'],
    [1_234_567, '1.2 MB'],
    [17_045.5, '17 kB'],
  ])('bytes: %d → %s', (b, text) => {
    expect(humanizeBytes(b)).toBe(text);
  });

  it('truncates rates to 2 decimals and prints plain numbers with up to 6 decimals', () => {
    expect(humanizeValue(0.99999, { type: 'rate', contains: 'default' }, undefined)).toBe('99.99%');
    expect(humanizeValue(1, { type: 'rate', contains: 'default' }, undefined)).toBe('100.00%');
    expect(humanizeValue(9.87823456, { type: 'counter', contains: 'default' }, undefined)).toBe('9.878235');
    expect(humanizeValue(10, { type: 'counter', contains: 'default' }, undefined)).toBe('10');
  });
});
