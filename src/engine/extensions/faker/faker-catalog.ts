// Every k6/x/faker generator by its camelCase name, and the categories the Faker object offers:
// each generator's own category, plus "zen" holding all of them.
import type { FakerFunction, FakerTable } from './faker-function.ts';
import { NUMBER_FUNCTIONS } from './faker-functions-numbers.ts';
import { PEOPLE_FUNCTIONS } from './faker-functions-people.ts';
import { TEXT_FUNCTIONS } from './faker-functions-text.ts';
import { THING_FUNCTIONS } from './faker-functions-things.ts';
import { TIME_FUNCTIONS } from './faker-functions-time.ts';

export const FAKER_FUNCTIONS: FakerTable = {
  ...TEXT_FUNCTIONS, ...NUMBER_FUNCTIONS, ...TIME_FUNCTIONS, ...PEOPLE_FUNCTIONS, ...THING_FUNCTIONS,
};

/** The category that lists every generator. */
export const ALL_CATEGORY = 'zen';

function byCategory(): ReadonlyMap<string, ReadonlyMap<string, FakerFunction>> {
  const out = new Map<string, Map<string, FakerFunction>>();
  const all = new Map<string, FakerFunction>();
  for (const [name, fn] of Object.entries(FAKER_FUNCTIONS)) {
    let cat = out.get(fn.category);
    if (cat === undefined) out.set(fn.category, (cat = new Map()));
    cat.set(name, fn);
    all.set(name, fn);
  }
  out.set(ALL_CATEGORY, all);
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

export const FAKER_CATEGORIES = byCategory();

export function lookupFakerFunction(name: string): FakerFunction | undefined {
  return Object.hasOwn(FAKER_FUNCTIONS, name) ? FAKER_FUNCTIONS[name] : undefined;
}
