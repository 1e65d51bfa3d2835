import { describe, expect, it } from 'vitest';
import { parseGoBool, parseNullBool } from './go-bool.ts';

describe('parseGoBool (Go strconv.ParseBool)', () => {
  it('reads the spellings Go accepts and nothing else', () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(parseGoBool(t)).toBe(true);
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) expect(parseGoBool(f)).toBe(false);
    for (const bad of ['', 'yes', 'tRUE', ' true', '2']) expect(parseGoBool(bad)).toBeUndefined();
  });
});

describe('parseNullBool (guregu null.Bool UnmarshalText)', () => {
  it('reads true and false, leaves empty and null unset, refuses Go\'s other spellings', () => {
    expect([parseNullBool('true'), parseNullBool('false'), parseNullBool(''), parseNullBool('null')]).toEqual([true, false, null, null]);
    for (const bad of ['1', 't', 'TRUE', 'yes']) expect(parseNullBool(bad)).toBeUndefined();
  });
});
