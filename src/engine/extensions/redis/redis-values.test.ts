import { describe, expect, it } from 'vitest';
import { goInt, goNumber, goString, valueArgs } from './redis-values.ts';

describe('k6/x/redis argument conversion', () => {
  it('writes value arguments as go-redis writes what sobek exported', () => {
    expect(valueArgs(['a', 7, -3, 1.5, true, false, 1e21, 1e-7, 2 ** 53 + 2], 1)).toEqual([
      'a', '7', '-3', '1.5', '1', '0', '1000000000000000000000', '0.0000001', '9007199254740994',
    ]);
    expect(goNumber(Number.NaN)).toBe('NaN');
    expect(goNumber(-Infinity)).toBe('-Inf');
  });

  it('refuses other value types, naming the argument’s position in the method call', () => {
    expect(valueArgs(['ok', [1]], 1)).toEqual({
      error: 'unsupported type provided for argument at index 2, supported types are string, number, and boolean',
    });
    for (const bad of [null, undefined, {}, () => 1, 1n]) {
      expect(valueArgs([bad], 2)).toHaveProperty('error');
    }
  });

  it('converts Go string and integer parameters like sobek', () => {
    expect(goString(undefined)).toBe('');
    expect(goString(null)).toBe('');
    expect(goString(12)).toBe('12');
    expect(goInt('12')).toBe(12n);
    expect(goInt(9.9)).toBe(9n);
    expect(goInt(-9.9)).toBe(-9n);
    expect(goInt('abc')).toBe(0n);
    expect(goInt(undefined)).toBe(0n);
    expect(goInt(true)).toBe(1n);
  });
});
