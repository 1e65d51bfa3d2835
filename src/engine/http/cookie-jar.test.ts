import { describe, expect, it } from 'vitest';
import { CookieJar } from './cookie-jar.ts';
import { parseGoRfc1123 } from './go-set-cookie.ts';

describe('CookieJar URLs as Go reads them', () => {
  it('a URL without http(s) scheme stores and finds nothing, without an error (Go cookiejar ignores it)', () => {
    const jar = new CookieJar();
    expect(jar.set('shop.test', 'sid', '1')).toBe(true);
    expect(jar.set('ftp://shop.test/', 'sid', '1')).toBe(true);
    expect(jar.cookiesForURL('shop.test')).toEqual({});
    expect(jar.used).toBe(false);
    expect(() => jar.clear('shop.test')).not.toThrow();
    expect(() => jar.delete('shop.test', 'sid')).not.toThrow();
    jar.set('http://shop.test/', 'sid', '2');
    expect(jar.cookiesForURL('http://shop.test/')).toEqual({ sid: ['2'] });
  });

  it('a URL Go cannot parse is url.Parse\'s error as a GoError', () => {
    const jar = new CookieJar();
    const err = (m: string) => expect.objectContaining({ name: 'GoError', message: m });
    expect(() => jar.set('://nope', 'a', 'b')).toThrow(err('parse "://nope": missing protocol scheme'));
    expect(() => jar.cookiesForURL('http://shop.test/%zz')).toThrow(err('parse "http://shop.test/%zz": invalid URL escape "%zz"'));
  });
});

describe('CookieJar.set options', () => {
  it('a null or undefined value is stored empty, as sobek hands a Go string parameter "" for them (grafana/k6#2476: Cookie: one=; two=2)', () => {
    const jar = new CookieJar();
    jar.set('http://shop.test/', 'one', null as never);
    jar.set('http://shop.test/', 'two', undefined as never);
    jar.set('http://shop.test/', 'three', 3 as never);
    expect(jar.cookiesForURL('http://shop.test/')).toEqual({ one: [''], two: [''], three: ['3'] });
    expect(jar.headerFor('http://shop.test/')).toBe('one=; two=; three=3');
  });

  it('names are matched case-insensitively and max_age is read as an integer', () => {
    const jar = new CookieJar();
    jar.set('http://shop.test/', 'a', '1', { Path: '/app', SECURE: false } as never);
    expect(jar.cookiesForURL('http://shop.test/')).toEqual({});
    expect(jar.cookiesForURL('http://shop.test/app/x')).toEqual({ a: ['1'] });
    // Go's MaxAge: 0 (also what NaN gives) is no Max-Age at all, a negative one deletes.
    jar.set('http://shop.test/', 'b', '2', { max_age: 'soon' });
    jar.set('http://shop.test/', 'c', '3', { max_age: 0 });
    jar.set('http://shop.test/', 'd', '4', { max_age: 60 });
    expect(jar.cookiesForURL('http://shop.test/')).toEqual({ b: ['2'], c: ['3'], d: ['4'] });
    jar.set('http://shop.test/', 'd', '4', { max_age: -1 });
    expect(jar.cookiesForURL('http://shop.test/')).toEqual({ b: ['2'], c: ['3'] });
  });

  it('expires must be Go\'s RFC 1123 layout; anything else is k6\'s GoError', () => {
    const jar = new CookieJar();
    jar.set('http://shop.test/', 'later', '1', { expires: 'Tue, 01 Jan 2041 10:00:00 GMT' });
    jar.set('http://shop.test/', 'gone', '1', { expires: 'Mon, 02 Jan 2006 15:04:05 MST' });
    expect(jar.cookiesForURL('http://shop.test/')).toEqual({ later: ['1'] });
    expect(() => jar.set('http://shop.test/', 'x', '1', { expires: '2041-01-01' })).toThrow(expect.objectContaining({
      name: 'GoError',
      message: 'unable to parse "expires" date string "2041-01-01": parsing time "2041-01-01" as "Mon, 02 Jan 2006 15:04:05 MST": cannot parse "2041-01-01" as "Mon"',
    }));
  });
});

describe('parseGoRfc1123', () => {
  it('reads the layout as Go does', () => {
    expect((parseGoRfc1123('Mon, 02 Jan 2006 15:04:05 GMT') as Date).toISOString()).toBe('2006-01-02T15:04:05.000Z');
    expect((parseGoRfc1123('wed, 31 dec 2031 1:02:03 UTC') as Date).toISOString()).toBe('2031-12-31T01:02:03.000Z');
    // An abbreviation is a zone named so at offset 0 (not V8's idea of MST); GMT+h is that offset.
    expect((parseGoRfc1123('Mon, 02 Jan 2006 15:04:05 MST') as Date).toISOString()).toBe('2006-01-02T15:04:05.000Z');
    expect((parseGoRfc1123('Mon, 02 Jan 2006 15:04:05 GMT+2') as Date).toISOString()).toBe('2006-01-02T13:04:05.000Z');
    expect((parseGoRfc1123('Mon, 02 Jan 2006 15:04:05 AEST') as Date).toISOString()).toBe('2006-01-02T15:04:05.000Z');
  });

  it('gives Go\'s error texts', () => {
    const L = '"Mon, 02 Jan 2006 15:04:05 MST"';
    expect(parseGoRfc1123('Mon, 2 Jan 2006 15:04:05 GMT')).toBe(`parsing time "Mon, 2 Jan 2006 15:04:05 GMT" as ${L}: cannot parse "2 Jan 2006 15:04:05 GMT" as "02"`);
    expect(parseGoRfc1123('Mon, 02 Jan 2006 15:04:05')).toBe(`parsing time "Mon, 02 Jan 2006 15:04:05" as ${L}: cannot parse "" as " "`);
    expect(parseGoRfc1123('Mon, 02 Jan 2006 15:04:05 +0100')).toBe(`parsing time "Mon, 02 Jan 2006 15:04:05 +0100" as ${L}: cannot parse "+0100" as "MST"`);
    expect(parseGoRfc1123('Mon, 31 Feb 2006 15:04:05 GMT')).toBe('parsing time "Mon, 31 Feb 2006 15:04:05 GMT": day out of range');
    expect(parseGoRfc1123('Mon, 02 Jan 2006 15:04:05 GMT x')).toBe('parsing time "Mon, 02 Jan 2006 15:04:05 GMT x": extra text: " x"');
  });
});
