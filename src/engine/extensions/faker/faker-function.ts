// One k6/x/faker generator: its category, what it returns, its parameters and how it is made from a
// seeded @faker-js/faker instance (so one seed always gives one sequence).
import type { Faker as FakerJs } from '@faker-js/faker';
import type { FakerParams, ParamSpec } from './faker-params.ts';

export type { FakerJs };

/** What a generator returns ('record': a plain object). */
export type FakerOutput = 'string' | 'number' | 'boolean' | 'string[]' | 'number[]' | 'record';

export interface FakerFunction {
  readonly category: string;
  readonly output: FakerOutput;
  readonly params: readonly ParamSpec[];
  readonly generate: (fk: FakerJs, p: FakerParams) => unknown;
}

export type FakerTable = Readonly<Record<string, FakerFunction>>;

/** A generator without parameters. */
export function gen(category: string, output: FakerOutput, generate: (fk: FakerJs) => unknown): FakerFunction {
  return { category, output, params: [], generate: (fk) => generate(fk) };
}

/** A generator with parameters. */
export function genWith(
  category: string,
  output: FakerOutput,
  params: readonly ParamSpec[],
  generate: (fk: FakerJs, p: FakerParams) => unknown,
): FakerFunction {
  return { category, output, params, generate };
}

/** Generators that pick one element of a list, all of one category. */
export function picks(category: string, lists: Readonly<Record<string, readonly string[]>>): Record<string, FakerFunction> {
  return Object.fromEntries(Object.entries(lists).map(([name, list]) => [name, gen(category, 'string', (fk) => pick(fk, list))]));
}

export function pick<T>(fk: FakerJs, list: readonly T[]): T {
  return fk.helpers.arrayElement(list);
}

/** An entry of the en locale's definitions (e.g. 'location', 'street_suffix'). */
export function definition(fk: FakerJs, module: string, entry: string): string {
  const mod = (fk.rawDefinitions as Record<string, Record<string, unknown> | undefined>)[module];
  const list = mod?.[entry];
  if (!Array.isArray(list) || list.length === 0) throw new Error(`faker definitions lack ${module}.${entry}`);
  return String(pick(fk, list));
}

/** n random decimal digits. */
export function digits(fk: FakerJs, n: number): string {
  return fk.string.numeric({ length: n, allowLeadingZeros: true });
}

/** n random ASCII letters of either case. */
export function letters(fk: FakerJs, n: number): string {
  return fk.string.alpha({ length: n });
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Rounds to n decimals, as gofakeit's toFixed does. */
export function toFixed(v: number, n: number): number {
  const f = 10 ** n;
  return Math.round(v * f) / f;
}
