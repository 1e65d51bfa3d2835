// How script values become Redis command arguments, and replies become script values, as they do
// through sobek and go-redis in xk6-redis: Go `string` and `int` parameters convert any value (undefined
// and null give "" and 0), value parameters take only strings, numbers and booleans (go-redis writes
// integers in decimal, other numbers as strconv 'f' -1, booleans as 1/0), and replies keep go-redis'
// result types (integers, strings, booleans for EXPIRE and friends, null for missing MGET values).

/** A Go `string` parameter: sobek gives "" for undefined and null, else the value's string form. */
export function goString(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** A Go `int`/`int64` parameter (sobek's ToInteger, saturated to int64): undefined, null and NaN give 0. */
export function goInt(v: unknown): bigint {
  if (v === undefined || v === null) return 0n;
  let n: number;
  try {
    n = typeof v === 'bigint' ? Number(v) : Number(v);
  } catch {
    return 0n;
  }
  if (Number.isNaN(n)) return 0n;
  if (n === Infinity) return INT64_MAX;
  if (n === -Infinity) return INT64_MIN;
  const i = BigInt(Math.trunc(n));
  return i > INT64_MAX ? INT64_MAX : i < INT64_MIN ? INT64_MIN : i;
}

/** A value argument's wire form, or undefined when xk6-redis refuses its type. */
export function valueArg(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') return goNumber(v);
  return undefined;
}

/** A number as go-redis writes what sobek exported: int64 for integers that fit, else float64 in 'f' format. */
export function goNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  if (Number.isInteger(n) && !Object.is(n, -0) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  return plainDecimal(n);
}

/** The shortest round-tripping digits of `n` without an exponent (Go's FormatFloat(n, 'f', -1, 64)). */
function plainDecimal(n: number): string {
  const text = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (m === null) return Object.is(n, -0) ? '-0' : text;
  const sign = m[1] ?? '';
  const digits = (m[2] ?? '') + (m[3] ?? '');
  const exp = Number(m[4]);
  const point = 1 + exp; // position of the decimal point within `digits`
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * The wire form of value arguments, or the extension's error for the first one of an unsupported type;
 * `offset` is the position of the first of them among the method's arguments.
 */
export function valueArgs(values: readonly unknown[], offset: number): string[] | { error: string } {
  const out: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const arg = valueArg(values[i]);
    if (arg === undefined) {
      return { error: `unsupported type provided for argument at index ${i + offset}, supported types are string, number, and boolean` };
    }
    out.push(arg);
  }
  return out;
}

/** A reply as ioredis' parser gives it with buffers: Buffers, numbers, null, arrays of those, reply errors. */
export type RawReply = Buffer | string | number | null | Error | RawReply[];

/** A bulk or status reply as text; nil stays null. */
export function replyText(r: RawReply): string | null {
  if (r === null) return null;
  if (Buffer.isBuffer(r)) return r.toString('utf8');
  if (typeof r === 'string') return r;
  if (typeof r === 'number') return String(r);
  return null;
}

export function replyNumber(r: RawReply): number {
  if (typeof r === 'number') return r;
  const t = replyText(r);
  return t === null ? 0 : Number(t);
}

export function replyTexts(r: RawReply): Array<string | null> {
  return Array.isArray(r) ? r.map(replyText) : [];
}
