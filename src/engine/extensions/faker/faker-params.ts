// How k6/x/faker turns a generator's JavaScript arguments into parameters: each argument becomes a
// list of strings (an array's elements, or the value's string form), a missing one takes the
// parameter's default, is left out when optional, and otherwise fails with a TypeError. Each
// generator then reads its parameters with the typed getters below, which fail with the texts of
// gofakeit's parsers (Go's strconv rules) as a GoError.
import { goError } from '../../vu/go-error.ts';

export type ParamType = 'int' | 'uint' | 'float' | 'bool' | 'string' | 'strings' | 'ints' | 'uints';

export interface ParamSpec {
  readonly field: string;
  readonly type: ParamType;
  /** The default as the extension lists it ("[6]" for a one-element list); a function when it is the day's date. */
  readonly def?: string | (() => string);
  readonly optional?: boolean;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const FLOAT32_MAX = 3.4028234663852886e38;

/** Go's strconv.ParseInt(s, 10, 64); undefined when it fails. */
export function parseGoInt(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : Number(n);
}

/** Go's strconv.ParseUint(s, 10, 64). */
export function parseGoUint(s: string): number | undefined {
  if (!/^\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n > UINT64_MAX ? undefined : Number(n);
}

/** Go's strconv.ParseFloat(s, bits): decimal or exponent forms, inf/infinity/nan in any case. */
export function parseGoFloat(s: string, bits: 32 | 64 = 64): number | undefined {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special !== null) {
    if (special[2]?.toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  const v = Number(s);
  const limit = bits === 32 ? FLOAT32_MAX : Number.MAX_VALUE;
  if (!Number.isFinite(v) || Math.abs(v) > limit) return undefined;
  return bits === 32 ? Math.fround(v) : v;
}

const GO_BOOLS: Readonly<Record<string, boolean>> = {
  1: true, t: true, T: true, TRUE: true, true: true, True: true,
  0: false, f: false, F: false, FALSE: false, false: false, False: false,
};

/** The parameters of one call, read the way gofakeit's Info getters read them. */
export class FakerParams {
  constructor(private readonly values: ReadonlyMap<string, readonly string[]>) {}

  private list(field: string): readonly string[] {
    const v = this.values.get(field);
    if (v === undefined) throw goError(`could not find field: ${field}`);
    return v;
  }

  private first(field: string): string {
    const v = this.list(field)[0];
    if (v === undefined) throw goError('runtime error: index out of range [0] with length 0');
    return v;
  }

  has(field: string): boolean {
    return this.values.has(field);
  }

  int(field: string): number {
    const v = parseGoInt(this.first(field));
    if (v === undefined) throw goError(`${field} field could not parse to int value`);
    return v;
  }

  uint(field: string): number {
    const v = parseGoUint(this.first(field));
    if (v === undefined) throw goError(`${field} field could not parse to int value`);
    return v;
  }

  float(field: string, bits: 32 | 64 = 64): number {
    const v = parseGoFloat(this.first(field), bits);
    if (v === undefined) throw goError(`${field} field could not parse to float value`);
    return v;
  }

  bool(field: string): boolean {
    const v = GO_BOOLS[this.first(field)];
    if (v === undefined) throw goError(`${field} field could not parse to bool value`);
    return v;
  }

  str(field: string): string {
    return this.first(field);
  }

  strs(field: string): string[] {
    return [...this.list(field)];
  }

  ints(field: string): number[] {
    return this.list(field).map((s) => {
      const v = parseGoInt(s);
      if (v === undefined) throw goError(`${s} value could not parse to int`);
      return v;
    });
  }

  uints(field: string): number[] {
    return this.list(field).map((s) => {
      const v = parseGoUint(s);
      if (v === undefined) throw goError(`${s} value could not parse to uint`);
      return v;
    });
  }
}

/**
 * A script value as the extension stringifies it: arrays element by element, null as no value at all
 * (sobek exports it as a nil list), anything else whole.
 */
function toStrings(v: unknown): string[] {
  if (v === null) return [];
  return Array.isArray(v) ? v.map((e) => String(e)) : [String(v)];
}

/** A default: a bracketed one ("[6]") is a list, as gofakeit's own lookups read it. */
function defaultStrings(def: string): string[] {
  return def.startsWith('[') && def.endsWith(']') ? def.slice(1, -1).split(',') : [def];
}

/** The call's arguments, in parameter order, as the generator's parameters. */
export function toParams(specs: readonly ParamSpec[], args: readonly unknown[]): FakerParams {
  const values = new Map<string, string[]>();
  specs.forEach((spec, i) => {
    const arg = args[i];
    if (arg === undefined) {
      if (spec.def !== undefined) values.set(spec.field, defaultStrings(typeof spec.def === 'function' ? spec.def() : spec.def));
      else if (!spec.optional) throw new TypeError(`missing parameter: ${spec.field}`);
      return;
    }
    values.set(spec.field, toStrings(arg));
  });
  return new FakerParams(values);
}
