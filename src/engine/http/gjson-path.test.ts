import { describe, expect, it } from 'vitest';
import { gjsonGet } from './gjson-path.ts';

// The document and expectations of gjson's README (github.com/tidwall/gjson), which k6's
// res.json(path) follows.
const doc: unknown = JSON.parse(`{
  "name": {"first": "Tom", "last": "Anderson"},
  "age": 37,
  "children": ["Sara", "Alex", "Jack"],
  "fav.movie": "Deer Hunter",
  "friends": [
    {"first": "Dale", "last": "Murphy", "age": 44, "nets": ["ig", "fb", "tw"], "active": true},
    {"first": "Roger", "last": "Craig", "age": 68, "nets": ["fb", "tw"], "active": false},
    {"first": "Jane", "last": "Murphy", "age": 47, "nets": ["ig", "tw"], "active": true}
  ]
}`);
const get = (path: string): unknown => gjsonGet(doc, path);

describe('gjson paths', () => {
  it('follows keys, indexes, counts, projections, wildcards and escaped dots', () => {
    expect(get('name.last')).toBe('Anderson');
    expect(get('age')).toBe(37);
    expect(get('children.#')).toBe(3);
    expect(get('children.1')).toBe('Alex');
    expect(get('child*.2')).toBe('Jack');
    expect(get('c?ildren.0')).toBe('Sara');
    expect(get('fav\\.movie')).toBe('Deer Hunter');
    expect(get('friends.#.first')).toEqual(['Dale', 'Roger', 'Jane']);
    expect(get('friends.1.last')).toBe('Craig');
    expect(get('name.middle')).toBeUndefined();
  });

  it('queries arrays: first match with #(…), all matches with #(…)#', () => {
    expect(get('friends.#(last=="Murphy").first')).toBe('Dale');
    expect(get('friends.#(last=="Murphy")#.first')).toEqual(['Dale', 'Jane']);
    expect(get('friends.#(age>45)#.last')).toEqual(['Craig', 'Murphy']);
    expect(get('friends.#(age>=47)#.first')).toEqual(['Roger', 'Jane']);
    expect(get('friends.#(age<45).first')).toBe('Dale');
    expect(get('friends.#(age<=44)#')).toHaveLength(1);
    expect(get('friends.#(age!=44)#.first')).toEqual(['Roger', 'Jane']);
    expect(get('friends.#(first%"D*").last')).toBe('Murphy');
    expect(get('friends.#(first!%"D*").last')).toBe('Craig');
    expect(get('friends.#(first%"?ane").age')).toBe(47);
    expect(get('friends.#(nets.#(=="fb"))#.first')).toEqual(['Dale', 'Roger']);
    expect(get('friends.#(active==false).first')).toBe('Roger');
    expect(get('friends.#(active==true)#.first')).toEqual(['Dale', 'Jane']);
    expect(get('children.#(!%"*a*")')).toBe('Alex');
    expect(get('children.#(%"*a*")#')).toEqual(['Sara', 'Jack']);
    expect(get('friends.#(last=="Nobody").first')).toBeUndefined();
    expect(get('friends.#(last=="Nobody")#')).toEqual([]);
    expect(get('friends.#(last=="Murphy")#|#')).toBe(2);
  });

  it('applies @reverse, @keys, @values and @this', () => {
    expect(get('children|@reverse')).toEqual(['Jack', 'Alex', 'Sara']);
    expect(get('children|@reverse|0')).toBe('Jack');
    expect(get('name|@keys')).toEqual(['first', 'last']);
    expect(get('name.@values')).toEqual(['Tom', 'Anderson']);
    expect(get('@this.age')).toBe(37);
  });

  it('yields undefined for malformed queries instead of throwing', () => {
    expect(get('friends.#(last=="Murphy"')).toBeUndefined();
    expect(get('friends.#(last=="Murphy")x')).toBeUndefined();
    expect(get('')).toBeUndefined();
  });
});
