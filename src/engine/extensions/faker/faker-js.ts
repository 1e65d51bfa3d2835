// @faker-js/faker, loaded on the first k6/x/faker import only (scripts without it do not pay for it).
import { createRequire } from 'node:module';
import type { Faker as FakerJs, LocaleDefinition } from '@faker-js/faker';

interface FakerJsModule {
  Faker: new (opts: { locale: LocaleDefinition[] }) => FakerJs;
  en: LocaleDefinition;
  base: LocaleDefinition;
}

let loaded: FakerJsModule | undefined;

/** A new English @faker-js/faker instance (en, then base for the locale-free data: codes, MIME types): seeded with `seed`, or from entropy when seed is 0. */
export function newFakerJs(seed: number): FakerJs {
  loaded ??= createRequire(import.meta.url)('@faker-js/faker') as FakerJsModule;
  const fk = new loaded.Faker({ locale: [loaded.en, loaded.base] });
  if (seed !== 0) fk.seed(seed);
  else fk.seed();
  return fk;
}
