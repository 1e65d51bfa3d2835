import { describe, expect, it } from 'vitest';
import { getDurationValue } from './go-duration.ts';
import { parseParams } from './request-params.ts';

const refusal = (params: unknown): string => {
  try {
    parseParams(params);
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
};

describe('parseParams as k6 reads params (every key present, whatever its value)', () => {
  it('timeout: numbers are milliseconds, strings Go durations or bare milliseconds, days first (types.GetDurationValue)', () => {
    expect(parseParams({ timeout: 300 }).timeoutMs).toBe(300);
    expect(parseParams({ timeout: '300' }).timeoutMs).toBe(300);
    expect(parseParams({ timeout: '1.5s' }).timeoutMs).toBe(1500);
    expect(parseParams({ timeout: '1d2h' }).timeoutMs).toBe(26 * 3_600_000);
    expect(parseParams({ timeout: 0 }).timeoutMs).toBe(0);
    expect(parseParams({ timeout: '-1s' }).timeoutMs).toBe(-1000);
  });

  it('timeout: refusals in Go’s words', () => {
    expect(refusal({ timeout: 'abc' })).toBe('invalid timeout value: time: invalid duration "abc"');
    expect(refusal({ timeout: '1x' })).toBe('invalid timeout value: time: unknown unit "x" in duration "1x"');
    expect(refusal({ timeout: '1h5' })).toBe('invalid timeout value: time: missing unit in duration "1h5"');
    expect(refusal({ timeout: '' })).toBe('invalid timeout value: time: invalid duration ""');
    expect(refusal({ timeout: '1.5d' })).toBe('invalid timeout value: strconv.ParseInt: parsing "1.5": invalid syntax');
    expect(refusal({ timeout: true })).toBe('invalid timeout value: unable to use type bool as a duration value');
    expect(refusal({ timeout: {} })).toBe('invalid timeout value: unable to use type map[string]interface {} as a duration value');
  });

  it('timeout, responseType and compression set to null or undefined are read, not skipped', () => {
    expect(refusal({ timeout: null })).toBe('invalid timeout value: unable to use type <nil> as a duration value');
    expect(refusal({ timeout: undefined })).toBe('invalid timeout value: unable to use type <nil> as a duration value');
    expect(refusal({ responseType: null })).toBe('null does not belong to ResponseType values');
    expect(refusal({ responseType: undefined })).toBe('undefined does not belong to ResponseType values');
    expect(refusal({ compression: null })).toBe('unknown compression algorithm null, supported algorithms are [gzip deflate zstd br]');
    expect(parseParams({}).timeoutMs).toBe(60_000);
  });

  it('redirects is ToInteger of the value: null, undefined, NaN and negatives follow none, fractions are cut', () => {
    expect(parseParams({ redirects: null }).redirects).toBe(0);
    expect(parseParams({ redirects: undefined }).redirects).toBe(0);
    expect(parseParams({ redirects: 'x' }).redirects).toBe(0);
    expect(parseParams({ redirects: -1 }).redirects).toBe(0);
    expect(parseParams({ redirects: 2.7 }).redirects).toBe(2);
    expect(parseParams({ redirects: '3' }).redirects).toBe(3);
    expect(parseParams({}).redirects).toBeUndefined();
  });

  it('throw: null is false (ToBoolean), not the global option', () => {
    expect(parseParams({ throw: null }).throw).toBe(false);
    expect(parseParams({}).throw).toBeUndefined();
  });
});

describe('getDurationValue', () => {
  it('reads Go float text as milliseconds', () => {
    expect(getDurationValue('1e3')).toBe(1000);
    expect(getDurationValue('.5')).toBe(0.5);
    expect(Number.isNaN(getDurationValue('NaN'))).toBe(true);
  });
});
