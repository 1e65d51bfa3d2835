import { parseGoDuration } from '../options/flag-values.ts';
import { goTypeName } from '../vu/go-error.ts';

// k6's types.GetDurationValue, which reads k6/http's `timeout` param: a number is milliseconds, a
// string is ParseExtendedDuration's (a bare float is milliseconds, a leading whole number of days
// `Nd` may precede a Go duration, anything else is Go's time.ParseDuration), and any other value is
// refused naming its Go type. Errors carry Go's words (`time: invalid duration "abc"`).

/** Go's quoting of a string in its error texts (strconv.Quote, for the printable text scripts use). */
const quote = (s: string): string => JSON.stringify(s);

const GO_FLOAT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i;

/** k6's types.ParseExtendedDuration, in milliseconds. */
export function parseExtendedDuration(data: string): number {
  if (GO_FLOAT.test(data)) return Number(data.replace(/^([+-]?)inf$/i, '$1Infinity').replace(/^([+-]?)infinity$/i, '$1Infinity'));
  const dPos = data.indexOf('d');
  if (dPos < 0) return parseGoDuration(data);
  let hours = 0;
  if (dPos + 1 < data.length) {
    hours = parseGoDuration(data.slice(dPos + 1));
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
