import { describe, expect, it } from 'vitest';
import { goUrlParseError } from './go-url-parse.ts';

describe('goUrlParseError: what Go\'s url.Parse rejects, in its words', () => {
  it.each([
    ['http://a b/', 'parse "http://a b/": invalid character " " in host name'],
    ['%zz', 'parse "%zz": invalid URL escape "%zz"'],
    [':foo', 'parse ":foo": missing protocol scheme'],
    ['1a:b', 'parse "1a:b": first path segment in URL cannot contain colon'],
    ['http://[::1/', 'parse "http://[::1/": missing \']\' in host'],
    ['http://h:abc/', 'parse "http://h:abc/": invalid port ":abc" after host'],
    ['http://h/#%zz', 'parse "http://h/#%zz": invalid URL escape "%zz"'],
    ['http://h%41/', 'parse "http://h%41/": invalid URL escape "%41"'],
  ])('%s', (url, error) => {
    expect(goUrlParseError(url)).toBe(error);
  });
  it.each(['not a url', 'ftp://x/', 'a:b/c', 'http://[::1]:80/', 'https://example.com/p?q=%zz', 'http://u:p@h/'])('accepts %s', (url) => {
    expect(goUrlParseError(url)).toBeUndefined();
  });
});
