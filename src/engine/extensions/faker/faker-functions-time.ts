// Time generators: calendar fields, dates in Go's layouts or Java-style patterns, time zones.
import { formatGo, javaToGoLayout, NAMED_LAYOUTS, parseGo } from './faker-date-format.ts';
import { gen, genWith, pick, type FakerJs, type FakerTable } from './faker-function.ts';
import { intBetween } from './faker-functions-numbers.ts';

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** [zone name, abbreviation, display with offset, offset in hours, an IANA region in it] */
const ZONES: readonly (readonly [string, string, string, number, string])[] = [
  ['Coordinated Universal Time', 'UTC', '(UTC) Coordinated Universal Time', 0, 'Etc/UTC'],
  ['Greenwich Standard Time', 'GST', '(UTC) Monrovia, Reykjavik', 0, 'Atlantic/Reykjavik'],
  ['Central European Standard Time', 'CEST', '(UTC+01:00) Sarajevo, Skopje, Warsaw, Zagreb', 1, 'Europe/Warsaw'],
  ['E. Europe Standard Time', 'EEST', '(UTC+02:00) E. Europe', 2, 'Europe/Chisinau'],
  ['Arab Standard Time', 'AST', '(UTC+03:00) Kuwait, Riyadh', 3, 'Asia/Riyadh'],
  ['India Standard Time', 'IST', '(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi', 5.5, 'Asia/Kolkata'],
  ['China Standard Time', 'CST', '(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi', 8, 'Asia/Shanghai'],
  ['Tokyo Standard Time', 'TST', '(UTC+09:00) Osaka, Sapporo, Tokyo', 9, 'Asia/Tokyo'],
  ['AUS Eastern Standard Time', 'AEST', '(UTC+10:00) Canberra, Melbourne, Sydney', 10, 'Australia/Sydney'],
  ['E. South America Standard Time', 'ESAST', '(UTC-03:00) Brasilia', -3, 'America/Sao_Paulo'],
  ['Eastern Standard Time', 'EST', '(UTC-05:00) Eastern Time (US & Canada)', -5, 'America/New_York'],
  ['Central Standard Time', 'CDT', '(UTC-06:00) Central Time (US & Canada)', -6, 'America/Chicago'],
  ['Pacific Standard Time', 'PDT', '(UTC-08:00) Pacific Time (US & Canada)', -8, 'America/Los_Angeles'],
  ['Alaskan Standard Time', 'AKDT', '(UTC-09:00) Alaska', -9, 'America/Anchorage'],
];

/** A random instant as gofakeit's date(): each field drawn on its own (overflowing days roll over). */
function randomDate(fk: FakerJs): { ms: number; nanos: number } {
  const year = intBetween(fk, 1900, new Date().getUTCFullYear());
  const month = intBetween(fk, 1, 12);
  const day = intBetween(fk, 1, 31);
  const nanos = intBetween(fk, 0, 999_999_999);
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day);
  t.setUTCHours(intBetween(fk, 0, 23), intBetween(fk, 0, 59), intBetween(fk, 0, 59), Math.floor(nanos / 1e6));
  return { ms: t.getTime(), nanos };
}

/** Go's time.Time String() of a UTC time. */
function goTimeString(ms: number, nanos: number): string {
  return formatGo(ms, nanos, '2006-01-02 15:04:05.999999999 -0700 MST');
}

/** now ± 1..12 hours, as gofakeit's pastDate/futureDate. */
function shifted(fk: FakerJs, sign: 1 | -1): string {
  const now = Date.now();
  const nanos = (now % 1000) * 1e6 + intBetween(fk, 0, 999_999);
  return goTimeString(now + sign * intBetween(fk, 1, 12) * 3_600_000, nanos);
}

const today = (): string => new Date().toISOString().slice(0, 10);

export const TIME_FUNCTIONS: FakerTable = {
  date: genWith('time', 'string', [{ field: 'format', type: 'string', def: 'RFC3339' }], (fk, p) => {
    const format = p.str('format');
    const { ms, nanos } = randomDate(fk);
    return formatGo(ms, nanos, NAMED_LAYOUTS[format] ?? (format === '' ? NAMED_LAYOUTS.RFC3339 ?? '' : javaToGoLayout(format)));
  }),
  dateRange: genWith('time', 'string', [
    { field: 'startdate', type: 'string', def: '1970-01-01' },
    { field: 'enddate', type: 'string', def: today },
    { field: 'format', type: 'string', def: 'yyyy-MM-dd' },
  ], (fk, p) => {
    const layout = javaToGoLayout(p.str('format'));
    const start = parseGo(layout, p.str('startdate'));
    const end = parseGo(layout, p.str('enddate'));
    const ms = intBetween(fk, start, end);
    return formatGo(ms, (((ms % 1000) + 1000) % 1000) * 1e6, layout);
  }),
  day: gen('time', 'number', (fk) => intBetween(fk, 1, 31)),
  hour: gen('time', 'number', (fk) => intBetween(fk, 0, 23)),
  minute: gen('time', 'number', (fk) => intBetween(fk, 0, 59)),
  second: gen('time', 'number', (fk) => intBetween(fk, 0, 59)),
  nanosecond: gen('time', 'number', (fk) => intBetween(fk, 0, 999_999_999)),
  // The extension declares a string but returns the month's number.
  month: gen('time', 'number', (fk) => intBetween(fk, 1, 12)),
  monthString: gen('time', 'string', (fk) => pick(fk, MONTH_NAMES)),
  weekday: gen('time', 'string', (fk) => pick(fk, WEEKDAYS)),
  year: gen('time', 'number', (fk) => intBetween(fk, 1900, new Date().getUTCFullYear())),
  futureTime: gen('time', 'string', (fk) => shifted(fk, 1)),
  pastTime: gen('time', 'string', (fk) => shifted(fk, -1)),
  timezone: gen('time', 'string', (fk) => pick(fk, ZONES)[0]),
  timezoneAbbreviation: gen('time', 'string', (fk) => pick(fk, ZONES)[1]),
  timezoneFull: gen('time', 'string', (fk) => pick(fk, ZONES)[2]),
  timezoneOffset: gen('time', 'number', (fk) => pick(fk, ZONES)[3]),
  timezoneRegion: gen('time', 'string', (fk) => fk.location.timeZone()),
};
