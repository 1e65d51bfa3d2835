// k6/x/faker in a run: the default instance, a seeded one made in the init context, generators of
// several categories, call() by name, and the extension's errors. Each VU logs what its two
// instances gave, so the test can compare VUs and runs.
import faker, { Faker } from 'k6/x/faker';
import { check } from 'k6';

const seeded = new Faker(11);

export const options = {
  scenarios: { each: { executor: 'per-vu-iterations', vus: 2, iterations: 1 } },
  thresholds: { checks: ['rate==1'] },
};

function sample(f) {
  return [f.person.firstName(), f.numbers.intRange(1, 1000000), f.person.email(), f.call('city'), f.zen.uuid()];
}

function errorOf(fn) {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return String(e);
  }
}

export default function () {
  console.log(`vu=${__VU} default=${JSON.stringify(sample(faker))}`);
  console.log(`vu=${__VU} seeded=${JSON.stringify(sample(seeded))}`);

  const address = faker.address.address();
  const dice = faker.game.dice(4, [20]);
  check(null, {
    'strings and numbers': () => typeof faker.company.company() === 'string' && typeof faker.numbers.float64() === 'number',
    'a record': () => typeof address.city === 'string' && typeof address.latitude === 'number',
    'dice honour their count and sides': () => dice.length === 4 && dice.every((d) => d >= 1 && d <= 20),
    'a range holds': () => {
      const n = faker.numbers.intRange(10, 12);
      return n >= 10 && n <= 12;
    },
    'a word count holds': () => faker.word.sentence(3).split(' ').length === 3,
    'boolean': () => typeof faker.numbers.boolean() === 'boolean',
    'missing parameter': () => errorOf(() => faker.numbers.intRange()) === 'TypeError: missing parameter: min',
    'bad parameter': () => errorOf(() => faker.word.sentence(0)) === 'GoError: invalid word count, must be greater than 0, less than 50',
    'unknown generator by name': () => errorOf(() => faker.call('noSuchGenerator')).startsWith('TypeError'),
    'unknown category': () => faker.noSuchCategory === undefined,
  });
}
