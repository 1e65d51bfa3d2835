// k6 durations: Go-style strings ("1m30s", "500ms", "1.5h", with k6's "d" extension) or bare numbers,
// which count as milliseconds (k6 lib/types/types.go). Values are returned in milliseconds.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000,
};

// Grammar: [sign] (number unit)+ | number   — e.g. "2h45m", "-1.5s", "300".
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/y;

/** Parses a k6 duration; throws a RangeError naming the bad input. */
export function parseDuration(input: unknown): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new RangeError(`invalid duration ${String(input)}`);
    return input;
  }
  if (typeof input !== 'string') throw new RangeError(`invalid duration ${JSON.stringify(input)}: expected a string or a number`);
  const text = input.trim();
  if (text === '') throw new RangeError('invalid duration "": empty');
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return Number(text);
  let pos = 0;
  let sign = 1;
  if (text[0] === '-' || text[0] === '+') {
    sign = text[0] === '-' ? -1 : 1;
    pos = 1;
  }
  if (text.slice(pos) === '0') return 0;
  let total = 0;
  let matched = false;
  while (pos < text.length) {
    PART.lastIndex = pos;
    const m = PART.exec(text);
    if (!m) throw new RangeError(`invalid duration "${input}"`);
    // k6's days are a whole number leading the value ("1d2h"; not "2.1d" nor "2h1d").
    if (m[2] === 'd' && (matched || !/^\d+$/.test(m[1] as string))) throw new RangeError(`invalid duration "${input}"`);
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    pos = PART.lastIndex;
    matched = true;
  }
  if (!matched) throw new RangeError(`invalid duration "${input}"`);
  return sign * total;
}

/**
 * Formats milliseconds the way k6 prints durations: Go's time.Duration String() ("1m30s", "10m30s",
 * "1h0m0s", "500ms", "500µs", "1.2345678s", "1ns"), of the whole nanoseconds the value holds.
 */
export function formatDuration(ms: number): string {
  return goDurationString(wholeNanoseconds(ms));
}

/**
 * Milliseconds as Go's integer nanoseconds. A value parsed from "1.2345678s" is 1234.5678 ms only up to
 * float rounding: within a few ulps of a whole nanosecond it is that nanosecond; otherwise the fraction
 * is dropped, as Go truncates (time.ParseDuration, and k6's `time.Duration(ms * float64(time.Millisecond))`).
 */
function wholeNanoseconds(ms: number): bigint {
  const ns = ms * 1e6;
  if (!Number.isFinite(ns)) return 0n;
  const nearest = Math.round(ns);
  return BigInt(Math.abs(ns - nearest) <= Math.abs(ns) * 4 * Number.EPSILON ? nearest : Math.trunc(ns));
}

/** Go's time.Duration.String() of `ns` nanoseconds. */
function goDurationString(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  const u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    // Under a second: the largest unit below it, with up to 0, 3 or 6 fraction digits.
    const [prec, unit] = u < 1000n ? [0, 'ns'] : u < 1_000_000n ? [3, 'µs'] : [6, 'ms'];
    const [int, frac] = splitFraction(u, prec);
    out = `${int}${frac}${unit}`;
  } else {
    const [secs, frac] = splitFraction(u, 9);
    out = `${secs % 60n}${frac}s`;
    const mins = secs / 60n;
    if (mins > 0n) {
      out = `${mins % 60n}m${out}`;
      const hours = mins / 60n;
      if (hours > 0n) out = `${hours}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** Go's fmtFrac: `v / 10^prec` and the fraction as ".ddd" without trailing zeros ("" when none). */
function splitFraction(v: bigint, prec: number): [bigint, string] {
  let digits = '';
  let rest = v;
  for (let i = 0; i < prec; i++) {
    const d = rest % 10n;
    if (digits !== '' || d !== 0n) digits = `${d}${digits}`;
    rest /= 10n;
  }
  return [rest, digits === '' ? '' : `.${digits}`];
}
