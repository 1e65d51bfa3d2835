import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it('reads Go-style strings, the d extension and bare milliseconds', () => {
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('1d2h')).toBe(93_600_000);
    expect(parseDuration(250)).toBe(250);
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration('0')).toBe(0);
  });
  it('rejects garbage with a message naming the input', () => {
    expect(() => parseDuration('10 minutes')).toThrow(/10 minutes/);
    expect(() => parseDuration('')).toThrow();
    expect(() => parseDuration({})).toThrow();
  });
});

describe('parseDuration: k6 lib/types TestParseExtendedDuration', () => {
  it('days are a whole number leading the value; the rest is a Go duration', () => {
    for (const bad of ['', 'd', 'd2h', '2.1d', '2d-2h', '-2d-2h', '2+d', '2da', '2-d', '2h1d']) expect(() => parseDuration(bad)).toThrow(RangeError);
    expect(parseDuration('10d1.12s')).toBe(240 * 3_600_000 + 1120);
    expect(parseDuration('0d25h120m80s')).toBe(27 * 3_600_000 + 80_000);
    expect(parseDuration('1d25h80m')).toBe(50 * 3_600_000 + 20 * 60_000);
    expect(parseDuration('-1d2h')).toBe(-26 * 3_600_000);
    expect(parseDuration('-1d24h')).toBe(-48 * 3_600_000);
  });
});

describe('formatDuration', () => {
  it('prints like k6', () => {
    expect(formatDuration(630_000)).toBe('10m30s');
    expect(formatDuration(60_000)).toBe('1m0s');
    expect(formatDuration(3_600_000)).toBe('1h0m0s');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(250)).toBe('250ms');
  });
});

describe('formatDuration as Go time.Duration String()', () => {
  it('uses µs and ns under a millisecond and keeps every digit down to the nanosecond', () => {
    expect(formatDuration(parseDuration('500us'))).toBe('500µs');
    expect(formatDuration(0.5)).toBe('500µs');
    expect(formatDuration(parseDuration('1.2345678s'))).toBe('1.2345678s');
    expect(formatDuration(parseDuration('1.234567ms'))).toBe('1.234567ms');
    expect(formatDuration(parseDuration('1ns'))).toBe('1ns');
    expect(formatDuration(parseDuration('1500ns'))).toBe('1.5µs');
    expect(formatDuration(parseDuration('1h0.000000001s'))).toBe('1h0m0.000000001s');
  });
  it('hours, minutes and seconds as Go writes them; negative values and days', () => {
    expect(formatDuration(parseDuration('90s'))).toBe('1m30s');
    expect(formatDuration(parseDuration('1.5h'))).toBe('1h30m0s');
    expect(formatDuration(parseDuration('1d'))).toBe('24h0m0s');
    expect(formatDuration(parseDuration('-1.5s'))).toBe('-1.5s');
    expect(formatDuration(parseDuration('-500us'))).toBe('-500µs');
  });
  it('drops a fraction of a nanosecond, as Go truncates', () => {
    expect(formatDuration(0.0000015)).toBe('1ns');
    expect(formatDuration(0.0000004)).toBe('0s');
  });
});
