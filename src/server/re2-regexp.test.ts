import { describe, expect, it } from 'vitest';
import { Re2PatternError, re2ToRegExp } from './re2-regexp.ts';

const full = (pattern: string, text: string) => re2ToRegExp(pattern, true).test(text);
const search = (pattern: string, text: string) => re2ToRegExp(pattern, false).test(text);
const refusal = (pattern: string): string => {
  try {
    re2ToRegExp(pattern, false);
  } catch (err) {
    if (err instanceof Re2PatternError) return err.message;
    throw err;
  }
  return 'accepted';
};

describe('RE2 patterns as JavaScript RegExps', () => {
  it('anchors label matchers to the whole value, as Loki does, and leaves line filters unanchored', () => {
    expect(full('amazon:.*', 'amazon:us:ashburn')).toBe(true);
    expect(full('us', 'amazon:us:ashburn')).toBe(false);
    expect(full('error|warning', 'warning')).toBe(true);
    expect(full('error|warning', 'warnings')).toBe(false);
    expect(full('', '')).toBe(true);
    expect(search('us', 'amazon:us:ashburn')).toBe(true);
    expect(search('^GET /cart$', 'GET /cart')).toBe(true);
    expect(search('^cart', 'GET /cart')).toBe(false);
    // A leading or trailing .* changes nothing in a line filter (and is left out, for speed).
    expect(search('.*error.*', 'an error here')).toBe(true);
    expect(search('.*error.*', 'all fine')).toBe(false);
    expect(search('.*', '')).toBe(true);
    expect(search('(?i).*ERROR', 'an error')).toBe(true);
    expect(search('x\\.*', 'x')).toBe(true);
    expect(search('x\\.*', 'y.')).toBe(false);
  });

  it('keeps RE2’s meaning where JavaScript’s differs', () => {
    expect(search('a\\sb', 'a\u00a0b')).toBe(false); // RE2's \s is ASCII only
    expect(search('a\\sb', 'a\tb')).toBe(true);
    expect(search('[\\S]', ' \u00a0')).toBe(true);
    expect(search('\\Aab\\z', 'ab')).toBe(true);
    expect(search('\\Aab\\z', 'ab\n')).toBe(false);
    expect(search('\\-\\#\\:\\"', '-#:"')).toBe(true); // any punctuation may be escaped
    expect(search('\\Q1+1=2?\\E', 'so 1+1=2?')).toBe(true);
    expect(search('[[:digit:]]+ms', 'took 13ms')).toBe(true);
    expect(search('^[[:upper:]][[:lower:]]+$', 'Hello')).toBe(true);
    expect(search('\\x{263A}\\x41', '☺A')).toBe(true);
    expect(search('\\pL\\p{Greek}', 'aλ')).toBe(true);
    expect(search('\\PL', 'abc')).toBe(false);
    expect(search('a{', 'a{')).toBe(true); // a { that starts no repeat is a literal
    expect(search('x{2,3}', 'xx')).toBe(true);
    expect(full('.', '😀')).toBe(true); // one character, not two UTF-16 units
    expect(full('(?i)GET /Cart', 'get /cart')).toBe(true);
    expect(full('(?s)a.b', 'a\nb')).toBe(true);
    expect(full('a.b', 'a\nb')).toBe(false);
    expect(search('(?P<verb>GET|POST) /', 'POST /pay')).toBe(true);
    expect(search('[a-c-]', '-')).toBe(true);
    expect(search('[]x]', ']')).toBe(true);
  });

  it('refuses what is not RE2, what JavaScript cannot say here, and what could take exponential time', () => {
    expect(refusal('(?=x)')).toContain('lookahead and lookbehind');
    expect(refusal('(a)\\1')).toContain('backreferences');
    expect(refusal('(?P=name)')).toContain('backreferences');
    expect(refusal('a*+')).toContain('possessive');
    expect(refusal('a{1001}')).toContain('over 1000');
    expect(refusal('x(?i)y')).toContain('only at the start');
    expect(refusal('(?U)a*')).toContain('ungreedy');
    expect(refusal('\\C')).toContain('any byte');
    expect(refusal('\\e')).toContain('invalid escape');
    expect(refusal('(ab')).toContain('missing )');
    expect(refusal('ab)')).toContain('unexpected )');
    expect(refusal('[ab')).toContain('missing ]');
    expect(refusal('*a')).toContain('missing argument');
    expect(refusal('(a+)+$')).toContain('exponential');
    expect(refusal('(x*y*)*')).toContain('exponential');
    expect(refusal('(a|ab)*c')).toContain('exponential');
    expect(refusal('((a|a))*b')).toContain('exponential');
    expect(refusal('(.|\\s)+')).toContain('exponential');
    expect(refusal('x'.repeat(1001))).toContain('longer than 1000');
    // Safe shapes stay accepted.
    expect(refusal('(GET|POST|PUT)+ /')).toBe('accepted');
    expect(refusal('(\\d+\\.){3}\\d+')).toBe('accepted');
    expect(refusal('.*error.*')).toBe('accepted');
  });
});
