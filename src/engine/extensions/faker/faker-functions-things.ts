// Everything else: animals, apps, beer, books, cars, celebrities, emoji, errors, files, food, games,
// hacker talk, the internet, languages, Minecraft, films and products.
import { goError } from '../../vu/go-error.ts';
import { capitalize, definition, digits, gen, genWith, pick, picks, toFixed, type FakerJs, type FakerFunction, type FakerTable } from './faker-function.ts';
import { intBetween } from './faker-functions-numbers.ts';
import { ANIMAL_TYPES, CAR_TRANSMISSIONS, FARM_ANIMALS, THING_LISTS } from './faker-thing-lists.ts';

const v = (fk: FakerJs, lo: number, hi: number): number => intBetween(fk, lo, hi);

const PLATFORMS: readonly ((fk: FakerJs) => string)[] = [
  (fk) => `Windows NT ${pick(fk, ['6.1', '6.3', '10.0'])}; Win64; x64`,
  (fk) => `Macintosh; Intel Mac OS X 10_${v(fk, 10, 15)}_${v(fk, 0, 7)}`,
  (fk) => `X11; Linux ${pick(fk, ['x86_64', 'i686'])}`,
];

const USER_AGENTS: Readonly<Record<string, (fk: FakerJs) => string>> = {
  chromeUserAgent: (fk) => `Mozilla/5.0 (${pick(fk, PLATFORMS)(fk)}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v(fk, 90, 130)}.0.${v(fk, 1000, 6999)}.${v(fk, 0, 199)} Safari/537.36`,
  firefoxUserAgent: (fk) => {
    const ver = v(fk, 90, 130);
    return `Mozilla/5.0 (${pick(fk, PLATFORMS)(fk)}; rv:${ver}.0) Gecko/20100101 Firefox/${ver}.0`;
  },
  operaUserAgent: (fk) => `Opera/9.${v(fk, 10, 99)} (${pick(fk, PLATFORMS)(fk)}; en-US) Presto/2.${v(fk, 8, 12)}.${v(fk, 100, 999)} Version/${v(fk, 10, 12)}.${v(fk, 0, 99)}`,
  safariUserAgent: (fk) => `Mozilla/5.0 (${pick(fk, ['iPhone; CPU iPhone OS 16_5 like Mac OS X', 'iPad; CPU OS 15_7 like Mac OS X', 'Macintosh; Intel Mac OS X 10_15_7'])}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v(fk, 13, 17)}.${v(fk, 0, 6)} Safari/605.1.15`,
};

const PASSWORD_CLASSES = {
  lower: ['abcdefghijklmnopqrstuvwxyz', 4],
  upper: ['ABCDEFGHIJKLMNOPQRSTUVWXYZ', 4],
  numeric: ['0123456789', 3],
  special: ['!@#$%&*+-_.?', 2],
  space: [' ', 1],
} as const;

/** gofakeit's password: each character from a class chosen by weight (at least 5 characters). */
function password(fk: FakerJs, classes: readonly (keyof typeof PASSWORD_CLASSES)[], length: number): string {
  const chosen = classes.length > 0 ? classes : (['lower', 'upper', 'numeric'] as const);
  const weighted = chosen.map((c) => ({ weight: PASSWORD_CLASSES[c][1], value: PASSWORD_CLASSES[c][0] }));
  const n = Math.max(5, length);
  return Array.from({ length: n }, () => fk.string.fromCharacters(fk.helpers.weightedArrayElement(weighted))).join('');
}

function imageSide(n: number, side: string): number {
  if (n < 10 || n >= 1000) throw goError(`invalid image ${side}, must be greater than 10, less than 1000`);
  return n;
}

const beerNumber = (fk: FakerJs, lo: number, hi: number): string => toFixed(fk.number.float({ min: lo, max: hi }), 1).toFixed(1);

function product(fk: FakerJs): Record<string, unknown> {
  return {
    name: fk.commerce.productName().toLowerCase(),
    description: fk.commerce.productDescription(),
    categories: Array.from({ length: v(fk, 1, 3) }, () => fk.commerce.department().toLowerCase()),
    price: toFixed(fk.number.float({ min: 3, max: 500 }), 2),
    features: Array.from({ length: v(fk, 1, 3) }, () => pick(fk, THING_LISTS.product.productFeature)),
    color: fk.color.human(),
    material: fk.commerce.productMaterial().toLowerCase(),
    upc: fk.commerce.upc(),
  };
}

function listGroups(): Record<string, FakerFunction> {
  return Object.assign({}, ...Object.entries(THING_LISTS).map(([category, lists]) => picks(category, lists))) as Record<string, FakerFunction>;
}

export const THING_FUNCTIONS: FakerTable = {
  ...listGroups(),
  animal: gen('animal', 'string', (fk) => fk.animal.type()),
  animalType: gen('animal', 'string', (fk) => pick(fk, ANIMAL_TYPES)),
  bird: gen('animal', 'string', (fk) => fk.animal.bird()),
  cat: gen('animal', 'string', (fk) => fk.animal.cat()),
  dog: gen('animal', 'string', (fk) => fk.animal.dog()),
  farmAnimal: gen('animal', 'string', (fk) => pick(fk, FARM_ANIMALS)),
  petName: gen('animal', 'string', (fk) => fk.animal.petName()),

  appName: gen('app', 'string', (fk) => definition(fk, 'app', 'name')),
  appAuthor: gen('app', 'string', (fk) => fk.company.name()),
  appVersion: gen('app', 'string', (fk) => `${v(fk, 1, 5)}.${v(fk, 1, 20)}.${v(fk, 1, 20)}`),

  beerAlcohol: gen('beer', 'string', (fk) => `${beerNumber(fk, 2, 10)}%`),
  beerBlg: gen('beer', 'string', (fk) => `${beerNumber(fk, 5, 20)}°Blg`),
  beerIbu: gen('beer', 'string', (fk) => `${v(fk, 10, 100)} IBU`),

  book: gen('book', 'record', (fk) => ({ title: fk.book.title(), author: fk.book.author(), genre: fk.book.genre() })),
  bookTitle: gen('book', 'string', (fk) => fk.book.title()),
  bookAuthor: gen('book', 'string', (fk) => fk.book.author()),
  bookGenre: gen('book', 'string', (fk) => fk.book.genre()),

  car: gen('car', 'record', (fk) => ({
    type: fk.vehicle.type(), fuel: fk.vehicle.fuel(), transmission: pick(fk, CAR_TRANSMISSIONS),
    brand: fk.vehicle.manufacturer(), model: fk.vehicle.model(), year: v(fk, 1900, new Date().getUTCFullYear()),
  })),
  carType: gen('car', 'string', (fk) => fk.vehicle.type()),
  carFuelType: gen('car', 'string', (fk) => fk.vehicle.fuel()),
  carMaker: gen('car', 'string', (fk) => fk.vehicle.manufacturer()),
  carModel: gen('car', 'string', (fk) => fk.vehicle.model()),
  carTransmissionType: gen('car', 'string', (fk) => pick(fk, CAR_TRANSMISSIONS)),

  emoji: gen('emoji', 'string', (fk) => fk.internet.emoji()),

  fileExtension: gen('file', 'string', (fk) => fk.system.fileExt()),
  fileMimeType: gen('file', 'string', (fk) => fk.system.mimeType()),

  breakfast: gen('food', 'string', (fk) => capitalize(fk.food.dish().toLowerCase())),
  lunch: gen('food', 'string', (fk) => capitalize(fk.food.dish().toLowerCase())),
  dinner: gen('food', 'string', (fk) => capitalize(fk.food.dish().toLowerCase())),
  fruit: gen('food', 'string', (fk) => capitalize(fk.food.fruit())),
  vegetable: gen('food', 'string', (fk) => capitalize(fk.food.vegetable())),

  gamertag: gen('game', 'string', (fk) => `${fk.word.adjective().toLowerCase()}${fk.word.noun().toLowerCase()}${v(fk, 1, 99)}`),

  hackerAbbreviation: gen('hacker', 'string', (fk) => fk.hacker.abbreviation()),
  hackerAdjective: gen('hacker', 'string', (fk) => fk.hacker.adjective()),
  hackerNoun: gen('hacker', 'string', (fk) => fk.hacker.noun()),
  hackerVerb: gen('hacker', 'string', (fk) => fk.hacker.verb()),
  hackeringVerb: gen('hacker', 'string', (fk) => fk.hacker.ingverb()),
  hackerPhrase: gen('hacker', 'string', (fk) => fk.hacker.phrase()),

  ...Object.fromEntries(Object.entries(USER_AGENTS).map(([name, ua]) => [name, gen('internet', 'string', ua)])),
  userAgent: gen('internet', 'string', (fk) => pick(fk, Object.values(USER_AGENTS))(fk)),
  domainName: gen('internet', 'string', (fk) => fk.internet.domainName()),
  domainSuffix: gen('internet', 'string', (fk) => fk.internet.domainSuffix()),
  url: gen('internet', 'string', (fk) => fk.internet.url({ appendSlash: false })),
  username: gen('internet', 'string', (fk) => `${fk.person.lastName()}${digits(fk, v(fk, 1, 4))}`),
  ipv4Address: gen('internet', 'string', (fk) => fk.internet.ipv4()),
  ipv6Address: gen('internet', 'string', (fk) => fk.internet.ipv6()),
  macAddress: gen('internet', 'string', (fk) => fk.internet.mac()),
  httpMethod: gen('internet', 'string', (fk) => fk.internet.httpMethod()),
  httpStatusCode: gen('internet', 'number', (fk) => fk.internet.httpStatusCode()),
  httpStatusCodeSimple: gen('internet', 'number', (fk) => pick(fk, [200, 301, 302, 400, 404, 500])),
  imageUrl: genWith('internet', 'string', [{ field: 'width', type: 'int', def: '500' }, { field: 'height', type: 'int', def: '500' }], (_fk, p) => {
    const width = imageSide(p.int('width'), 'width');
    const height = imageSide(p.int('height'), 'height');
    return `https://picsum.photos/${width}/${height}`;
  }),
  password: genWith('internet', 'string', [
    { field: 'lower', type: 'bool', def: 'true' },
    { field: 'upper', type: 'bool', def: 'true' },
    { field: 'numeric', type: 'bool', def: 'true' },
    { field: 'special', type: 'bool', def: 'true' },
    { field: 'space', type: 'bool', def: 'false' },
    { field: 'length', type: 'int', def: '12' },
  ], (fk, p) => {
    const classes = (['lower', 'upper', 'numeric', 'special', 'space'] as const).filter((c) => p.bool(c));
    return password(fk, classes, p.int('length'));
  }),

  language: gen('language', 'string', (fk) => fk.location.language().name),
  languageAbbreviation: gen('language', 'string', (fk) => fk.location.language().alpha2),

  movie: gen('movie', 'record', (fk) => ({ name: pick(fk, THING_LISTS.movie.movieName), genre: pick(fk, THING_LISTS.movie.movieGenre) })),

  product: gen('product', 'record', product),
  productName: gen('product', 'string', (fk) => fk.commerce.productName().toLowerCase()),
  productDescription: gen('product', 'string', (fk) => fk.commerce.productDescription()),
  productCategory: gen('product', 'string', (fk) => fk.commerce.department().toLowerCase()),
  productMaterial: gen('product', 'string', (fk) => fk.commerce.productMaterial().toLowerCase()),
  productUpc: gen('product', 'string', (fk) => fk.commerce.upc()),
};
