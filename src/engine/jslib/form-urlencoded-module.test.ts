import { describe, expect, it } from 'vitest';
import vm from 'node:vm';
import { formEncode, formUrlencoded } from './form-urlencoded-module.ts';

describe('form-urlencoded jslib', () => {
  it('encodes as the npm package: + for spaces, ! \' ( ) * ~ percent-encoded, UTF-8 bytes', () => {
    expect(formEncode("a b!'()*~-_.")).toBe('a+b%21%27%28%29%2A%7E-_.');
    expect(formEncode('ü&=/')).toBe('%C3%BC%26%3D%2F');
  });

  it('nests objects and arrays in brackets; null is "null" unless ignorenull; undefined, functions, empty objects vanish', () => {
    const data = { q: 'red shoes', n: null, u: undefined, f: () => 1, o: {}, e: [], filter: { size: [41, 42], brand: { name: 'Ace' } }, ok: false };
    expect(formUrlencoded(data)).toBe('q=red+shoes&n=null&e%5B%5D&filter%5Bsize%5D%5B0%5D=41&filter%5Bsize%5D%5B1%5D=42&filter%5Bbrand%5D%5Bname%5D=Ace&ok=false');
    expect(formUrlencoded(data, { ignorenull: true, skipIndex: true, sorted: true }))
      .toBe('e%5B%5D&filter%5Bbrand%5D%5Bname%5D=Ace&filter%5Bsize%5D%5B%5D=41&filter%5Bsize%5D%5B%5D=42&ok=false&q=red+shoes');
  });

  it('takes the script realm\'s objects; a falsy argument comes back as it is', () => {
    const data = vm.runInContext('({ list: [1, { k: "v" }] })', vm.createContext({})) as unknown;
    expect(formUrlencoded(data)).toBe('list%5B0%5D=1&list%5B1%5D%5Bk%5D=v');
    expect([formUrlencoded(undefined), formUrlencoded(null), formUrlencoded(''), formUrlencoded(0)]).toEqual([undefined, null, '', 0]);
  });
});
