import { describe, expect, it } from 'vitest';
import { formatGo, javaToGoLayout, NAMED_LAYOUTS, parseGo } from './faker-date-format.ts';

// 2021-03-04T05:06:07.080900000Z, a Thursday
const MS = Date.UTC(2021, 2, 4, 5, 6, 7, 80);
const NANOS = 80_900_000;

describe('Go date layouts', () => {
  it('writes the named layouts k6/x/faker\'s date() takes, in UTC', () => {
    const out = Object.fromEntries(Object.entries(NAMED_LAYOUTS).map(([name, layout]) => [name, formatGo(MS, NANOS, layout)]));
    expect(out).toEqual({
      ANSIC: 'Thu Mar  4 05:06:07 2021',
      UnixDate: 'Thu Mar  4 05:06:07 UTC 2021',
      RubyDate: 'Thu Mar 04 05:06:07 +0000 2021',
      RFC822: '04 Mar 21 05:06 UTC',
      RFC822Z: '04 Mar 21 05:06 +0000',
      RFC850: 'Thursday, 04-Mar-21 05:06:07 UTC',
      RFC1123: 'Thu, 04 Mar 2021 05:06:07 UTC',
      RFC1123Z: 'Thu, 04 Mar 2021 05:06:07 +0000',
      RFC3339: '2021-03-04T05:06:07Z',
      RFC3339Nano: '2021-03-04T05:06:07.0809Z',
    });
  });

  it('rewrites Java-style patterns as gofakeit does', () => {
    expect(javaToGoLayout('yyyy-MM-dd')).toBe('2006-01-02');
    expect(javaToGoLayout('dd/MM/yy HH:mm:ss.SSS')).toBe('02/01/06 15:04:05.000');
    expect(javaToGoLayout('MMMM d, yyyy hh a')).toBe('January 2, 2006 03 pm');
    expect(formatGo(MS, NANOS, javaToGoLayout('MMMM d, yyyy hh:mm a'))).toBe('March 4, 2021 05:06 am');
    expect(formatGo(MS, NANOS, javaToGoLayout('dd.MM.yyyy HH:mm:ss.SSS'))).toBe('04.03.2021 05:06:07.080');
  });

  it('parses what it writes, and fails with Go\'s texts', () => {
    expect(parseGo('2006-01-02', '2021-03-04')).toBe(Date.UTC(2021, 2, 4));
    expect(parseGo('02/01/2006 15:04', '04/03/2021 05:06')).toBe(Date.UTC(2021, 2, 4, 5, 6));
    expect(parseGo('January 2, 2006', 'March 4, 2021')).toBe(Date.UTC(2021, 2, 4));
    expect(() => parseGo('2006-01-02', '2021-13-01')).toThrow('parsing time "2021-13-01" as "2006-01-02": cannot parse "13-01" as "01"');
    expect(() => parseGo('2006-01-02', '2021-02-30')).toThrow('parsing time "2021-02-30": day out of range');
    expect(() => parseGo('2006-01-02', '2021-02-03 x')).toThrow('parsing time "2021-02-03 x": extra text: " x"');
  });
});
