// The Faker class of k6/x/faker: one readonly object per category (address, person, …, zen) whose
// methods are that category's generators, and call(name, ...args) to run a generator by name. Each
// instance has its own random source: seeded, it always gives the same sequence.
import type { Faker as FakerJs } from '@faker-js/faker';
import { FAKER_CATEGORIES, lookupFakerFunction } from './faker-catalog.ts';
import type { FakerFunction } from './faker-function.ts';
import { newFakerJs } from './faker-js.ts';
import { toParams } from './faker-params.ts';

/** Each instance's random source, kept off the object (whose keys are its categories). */
const sources = new WeakMap<object, FakerJs>();

function invoke(fk: FakerJs, fn: FakerFunction, args: readonly unknown[]): unknown {
  return fn.generate(fk, toParams(fn.params, args));
}

/** The seed as the extension reads its argument (sobek's ToInteger: undefined and NaN give 0). */
export function toSeed(v: unknown): number {
  const n = Math.trunc(Number(v));
  return Number.isFinite(n) ? n : 0;
}

function categoryObject(fk: FakerJs, funcs: ReadonlyMap<string, FakerFunction>): object {
  const obj = {};
  for (const [name, fn] of funcs) {
    Object.defineProperty(obj, name, { value: (...args: unknown[]) => invoke(fk, fn, args), enumerable: false });
  }
  return Object.freeze(obj);
}

export class Faker {
  constructor(seed?: unknown) {
    const fk = newFakerJs(toSeed(seed));
    sources.set(this, fk);
    for (const [category, funcs] of FAKER_CATEGORIES) {
      let made: object | undefined;
      Object.defineProperty(this, category, { enumerable: true, get: () => (made ??= categoryObject(fk, funcs)) });
    }
    Object.freeze(this);
  }

  /** Runs the generator named `func` with the remaining arguments; an unknown name is a TypeError. */
  call(func?: unknown, ...args: unknown[]): unknown {
    const fn = func === undefined ? undefined : lookupFakerFunction(String(func));
    // The extension throws its TypeError without a message here.
    const fk = sources.get(this);
    if (fn === undefined || fk === undefined) throw new TypeError('');
    return invoke(fk, fn, args);
  }
}
