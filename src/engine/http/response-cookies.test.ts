import { describe, expect, it } from 'vitest';
import { parseResponseCookies } from './response.ts';

describe('res.cookies: Set-Cookie values as Go net/http reads them', () => {
  it('takes one pair of surrounding double quotes off (a Go server quotes a value with a space)', () => {
    const got = parseResponseCookies(['flavour="salted caramel"; Path=/', 'plain=abc; Path=/', 'empty=""', 'lone="']);
    expect(got.flavour?.[0]?.value).toBe('salted caramel');
    expect(got.plain?.[0]?.value).toBe('abc');
    expect(got.empty?.[0]?.value).toBe('');
    expect(got.lone).toBeUndefined();
  });

  it('drops a cookie whose value has a byte Go does not allow', () => {
    const got = parseResponseCookies(['a=x\\y', 'b=caf\u00e9', 'c="in"side"', 'd=fine']);
    expect(Object.keys(got)).toEqual(['d']);
  });
});
