import { describe, expect, it } from 'vitest';
import { Constraint, parseVersion } from './semver-constraint.ts';

const v = (text: string): NonNullable<ReturnType<typeof parseVersion>> => {
  const parsed = parseVersion(text);
  if (parsed === undefined) throw new Error(`not a version: ${text}`);
  return parsed;
};
const satisfies = (constraint: string, version: string): boolean => Constraint.parse(constraint).check(v(version));

describe('Masterminds/semver constraints', () => {
  it('print in the canonical form k6 shows', () => {
    expect(String(Constraint.parse('>= 1.2.3'))).toBe('>=1.2.3');
    expect(String(Constraint.parse('*'))).toBe('*');
    expect(String(Constraint.parse('> v1.0'))).toBe('>v1.0');
    expect(String(Constraint.parse('>1.0, <2.0 || ~ 3.x'))).toBe('>1.0 <2.0 || ~3.x');
    expect(String(Constraint.parse('1.0 - 2.0'))).toBe('>=1.0 <=2.0');
    expect(String(Constraint.parse('=> 2.0.0-0'))).toBe('=>2.0.0-0');
  });

  it('refuse what the library refuses, in its words', () => {
    expect(() => Constraint.parse('with something')).toThrow('improper constraint: "with something"');
    expect(() => Constraint.parse('>=1.0 ||')).toThrow('improper constraint: ""');
    expect(() => Constraint.parse('x'.repeat(513))).toThrow('constraint string is too long (max 512 bytes)');
  });

  it('check versions with its rules', () => {
    expect(satisfies('>=1.2.3', '2.2.0')).toBe(true);
    expect(satisfies('>2.2', '2.2.0')).toBe(false);
    expect(satisfies('>2.1', '2.2.0')).toBe(true);
    expect(satisfies('<2.2.0', '2.2.0')).toBe(false);
    expect(satisfies('~2.2', '2.2.9')).toBe(true);
    expect(satisfies('~2.2', '2.3.0')).toBe(false);
    expect(satisfies('^2.0', '2.9.0')).toBe(true);
    expect(satisfies('^2.0', '3.0.0')).toBe(false);
    expect(satisfies('^0.4', '0.4.7')).toBe(true);
    expect(satisfies('^0.4', '0.5.0')).toBe(false);
    expect(satisfies('2.x', '2.2.0')).toBe(true);
    expect(satisfies('2.2.0', 'v2.2.0')).toBe(true);
    expect(satisfies('!=2.2.0', '2.2.0')).toBe(false);
    expect(satisfies('<=2.1.x', '2.2.0')).toBe(false);
    expect(satisfies('<1.0 || >=2.0', '2.2.0')).toBe(true);
    expect(satisfies('>=1.0, <2.0', '2.2.0')).toBe(false);
    // A prerelease only satisfies a group that names one; a release satisfies a prerelease bound.
    expect(satisfies('>=2.0.0', '2.3.0-rc.1')).toBe(false);
    expect(satisfies('>=2.0.0-0', '2.3.0-rc.1')).toBe(true);
    expect(satisfies('>=2.0.0-0', '2.2.0')).toBe(true);
    expect(satisfies('>2.2.0-rc.1', '2.2.0-rc.2')).toBe(true);
  });
});
