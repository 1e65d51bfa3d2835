import { describe, expect, it } from 'vitest';
import vm from 'node:vm';
import { createAjvModule, dataPathOf, errorsText } from './ajv-module.ts';

function realm(): { run<T>(src: string): T; Ajv: unknown } {
  const ctx = vm.createContext({});
  const parse = vm.runInContext('(t) => JSON.parse(t)', ctx) as (t: string) => unknown;
  const Ajv = createAjvModule({ toScript: (v) => parse(JSON.stringify(v)) }).default;
  return { Ajv, run: <T>(src: string) => (vm.runInContext(`(Ajv) => { ${src} }`, ctx) as (a: unknown) => T)(Ajv) };
}

describe('ajv jslib (Ajv 6 behaviour on Ajv 8)', () => {
  it('writes dataPath as Ajv 6 did: .prop, [index], [\'odd-key\'], or the JSON pointer with jsonPointers', () => {
    const data = { a: [{ 'b-c': { 0: 1 } }] };
    expect(dataPathOf('/a/0/b-c/0', data)).toBe(".a[0]['b-c']['0']");
    expect(dataPathOf('', data)).toBe('');
    expect(dataPathOf('/x~1y/it\'s', {})).toBe("['x/y']['it\\'s']");
    const { run } = realm();
    expect(run<string>("const ajv = new Ajv({ jsonPointers: true }); ajv.validate({ properties: { a: { items: { type: 'string' } } } }, { a: [1] }); return ajv.errors[0].dataPath")).toBe('/a/0');
  });

  it('errorDataPath \'property\' points required and additionalProperties errors at the property, in Ajv 6\'s words', () => {
    const { run } = realm();
    expect(run<string>(`const ajv = new Ajv({ errorDataPath: 'property', allErrors: true });
      ajv.validate({ properties: { o: { required: ['a-b'], additionalProperties: false, properties: { 'a-b': {} } } } }, { o: { x: 1 } });
      return ajv.errorsText();`)).toBe("data.o['a-b'] is a required property, data.o.x is an invalid additional property");
    expect(run<string>(`const ajv = new Ajv({ errorDataPath: 'property', jsonPointers: true });
      ajv.validate({ required: ['a/b'] }, {}); return ajv.errors[0].dataPath;`)).toBe('/a~1b');
  });

  it('errors are script-realm Arrays with Ajv 6 messages; errorsText joins them as Ajv 6 did', () => {
    const { run } = realm();
    const out = run<{ isArray: boolean; text: string; messages: string[] }>(`
      const ajv = new Ajv({ allErrors: true });
      const v = ajv.compile({ type: 'object', properties: { n: { type: 'number', maximum: 3 }, s: { maxLength: 1 }, l: { minItems: 2, contains: { const: 1 } },
        p: { propertyNames: { pattern: '^a' }, maxProperties: 1, minProperties: 1 }, o: { oneOf: [{ type: 'string' }, { type: 'string' }], not: { type: 'string' } } } });
      v({ n: 4, s: 'xy', l: [2], p: { b: 1, a: 2 }, o: 'x' });
      return { isArray: v.errors instanceof Array, text: ajv.errorsText(v.errors, { separator: ' | ' }), messages: v.errors.map((e) => e.message) };`);
    expect(out.isArray).toBe(true);
    expect(out.messages).toEqual([
      'should be <= 3', 'should NOT be longer than 1 characters', 'should NOT have fewer than 2 items', 'should be equal to constant', 'should contain a valid item',
      'should NOT have more than 1 properties', 'should match pattern "^a"', "property name 'b' is invalid",
      'should NOT be valid', 'should match exactly one schema in oneOf',
    ]);
    expect(out.text.split(' | ')[0]).toBe('data.n should be <= 3');
    expect(errorsText(null)).toBe('No errors');
    expect(errorsText([])).toBe('');
    expect(run<string>("const ajv = new Ajv(); ajv.validate({ minProperties: 2 }, {}); return ajv.errorsText(null) + ' / ' + ajv.errorsText([], { dataVar: 'x' })")).toBe('data should NOT have fewer than 2 properties / ');
    expect(errorsText([{ dataPath: '.x', message: 'should be string' }], { dataVar: 'res' })).toBe('res.x should be string');
  });

  it('is not strict: unknown keywords and formats pass; addFormat takes a script RegExp; addKeyword takes Ajv 6\'s (name, def)', () => {
    const { run } = realm();
    expect(run<boolean[]>(`
      const ajv = new Ajv();
      ajv.addFormat('sku', /^SKU-\\d+$/);
      ajv.addKeyword('even', { type: 'number', validate: (s, d) => !s || d % 2 === 0, errors: false });
      return [ajv.validate({ format: 'nope', example: 1 }, 'x'), ajv.validate({ format: 'sku' }, 'SKU-12'), ajv.validate({ format: 'sku' }, 'SKU-x'),
        ajv.validate({ even: true }, 4), ajv.validate({ even: true }, 3), ajv.validate({ format: 'email' }, 'a@b.co'), ajv.validate({ format: 'date-time' }, 'yesterday')];`))
      .toEqual([true, true, false, true, false, true, false]);
  });

  it('an invalid schema throws Ajv 6\'s message, naming the meta-schema errors with dataPath', () => {
    const { run } = realm();
    expect(run<string>("try { new Ajv().compile({ properties: { a: { type: 'text' } } }); return 'compiled'; } catch (e) { return e.message; }"))
      .toBe("schema is invalid: data.properties.a.type should be equal to one of the allowed values, data.properties.a.type should be array, data.properties.a.type should match some schema in anyOf");
  });

  it('a schema literal compiled again (each iteration) is the same validator, even with an $id', () => {
    const { run } = realm();
    expect(run<unknown[]>(`
      const ajv = new Ajv();
      const schema = () => ({ $id: 'http://x/item', type: 'object', required: ['id'] });
      const first = ajv.compile(schema());
      return [first === ajv.compile(schema()), ajv.validate(schema(), { id: 1 }), ajv.validate(schema(), {}), ajv.errors[0].params.missingProperty];`))
      .toEqual([true, true, false, 'id']);
  });

  it('addSchema/getSchema by $id or key; validate(key) of an unknown key throws', () => {
    const { run } = realm();
    expect(run<unknown[]>(`
      const ajv = new Ajv();
      ajv.addSchema({ type: 'integer' }, 'int').addSchema({ $id: 'pair', type: 'array', items: { $ref: 'int' } });
      let thrown = '';
      try { ajv.validate('missing', 1); } catch (e) { thrown = e.message; }
      return [ajv.getSchema('int')(2), ajv.validate('pair', [1, 'a']), ajv.errors[0].dataPath, ajv.getSchema('nope'), thrown];`))
      .toEqual([true, false, '[1]', undefined, 'no schema with key or ref "missing"']);
  });
});
