import { goTypeName } from '../vu/go-error.ts';

// k6's types.GetDurationValue, which reads k6/http's `timeout` param: a number is milliseconds, a
// string is ParseExtendedDuration's (a bare float is milliseconds, a leading whole number of days
// `Nd` may precede a Go duration, anything else is Go's time.ParseDuration), and any other value is
// refused naming its Go type. Errors carry Go's words (`time: invalid duration "abc"`).

const GO_UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's quoting of a string in its error texts (strconv.Quote, for the printable text scripts use). */
const quote = (s: string): string => JSON.stringify(s);

/** Go's time.ParseDuration, in milliseconds. */
function goParseDuration(orig: string): number {
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw new Error(`time: invalid duration ${quote(orig)}`);
  let total = 0;
  while (s !== '') {
    const num = /^(\d*)(?:\.(\d*))?/.exec(s) as RegExpExecArray;
    const whole = num[1] as string;
    const frac = num[2];
    if (whole === '' && (frac === undefined || frac === '')) throw new Error(`time: invalid duration ${quote(orig)}`);
    s = s.slice(num[0].length);
    let i = 0;
    while (i < s.length && s[i] !== '.' && !(s[i]! >= '0' && s[i]! <= '9')) i++;
    if (i === 0) throw new Error(`time: missing unit in duration ${quote(orig)}`);
    const unit = s.slice(0, i);
    s = s.slice(i);
    const ms = GO_UNIT_MS[unit];
    if (ms === undefined) throw new Error(`time: unknown unit ${quote(unit)} in duration ${quote(orig)}`);
    total += Number(`${whole === '' ? '0' : whole}.${frac ?? ''}0`) * ms;
  }
  return neg ? -total : total;
}

const GO_FLOAT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i;

/** k6's types.ParseExtendedDuration, in milliseconds. */
export function parseExtendedDuration(data: string): number {
  if (GO_FLOAT.test(data)) return Number(data.replace(/^([+-]?)inf$/i, '$1Infinity').replace(/^([+-]?)infinity$/i, '$1Infinity'));
  const dPos = data.indexOf('d');
  if (dPos < 0) return goParseDuration(data);
  let hours = 0;
  if (dPos + 1 < data.length) {
    hours = goParseDuration(data.slice(dPos + 1));
    if (hours < 0) throw new Error(`invalid time format '${data.slice(dPos + 1)}'`);
  }
  const daysText = data.slice(0, dPos);
  if (!/^[+-]?\d+$/.test(daysText)) throw new Error(`strconv.ParseInt: parsing ${quote(daysText)}: invalid syntax`);
  const days = Number(daysText);
  return days * 86_400_000 + (days < 0 ? -hours : hours);
}

/** k6's types.GetDurationValue, in milliseconds (NaN or ±Infinity: a deadline already passed, as Go converts them). */
export function getDurationValue(v: unknown): number {
  if (typeof v === 'string') return parseExtendedDuration(v);
  if (typeof v === 'number') return v;
  throw new Error(`unable to use type ${goTypeName(v)} as a duration value`);
}
