// Exact rational numbers for execution segments: splitting work between instances must never lose or
// duplicate a VU or an iteration, so segment bounds are kept as reduced fractions of bigints.

export interface Rational {
  readonly num: bigint;
  readonly den: bigint; // always > 0, gcd(num, den) = 1
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function rat(num: bigint | number, den: bigint | number = 1n): Rational {
  let n = BigInt(num);
  let d = BigInt(den);
  if (d === 0n) throw new RangeError('zero denominator');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d) || 1n;
  return { num: n / g, den: d / g };
}

export const ZERO = rat(0);
export const ONE = rat(1);

export const add = (a: Rational, b: Rational): Rational => rat(a.num * b.den + b.num * a.den, a.den * b.den);
export const sub = (a: Rational, b: Rational): Rational => rat(a.num * b.den - b.num * a.den, a.den * b.den);
export const mul = (a: Rational, b: Rational): Rational => rat(a.num * b.num, a.den * b.den);
export const cmp = (a: Rational, b: Rational): number => {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};

/** Rounds half up, like k6's roundUp (used by ExecutionSegment.Scale). */
export function roundHalfUp(r: Rational): bigint {
  let q = r.num / r.den;
  let rem = r.num % r.den;
  if (rem < 0n) {
    q -= 1n;
    rem += r.den;
  }
  return rem * 2n >= r.den ? q + 1n : q;
}

/** k6's RatString: "1/4", or "1" when the denominator is 1. */
export function ratString(r: Rational): string {
  return r.den === 1n ? String(r.num) : `${r.num}/${r.den}`;
}

export function toNumber(r: Rational): number {
  return Number(r.num) / Number(r.den);
}

// Grammar (Go big.Rat SetString as k6 uses it): "a/b" | decimal with optional exponent ("0.25", "1e-1").
const FRACTION = /^([+-]?\d+)\/(\d+)$/;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses a fraction or decimal exactly; returns undefined for anything else. */
export function parseRational(text: string): Rational | undefined {
  const f = FRACTION.exec(text);
  if (f) {
    if (BigInt(f[2] as string) === 0n) return undefined;
    return rat(BigInt(f[1] as string), BigInt(f[2] as string));
  }
  const d = DECIMAL.exec(text);
  if (!d) return undefined;
  const intPart = d[2] ?? '';
  const fracPart = d[3] ?? '';
  if (intPart === '' && fracPart === '') return undefined;
  const exp = d[4] === undefined ? 0 : Number(d[4]);
  if (Math.abs(exp) > 1000) return undefined;
  let num = BigInt((intPart || '0') + fracPart);
  if (d[1] === '-') num = -num;
  const scale = exp - fracPart.length;
  return scale >= 0 ? rat(num * 10n ** BigInt(scale)) : rat(num, 10n ** BigInt(-scale));
}
