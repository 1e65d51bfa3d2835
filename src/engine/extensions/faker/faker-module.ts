// k6/x/faker (grafana/xk6-faker, one of the official extensions k6 v2 resolves on import): the
// default export is a Faker seeded from XK6_FAKER_SEED (random when unset, 0 or not an integer),
// one per VU; `Faker` builds more, `new Faker(seed)`.
import { parseGoInt } from './faker-params.ts';
import { Faker } from './faker-class.ts';

export function createFakerModule(env: Readonly<Record<string, string>>): Record<string, unknown> {
  const seed = env.XK6_FAKER_SEED === undefined ? 0 : parseGoInt(env.XK6_FAKER_SEED) ?? 0;
  return { default: new Faker(seed), Faker };
}
