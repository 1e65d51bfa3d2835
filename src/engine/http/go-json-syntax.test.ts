import { describe, expect, it } from 'vitest';
import { goJsonSyntaxError, k6JsonErrorMessage } from './go-json-syntax.ts';

const err = (text: string) => goJsonSyntaxError(Buffer.from(text));
const k6 = (text: string) => k6JsonErrorMessage(Buffer.from(text));

describe("res.json()'s error for a body that is not JSON (Go's scanner, k6's line and character)", () => {
  it('accepts valid JSON of every kind', () => {
    for (const ok of ['{}', '[]', ' {"a":[1,-2.5e+3,true,false,null,"x\\u00e9\\n"]} ', '0', '"s"', '[{"a":{}},[]]']) {
      expect(err(ok)).toBeUndefined();
    }
  });

  it('names the first bad byte as Go does, with its offset', () => {
    expect(err('<html>')).toEqual({ message: "invalid character '<' looking for beginning of value", offset: 1 });
    expect(err('{"a" 1}')).toEqual({ message: "invalid character '1' after object key", offset: 6 });
    expect(err('{"a":1 "b":2}')).toEqual({ message: "invalid character '\"' after object key:value pair", offset: 8 });
    expect(err('[1 2]')).toEqual({ message: "invalid character '2' after array element", offset: 4 });
    expect(err("{'a':1}")).toEqual({ message: "invalid character '\\'' looking for beginning of object key string", offset: 2 });
    expect(err('{"a":1}x')).toEqual({ message: "invalid character 'x' after top-level value", offset: 8 });
    expect(err('tru')).toEqual({ message: "invalid character ' ' in literal true (expecting 'e')", offset: 3 });
    expect(err('nul!')).toEqual({ message: "invalid character '!' in literal null (expecting 'l')", offset: 4 });
    expect(err('01')).toEqual({ message: "invalid character '1' after top-level value", offset: 2 });
    expect(err('-x')).toEqual({ message: "invalid character 'x' in numeric literal", offset: 2 });
    expect(err('1.e')).toEqual({ message: "invalid character 'e' after decimal point in numeric literal", offset: 3 });
    expect(err('"a\tb"')).toEqual({ message: "invalid character '\\t' in string literal", offset: 3 });
    expect(err('"\\x"')).toEqual({ message: "invalid character 'x' in string escape code", offset: 3 });
    expect(err('[\n')).toEqual({ message: 'unexpected end of JSON input', offset: 2 });
    expect(err('')).toEqual({ message: 'unexpected end of JSON input', offset: 0 });
  });

  it("words it as k6 does, with the line and the character of the bad byte", () => {
    expect(k6('<html><head>')).toBe("cannot parse json due to an error at line 1, character 1 , error: invalid character '<' looking for beginning of value");
    expect(k6('{\n  "a": 1,\n  "b": x\n}')).toBe("cannot parse json due to an error at line 3, character 8 , error: invalid character 'x' looking for beginning of value");
    expect(k6('')).toBe('cannot parse json due to an error at line 1, character 0 , error: unexpected end of JSON input');
    expect(k6('{"é": tru')).toBe("cannot parse json due to an error at line 1, character 9 , error: invalid character ' ' in literal true (expecting 'e')");
  });
});
