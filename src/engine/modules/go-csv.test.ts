import { describe, expect, it } from 'vitest';
import { GoCsvReader } from './go-csv.ts';

function all(text: string, delimiter = ','): string[][] {
  const r = new GoCsvReader(text, delimiter);
  const out: string[][] = [];
  for (let rec = r.read(); rec !== undefined; rec = r.read()) out.push(rec);
  return out;
}

describe('CSV records as Go encoding/csv reads them', () => {
  it('splits fields, unquotes "" escapes and line breaks, reads CRLF as LF and skips empty lines', () => {
    expect(all('a,b,c\r\n\r\n1,"x ""y"" z",\n"two\nlines", 3 ,"q"\n')).toEqual([
      ['a', 'b', 'c'], ['1', 'x "y" z', ''], ['two\nlines', ' 3 ', 'q'],
    ]);
    expect(all('a;b\n1;2', ';')).toEqual([['a', 'b'], ['1', '2']]);
    expect(all('')).toEqual([]);
  });

  it("fails with Go's messages", () => {
    expect(() => all('a,b\n1,2,3\n')).toThrow('record on line 2: wrong number of fields');
    expect(() => all('a,b"c\n')).toThrow('parse error on line 1, column 4: bare " in non-quoted-field');
    expect(() => all('"a"b,c\n')).toThrow('parse error on line 1, column 4: extraneous or missing " in quoted-field');
  });
});
