// People, places and money: person, address, company, payment, finance.
import { goError } from '../../vu/go-error.ts';
import { capitalize, definition, digits, gen, genWith, pick, toFixed, type FakerJs, type FakerTable } from './faker-function.ts';
import { intBetween } from './faker-functions-numbers.ts';

const HOBBIES = ['Swimming', 'Chess', 'Gardening', 'Photography', 'Cycling', 'Knitting', 'Hiking', 'Painting', 'Baking', 'Fishing', 'Climbing', 'Pottery'];
const SCHOOL_KINDS = ['Elementary School', 'Middle School', 'High School', 'State Academy', 'Preparatory School', 'Institute'];

/** [display name, the card type option k6/x/faker takes, prefixes, length] */
const CARDS: readonly (readonly [string, string, readonly string[], number])[] = [
  ['Visa', 'visa', ['4'], 16],
  ['Mastercard', 'mastercard', ['51', '52', '53', '54', '55', '2221', '2720'], 16],
  ['American Express', 'american-express', ['34', '37'], 15],
  ['Diners Club', 'diners-club', ['300', '305', '36', '38'], 14],
  ['Discover', 'discover', ['6011', '65'], 16],
  ['JCB', 'jcb', ['3528', '3589'], 16],
  ['UnionPay', 'unionpay', ['62'], 16],
  ['Maestro', 'maestro', ['5018', '5020', '6304'], 16],
  ['Elo', 'elo', ['4011', '4389', '5041'], 16],
  ['Hiper', 'hiper', ['637095', '637568'], 16],
  ['Hipercard', 'hipercard', ['606282'], 16],
];

/** The digit that makes a number pass the Luhn check. */
function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function cardNumber(fk: FakerJs, types: readonly string[], bins: readonly string[], gaps: boolean): string {
  const allowed = types.length === 0 ? CARDS : CARDS.filter((c) => types.includes(c.at(1) as string));
  const card = pick(fk, allowed.length === 0 ? CARDS : allowed);
  const prefix = bins.length > 0 ? pick(fk, bins) : pick(fk, card[2]);
  const body = prefix + digits(fk, Math.max(0, card[3] - prefix.length - 1));
  const num = body + luhnDigit(body);
  return gaps ? (num.match(/.{1,4}/g) ?? [num]).join(' ') : num;
}

function cardExp(fk: FakerJs): string {
  const yy = (new Date().getUTCFullYear() % 100) + intBetween(fk, 1, 10);
  return `${String(intBetween(fk, 1, 12)).padStart(2, '0')}/${String(yy % 100).padStart(2, '0')}`;
}

function creditCard(fk: FakerJs): Record<string, unknown> {
  const card = pick(fk, CARDS);
  return { type: card[0], number: cardNumber(fk, [card[1]], [], false), exp: cardExp(fk), cvv: digits(fk, 3) };
}

function street(fk: FakerJs): string {
  return `${fk.location.buildingNumber()} ${fk.location.street()}`;
}

function address(fk: FakerJs): Record<string, unknown> {
  const st = street(fk);
  const city = fk.location.city();
  const state = fk.location.state();
  const zip = fk.location.zipCode('#####');
  return {
    address: `${st}, ${city}, ${state} ${zip}`, street: st, city, state, zip,
    country: fk.location.country(), latitude: fk.location.latitude({ precision: 6 }), longitude: fk.location.longitude({ precision: 6 }),
  };
}

function job(fk: FakerJs): Record<string, string> {
  return { company: fk.company.name(), title: fk.person.jobType(), descriptor: fk.person.jobDescriptor(), level: fk.person.jobArea() };
}

function coordinateRange(bound: number) {
  return genWith('address', 'number', [{ field: 'min', type: 'float', def: '0' }, { field: 'max', type: 'float', def: String(bound) }], (fk, p) => {
    const min = p.float('min');
    const max = p.float('max');
    if (min > max || min < -bound || min > bound || max < -bound || max > bound) {
      throw goError(`invalid min or max range, must be valid floats and between -${bound} and ${bound}`);
    }
    return toFixed(min === max ? min : fk.number.float() * (max - min) + min, 6);
  });
}

/** The check digit of a CUSIP's first eight characters. */
function cusipCheck(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charAt(i);
    let v = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    if (i % 2 === 1) v *= 2;
    sum += Math.floor(v / 10) + (v % 10);
  }
  return String((10 - (sum % 10)) % 10);
}

function upperAlnum(fk: FakerJs, n: number): string {
  return fk.string.alphanumeric({ length: n, casing: 'upper' });
}

export const PEOPLE_FUNCTIONS: FakerTable = {
  person: gen('person', 'record', (fk) => ({
    first_name: fk.person.firstName(), last_name: fk.person.lastName(), gender: fk.person.sex(), ssn: digits(fk, 9),
    image: `https://picsum.photos/${intBetween(fk, 100, 500)}/${intBetween(fk, 100, 500)}`, hobby: pick(fk, HOBBIES),
    job: job(fk), address: address(fk), contact: { phone: digits(fk, 10), email: fk.internet.email().toLowerCase() }, credit_card: creditCard(fk),
  })),
  firstName: gen('person', 'string', (fk) => fk.person.firstName()),
  middleName: gen('person', 'string', (fk) => fk.person.middleName()),
  lastName: gen('person', 'string', (fk) => fk.person.lastName()),
  name: gen('person', 'string', (fk) => `${fk.person.firstName()} ${fk.person.lastName()}`),
  namePrefix: gen('person', 'string', (fk) => fk.person.prefix()),
  nameSuffix: gen('person', 'string', (fk) => fk.person.suffix()),
  gender: gen('person', 'string', (fk) => fk.person.sex()),
  email: gen('person', 'string', (fk) => fk.internet.email().toLowerCase()),
  phone: gen('person', 'string', (fk) => digits(fk, 10)),
  phoneFormatted: gen('person', 'string', (fk) => fk.helpers.replaceSymbols('###-###-####')),
  ssn: gen('person', 'string', (fk) => digits(fk, 9)),
  hobby: gen('person', 'string', (fk) => pick(fk, HOBBIES)),
  school: gen('person', 'string', (fk) => `${definition(fk, 'location', 'city_name')} ${pick(fk, SCHOOL_KINDS)}`),
  teams: genWith('person', 'record', [{ field: 'people', type: 'strings' }, { field: 'teams', type: 'strings' }], (fk, p) => {
    const people = fk.helpers.shuffle(p.strs('people'));
    const names = p.strs('teams');
    const out: Record<string, string[]> = {};
    if (names.length === 0) return out;
    people.forEach((person, i) => {
      const team = names[i % names.length] ?? '';
      (out[team] ??= []).push(person);
    });
    return out;
  }),

  address: gen('address', 'record', address),
  street: gen('address', 'string', street),
  streetName: gen('address', 'string', (fk) => definition(fk, 'location', 'city_name')),
  streetNumber: gen('address', 'string', (fk) => fk.location.buildingNumber()),
  streetPrefix: gen('address', 'string', (fk) => fk.location.direction()),
  streetSuffix: gen('address', 'string', (fk) => definition(fk, 'location', 'street_suffix').toLowerCase()),
  city: gen('address', 'string', (fk) => fk.location.city()),
  state: gen('address', 'string', (fk) => fk.location.state()),
  stateAbbreviation: gen('address', 'string', (fk) => fk.location.state({ abbreviated: true })),
  zip: gen('address', 'string', (fk) => fk.location.zipCode('#####')),
  country: gen('address', 'string', (fk) => fk.location.country()),
  countryAbbreviation: gen('address', 'string', (fk) => fk.location.countryCode('alpha-2')),
  latitude: gen('address', 'number', (fk) => fk.location.latitude({ precision: 6 })),
  longitude: gen('address', 'number', (fk) => fk.location.longitude({ precision: 6 })),
  latitudeRange: coordinateRange(90),
  longitudeRange: coordinateRange(180),

  company: gen('company', 'string', (fk) => fk.company.name()),
  companySuffix: gen('company', 'string', (fk) => definition(fk, 'company', 'legal_entity_type')),
  buzzword: gen('company', 'string', (fk) => fk.company.buzzVerb()),
  bs: gen('company', 'string', (fk) => fk.company.buzzNoun()),
  blurb: gen('company', 'string', (fk) => capitalize(fk.company.buzzNoun())),
  slogan: gen('company', 'string', (fk) => `${fk.company.catchPhrase()}.`),
  job: gen('company', 'record', job),
  jobTitle: gen('company', 'string', (fk) => fk.person.jobType()),
  jobDescriptor: gen('company', 'string', (fk) => fk.person.jobDescriptor()),
  jobLevel: gen('company', 'string', (fk) => fk.person.jobArea()),

  creditCard: gen('payment', 'record', creditCard),
  creditCardNumber: genWith('payment', 'string', [
    { field: 'types', type: 'strings', def: 'all' },
    { field: 'bins', type: 'strings', optional: true },
    { field: 'gaps', type: 'bool', def: 'false' },
  ], (fk, p) => {
    const types = p.strs('types');
    const bins = p.has('bins') ? p.strs('bins') : [];
    return cardNumber(fk, types.length === 1 && types[0] === 'all' ? [] : types, bins, p.bool('gaps'));
  }),
  creditCardNumberFormatted: gen('payment', 'string', (fk) => (cardNumber(fk, ['visa', 'mastercard'], [], false).match(/.{4}/g) ?? []).join('-')),
  creditCardType: gen('payment', 'string', (fk) => pick(fk, CARDS)[0]),
  creditCardCVV: gen('payment', 'string', (fk) => digits(fk, 3)),
  creditCardExp: gen('payment', 'string', cardExp),
  creditCardExpMonth: gen('payment', 'string', (fk) => String(intBetween(fk, 1, 12)).padStart(2, '0')),
  creditCardExpYear: gen('payment', 'string', (fk) => String((new Date().getUTCFullYear() % 100) + intBetween(fk, 1, 10))),
  currency: gen('payment', 'record', (fk) => {
    const c = fk.finance.currency();
    return { short: c.code, long: c.name };
  }),
  currencyShort: gen('payment', 'string', (fk) => fk.finance.currencyCode()),
  currencyLong: gen('payment', 'string', (fk) => fk.finance.currencyName()),
  price: genWith('payment', 'number', [{ field: 'min', type: 'float', def: '0' }, { field: 'max', type: 'float', def: '1000' }], (fk, p) => {
    const min = p.float('min');
    const max = p.float('max');
    return toFixed(min === max ? min : fk.number.float() * (max - min) + min, 2);
  }),
  achAccountNumber: gen('payment', 'string', (fk) => digits(fk, 12)),
  achRoutingNumber: gen('payment', 'string', (fk) => digits(fk, 9)),
  bitcoinAddress: gen('payment', 'string', (fk) => fk.finance.bitcoinAddress()),
  bitcoinPrivateKey: gen('payment', 'string', (fk) => `5${fk.string.fromCharacters('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz', 50)}`),

  cusip: gen('finance', 'string', (fk) => {
    const body = upperAlnum(fk, 8);
    return body + cusipCheck(body);
  }),
  isin: gen('finance', 'string', (fk) => {
    const body = fk.location.countryCode('alpha-2') + upperAlnum(fk, 9);
    const expanded = [...body].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
    return body + luhnDigit(expanded);
  }),
};
