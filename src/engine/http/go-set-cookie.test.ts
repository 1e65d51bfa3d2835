import { describe, expect, it } from 'vitest';
import { CookieJar } from './cookie-jar.ts';
import { parseGoSetCookie } from './go-set-cookie.ts';
import { parseResponseCookies } from './response.ts';

describe("Set-Cookie lines as Go's http.ParseSetCookie reads them", () => {
  it('drops lines Go cannot parse, unquotes values, keeps Domain as written', () => {
    const cookies = parseResponseCookies([
      'sid=abc; Domain=.shop.test; Path=/app; Max-Age=60; HttpOnly; Secure',
      'q="two words"',
      'no-equals-sign',
      'bad name=1',
      'v=caf\u00e9',
      'w=a"b',
      'z=1; Max-Age=0',
      'y=1; Max-Age=010',
      'x=1; Expires=Wed, 21-Oct-2037 07:28:00 GMT',
      'u=1; Expires=2037-10-21',
    ]);
    expect(Object.keys(cookies)).toEqual(['sid', 'q', 'z', 'y', 'x', 'u']);
    expect(cookies.sid?.[0]).toEqual({
      name: 'sid', value: 'abc', domain: '.shop.test', path: '/app', http_only: true, secure: true, max_age: 60, expires: -6795364578871,
    });
    expect(cookies.q?.[0]?.value).toBe('two words');
    expect(cookies.z?.[0]?.max_age).toBe(-1);
    expect(cookies.y?.[0]?.max_age).toBe(0);
    expect(cookies.x?.[0]?.expires).toBe(Date.UTC(2037, 9, 21, 7, 28, 0));
    expect(cookies.u?.[0]?.expires).toBe(-6795364578871);
  });

  it('the jar keeps only what Go parses', () => {
    const jar = new CookieJar();
    jar.storeSetCookies('http://shop.test/', ['ok=1', 'no-equals-sign', 'bad name=2']);
    expect(jar.cookiesForURL('http://shop.test/')).toEqual({ ok: ['1'] });
    expect(jar.headerFor('http://shop.test/')).toBe('ok=1');
  });

  it('attribute values with bad bytes are ignored, not the cookie', () => {
    expect(parseGoSetCookie('a=1; Path=/x"y; Domain=shop.test')).toMatchObject({ name: 'a', path: '', domain: 'shop.test' });
  });
});
