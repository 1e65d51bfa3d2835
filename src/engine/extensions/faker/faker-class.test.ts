import { describe, expect, it } from 'vitest';
import { FAKER_CATEGORIES, FAKER_FUNCTIONS } from './faker-catalog.ts';
import { Faker } from './faker-class.ts';
import type { FakerOutput } from './faker-function.ts';
import { createFakerModule } from './faker-module.ts';

type Gen = (...args: unknown[]) => unknown;
type Fake = Record<string, Record<string, Gen>> & { call(name?: unknown, ...args: unknown[]): unknown };

const fake = (seed?: unknown): Fake => new Faker(seed) as unknown as Fake;

/** Arguments for the generators that require some. */
const REQUIRED_ARGS: Readonly<Record<string, unknown[]>> = {
  digitN: [6], letterN: [7], lexify: ['id-????'], numerify: ['tel ###-##'],
  intRange: [-5, 5], float32Range: [1.5, 2.5], float64Range: [-1, 1],
  randomInt: [[3, 6, 9]], randomUint: [[1, 2]], shuffleInts: [[1, 2, 3, 4]],
  randomString: [['red', 'green']], shuffleStrings: [['a', 'b', 'c']],
  teams: [['ann', 'bob', 'cy', 'dee', 'eve'], ['blue', 'red']],
};

function matchesOutput(v: unknown, out: FakerOutput): boolean {
  switch (out) {
    case 'string': return typeof v === 'string' && v !== '';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'boolean': return typeof v === 'boolean';
    case 'string[]': return Array.isArray(v) && v.every((e) => typeof e === 'string');
    case 'number[]': return Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === 'number');
    case 'record': return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0;
  }
}

function many<T>(n: number, f: () => T): T[] {
  return Array.from({ length: n }, f);
}

describe('k6/x/faker catalog', () => {
  it('offers the extension\'s 303 generators in its 28 categories, and zen holds them all', () => {
    expect(Object.keys(FAKER_FUNCTIONS)).toHaveLength(303);
    const counts = Object.fromEntries([...FAKER_CATEGORIES].map(([c, fns]) => [c, fns.size]));
    expect(counts).toEqual({
      address: 16, animal: 7, app: 3, beer: 8, book: 4, car: 6, celebrity: 3, color: 5, company: 10, emoji: 5,
      error: 9, file: 2, finance: 2, food: 8, game: 2, hacker: 6, hipster: 3, internet: 20, language: 4,
      minecraft: 18, movie: 3, numbers: 25, payment: 16, person: 15, product: 7, strings: 9, time: 18, word: 69, zen: 303,
    });
    expect(Object.keys(fake(1))).toEqual([...FAKER_CATEGORIES.keys()]);
  });

  it('every generator, through its category and through zen, returns a value of its declared type', () => {
    for (const seed of [1, 2, 3]) {
      const f = fake(seed);
      for (const [name, fn] of Object.entries(FAKER_FUNCTIONS)) {
        const args = REQUIRED_ARGS[name] ?? [];
        const viaCategory = f[fn.category]?.[name];
        expect(viaCategory, `${fn.category}.${name}`).toBeTypeOf('function');
        for (const v of [viaCategory?.(...args), f.zen?.[name]?.(...args), f.call(name, ...args)]) {
          expect(matchesOutput(v, fn.output), `${name} gave ${JSON.stringify(v)}`).toBe(true);
        }
      }
    }
  });

  it('records have the fields of the extension\'s objects', () => {
    const f = fake(5);
    expect(Object.keys(f.address!.address!() as object)).toEqual(['address', 'street', 'city', 'state', 'zip', 'country', 'latitude', 'longitude']);
    expect(Object.keys(f.person!.person!() as object)).toEqual(['first_name', 'last_name', 'gender', 'ssn', 'image', 'hobby', 'job', 'address', 'contact', 'credit_card']);
    expect(Object.keys(f.car!.car!() as object)).toEqual(['type', 'fuel', 'transmission', 'brand', 'model', 'year']);
    expect(Object.keys(f.payment!.creditCard!() as object)).toEqual(['type', 'number', 'exp', 'cvv']);
    expect(Object.keys(f.payment!.currency!() as object)).toEqual(['short', 'long']);
    expect(Object.keys(f.company!.job!() as object)).toEqual(['company', 'title', 'descriptor', 'level']);
    expect(Object.keys(f.book!.book!() as object)).toEqual(['title', 'author', 'genre']);
    expect(Object.keys(f.movie!.movie!() as object)).toEqual(['name', 'genre']);
    expect(Object.keys(f.product!.product!() as object)).toEqual(['name', 'description', 'categories', 'price', 'features', 'color', 'material', 'upc']);
  });
});

describe('k6/x/faker parameters', () => {
  const f = fake(42);
  const n = f.numbers!;

  it('number ranges: bounds hold, equal bounds give the bound, swapped bounds are put in order, defaults apply', () => {
    expect(many(200, () => n.intRange!(2, 19) as number).every((v) => Number.isInteger(v) && v >= 2 && v <= 19)).toBe(true);
    expect(new Set(many(200, () => n.intRange!(1, 3)))).toEqual(new Set([1, 2, 3]));
    expect(n.intRange!(7, 7)).toBe(7);
    expect(many(50, () => n.intRange!(10, 0) as number).every((v) => v >= 0 && v <= 10)).toBe(true);
    expect(many(100, () => n.number!() as number).every((v) => v >= -2147483648 && v <= 2147483647)).toBe(true);
    expect(many(100, () => n.number!(5) as number).every((v) => v >= 5)).toBe(true);
    expect(many(100, () => n.uintRange!() as number).every((v) => v >= 0 && v <= 4294967295)).toBe(true);
    expect(many(100, () => n.float64Range!(0.5, 0.75) as number).every((v) => v >= 0.5 && v <= 0.75)).toBe(true);
    expect(many(100, () => n.uint8!() as number).every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).toBe(true);
    expect(many(100, () => n.int8!() as number).every((v) => v >= -128 && v <= 127)).toBe(true);
    expect(many(50, () => f.payment!.price!(10, 20) as number).every((v) => v >= 10 && v <= 20 && Number(v.toFixed(2)) === v)).toBe(true);
    expect(many(50, () => f.address!.latitudeRange!(-10, 10) as number).every((v) => v >= -10 && v <= 10)).toBe(true);
    expect(many(50, () => f.address!.longitudeRange!() as number).every((v) => v >= 0 && v <= 180)).toBe(true);
    expect(n.hexUint16!()).toMatch(/^0x[0-9a-f]{4}$/);
    expect(n.hexUint128!()).toMatch(/^0x[0-9a-f]{32}$/);
  });

  it('numbers are read from strings and arrays as the extension reads them (first element for a single value)', () => {
    expect(n.intRange!('4', '4')).toBe(4);
    expect(n.intRange!([6, 99], 6)).toBe(6);
    expect(n.randomInt!([8])).toBe(8);
    expect(n.randomInt!(['12'])).toBe(12);
    expect(n.randomInt!(5)).toBe(5);
    expect(n.randomInt!([])).toBe(0);
    expect([...(n.shuffleInts!([1, 2, 3, 4, 5]) as number[])].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(['x', 'y']).toContain(f.strings!.randomString!(['x', 'y']));
  });

  it('strings: counts, patterns and lists', () => {
    const s = f.strings!;
    expect(s.digitN!(8)).toMatch(/^\d{8}$/);
    expect(s.digitN!(0)).toMatch(/^\d$/);
    expect(s.letterN!(5)).toMatch(/^[A-Za-z]{5}$/);
    expect(s.lexify!('ab-??')).toMatch(/^ab-[A-Za-z]{2}$/);
    expect(s.numerify!('(###) ##')).toMatch(/^\(\d{3}\) \d{2}$/);
    expect(s.uuid!()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...(s.shuffleStrings!(['a', 'b', 'c']) as string[])].sort()).toEqual(['a', 'b', 'c']);
  });

  it('text: word counts, paragraph counts and separators, lorem and hipster variants', () => {
    const w = f.word!;
    expect((w.sentence!(7) as string).split(' ')).toHaveLength(7);
    expect(w.sentence!()).toMatch(/^[A-Z].*\.$/);
    expect((w.sentence!() as string).split(' ')).toHaveLength(5);
    const para = w.paragraph!(3, 2, 4, ' | ') as string;
    expect(para.split(' | ')).toHaveLength(3);
    expect(para.split(' | ').every((p) => p.split('. ').length === 2 && p.split(' ').length === 8)).toBe(true);
    expect((w.paragraph!() as string).split('<br />')).toHaveLength(2);
    expect((w.loremIpsumSentence!(3) as string).split(' ')).toHaveLength(3);
    expect((f.hipster!.hipsterParagraph!(1, 1, 6) as string).split(' ')).toHaveLength(6);
  });

  it('person.teams spreads every person over the named teams', () => {
    const t = f.person!.teams!(['a', 'b', 'c', 'd', 'e'], ['red', 'blue']) as Record<string, string[]>;
    expect(Object.keys(t).sort()).toEqual(['blue', 'red']);
    expect(Object.values(t).flat().sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('game.dice: the number of dice, sides per die (the first list entry for the rest); the default is one six-sided die', () => {
    const d = f.game!;
    expect(many(50, () => d.dice!() as number[]).every((r) => r.length === 1 && r[0]! >= 1 && r[0]! <= 6)).toBe(true);
    const rolls = many(50, () => d.dice!(3, [2, 100]) as number[]);
    expect(rolls.every((r) => r.length === 3 && r[0]! <= 2 && r[2]! <= 2)).toBe(true);
    expect(d.dice!(0)).toEqual([]);
  });

  it('internet.password: length (at least 5) and character classes', () => {
    const i = f.internet!;
    expect(i.password!()).toHaveLength(12);
    expect(i.password!(true, false, false, false, false, 20)).toMatch(/^[a-z]{20}$/);
    expect(i.password!(false, false, true, false, false, 2)).toMatch(/^\d{5}$/);
    expect(i.password!(false, false, false, false, false, 8)).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(i.imageUrl!(120, 80)).toBe('https://picsum.photos/120/80');
    expect(i.imageUrl!()).toBe('https://picsum.photos/500/500');
  });

  it('payment.creditCardNumber: card types, bins and gaps give Luhn-valid numbers', () => {
    const luhn = (num: string): boolean => [...num].reverse().reduce((s, c, i) => {
      const d = Number(c) * (i % 2 === 1 ? 2 : 1);
      return s + (d > 9 ? d - 9 : d);
    }, 0) % 10 === 0;
    const p = f.payment!;
    for (const num of many(30, () => p.creditCardNumber!() as string)) expect(luhn(num), num).toBe(true);
    for (const num of many(20, () => p.creditCardNumber!(['american-express']) as string)) expect(num).toMatch(/^3[47]\d{13}$/);
    expect(p.creditCardNumber!(['visa'], ['999'])).toMatch(/^999\d{13}$/);
    expect(p.creditCardNumber!(['visa'], undefined, true)).toMatch(/^4\d{3} \d{4} \d{4} \d{4}$/);
    expect(p.creditCardNumberFormatted!()).toMatch(/^\d{4}-\d{4}-\d{4}-\d{4}$/);
    expect(p.creditCardExp!()).toMatch(/^(0[1-9]|1[0-2])\/\d{2}$/);
  });

  it('time.date and time.dateRange: named Go layouts, Java-style patterns, bounds', () => {
    const t = f.time!;
    expect(t.date!()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(t.date!('RFC1123')).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} UTC$/);
    expect(t.date!('yyyy/MM/dd HH:mm')).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
    const days = many(100, () => t.dateRange!('2020-01-01', '2020-01-31') as string);
    expect(days.every((d) => /^2020-01-(0[1-9]|[12]\d|3[01])$/.test(d))).toBe(true);
    expect(t.dateRange!('01/02/2021', '01/02/2021', 'dd/MM/yyyy')).toBe('01/02/2021');
    expect(t.dateRange!() as string <= new Date().toISOString().slice(0, 10)).toBe(true);
    expect(many(50, () => t.month!() as number).every((m) => m >= 1 && m <= 12)).toBe(true);
    expect(t.futureTime!()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)? \+0000 UTC$/);
  });
});

describe('k6/x/faker errors, as the extension raises them', () => {
  const f = fake(3);

  it('a missing required parameter is a TypeError naming it', () => {
    expect(() => f.numbers!.intRange!()).toThrow(new TypeError('missing parameter: min'));
    expect(() => f.numbers!.intRange!(1)).toThrow(new TypeError('missing parameter: max'));
    expect(() => f.person!.teams!(['a'])).toThrow(new TypeError('missing parameter: teams'));
  });

  it('unparsable or out-of-range parameters are GoErrors with gofakeit\'s texts', () => {
    const goError = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
      return 'no error';
    };
    expect(goError(() => f.numbers!.intRange!(1.5, 3))).toBe('GoError: min field could not parse to int value');
    expect(goError(() => f.numbers!.uintRange!(-1, 3))).toBe('GoError: min field could not parse to int value');
    expect(goError(() => f.numbers!.float64Range!('x', 3))).toBe('GoError: min field could not parse to float value');
    expect(goError(() => f.numbers!.randomInt!([1, 'two']))).toBe('GoError: two value could not parse to int');
    expect(goError(() => f.internet!.password!('maybe'))).toBe('GoError: lower field could not parse to bool value');
    expect(goError(() => f.word!.sentence!(0))).toBe('GoError: invalid word count, must be greater than 0, less than 50');
    expect(goError(() => f.word!.paragraph!(21))).toBe('GoError: invalid paragraph count, must be greater than 0, less than 20');
    expect(goError(() => f.internet!.imageUrl!(5))).toBe('GoError: invalid image width, must be greater than 10, less than 1000');
    expect(goError(() => f.address!.latitudeRange!(-100, 0))).toBe('GoError: invalid min or max range, must be valid floats and between -90 and 90');
    expect(goError(() => f.numbers!.intRange!(null, 3))).toBe('GoError: runtime error: index out of range [0] with length 0');
    expect(goError(() => f.time!.dateRange!('yesterday'))).toBe('GoError: parsing time "yesterday" as "2006-01-02": cannot parse "yesterday" as "2006"');
  });

  it('call() without a known name is a TypeError; unknown categories and generators are undefined', () => {
    expect(() => f.call()).toThrow(TypeError);
    expect(() => f.call('noSuchFunction')).toThrow(TypeError);
    expect(f.call('intRange', 3, 3)).toBe(3);
    expect(f.nosuch).toBeUndefined();
    expect(f.person!.nosuch).toBeUndefined();
  });
});

describe('k6/x/faker seeding', () => {
  const sequence = (f: Fake): unknown[] => [f.person!.firstName!(), f.numbers!.intRange!(0, 1e6), f.address!.address!(), f.call('username'), f.word!.paragraph!()];

  it('one seed gives one sequence; another seed another; no seed (or 0) a fresh one each time', () => {
    expect(sequence(fake(11))).toEqual(sequence(fake(11)));
    expect(sequence(fake('11'))).toEqual(sequence(fake(11.9)));
    expect(sequence(fake(11))).not.toEqual(sequence(fake(12)));
    expect(sequence(fake())).not.toEqual(sequence(fake()));
    expect(sequence(fake(0))).not.toEqual(sequence(fake(0)));
  });

  it('categories of one instance share its sequence; instances do not share theirs', () => {
    const a = fake(7);
    const b = fake(7);
    const first = a.person!.firstName!();
    a.person!.firstName!();
    expect(b.zen!.firstName!()).toBe(first);
    const c = fake(7);
    const d = fake(7);
    c.numbers!.int32!();
    d.numbers!.int32!();
    expect(c.person!.lastName!()).toBe(d.zen!.lastName!());
  });

  it('the module\'s default instance follows XK6_FAKER_SEED, per module instance (each VU its own)', () => {
    const seeded = (): Fake => createFakerModule({ XK6_FAKER_SEED: '11' }).default as Fake;
    const vu1 = seeded();
    const vu2 = seeded();
    expect(vu1).not.toBe(vu2);
    expect(sequence(vu1)).toEqual(sequence(fake(11)));
    expect(sequence(vu2)).toEqual(sequence(fake(11)));
    const unseeded = (env: Record<string, string>): unknown[] => sequence(createFakerModule(env).default as Fake);
    expect(unseeded({})).not.toEqual(unseeded({}));
    expect(unseeded({ XK6_FAKER_SEED: 'eleven' })).not.toEqual(unseeded({ XK6_FAKER_SEED: 'eleven' }));
    expect(createFakerModule({}).Faker).toBe(Faker);
  });
});
