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

describe('formatDuration', () => {
  it('prints like k6', () => {
    expect(formatDuration(630_000)).toBe('10m30s');
    expect(formatDuration(60_000)).toBe('1m0s');
    expect(formatDuration(3_600_000)).toBe('1h0m0s');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(250)).toBe('250ms');
  });
});
