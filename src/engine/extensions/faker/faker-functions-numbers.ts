// Number generators (numbers, game, color): ranges behave as gofakeit's do (equal bounds give the
// bound, swapped bounds are put in order).
import { gen, genWith, pick, type FakerJs, type FakerTable } from './faker-function.ts';
import type { ParamSpec } from './faker-params.ts';

const FLOAT32_MIN = 1.401298464324817e-45;
const FLOAT32_MAX = 3.4028234663852886e38;

/** An integer in [min, max] (bounds in either order); beyond 2^53 as a double, as JavaScript sees Go's int64. */
export function intBetween(fk: FakerJs, min: number, max: number): number {
  if (min === max) return min;
  const [lo, hi] = min < max ? [min, max] : [max, min];
  if (Number.isSafeInteger(lo) && Number.isSafeInteger(hi)) return fk.number.int({ min: lo, max: hi });
  return Number(fk.number.bigInt({ min: BigInt(Math.round(lo)), max: BigInt(Math.round(hi)) }));
}

/** A float in [min, max) as gofakeit draws it: min + r * (max - min). */
function floatBetween(fk: FakerJs, min: number, max: number): number {
  if (min === max) return min;
  return fk.number.float() * (max - min) + min;
}

function hexOf(fk: FakerJs, bits: number): string {
  return `0x${fk.string.hexadecimal({ length: bits / 4, casing: 'lower', prefix: '' })}`;
}

const MIN_MAX_INT: readonly ParamSpec[] = [{ field: 'min', type: 'int' }, { field: 'max', type: 'int' }];
const MIN_MAX_FLOAT: readonly ParamSpec[] = [{ field: 'min', type: 'float' }, { field: 'max', type: 'float' }];

function ints(name: string, min: number, max: number): FakerTable {
  return { [name]: gen('numbers', 'number', (fk) => intBetween(fk, min, max)) };
}

export const NUMBER_FUNCTIONS: FakerTable = {
  boolean: gen('numbers', 'boolean', (fk) => fk.datatype.boolean()),
  ...ints('int8', -128, 127),
  ...ints('int16', -32768, 32767),
  ...ints('int32', -2147483648, 2147483647),
  ...ints('int64', -9223372036854775808, 9223372036854775807),
  ...ints('uint8', 0, 255),
  ...ints('uint16', 0, 65535),
  ...ints('uint32', 0, 4294967295),
  ...ints('uint64', 0, 18446744073709551615),
  number: genWith('numbers', 'number', [{ field: 'min', type: 'int', def: '-2147483648' }, { field: 'max', type: 'int', def: '2147483647' }],
    (fk, p) => intBetween(fk, p.int('min'), p.int('max'))),
  intRange: genWith('numbers', 'number', MIN_MAX_INT, (fk, p) => intBetween(fk, p.int('min'), p.int('max'))),
  uintRange: genWith('numbers', 'number', [{ field: 'min', type: 'uint', def: '0' }, { field: 'max', type: 'uint', def: '4294967295' }],
    (fk, p) => intBetween(fk, p.uint('min'), p.uint('max'))),
  float32: gen('numbers', 'number', (fk) => Math.fround(floatBetween(fk, FLOAT32_MIN, FLOAT32_MAX))),
  float32Range: genWith('numbers', 'number', MIN_MAX_FLOAT, (fk, p) => Math.fround(floatBetween(fk, p.float('min', 32), p.float('max', 32)))),
  float64: gen('numbers', 'number', (fk) => floatBetween(fk, Number.MIN_VALUE, Number.MAX_VALUE)),
  float64Range: genWith('numbers', 'number', MIN_MAX_FLOAT, (fk, p) => floatBetween(fk, p.float('min'), p.float('max'))),
  hexUint8: gen('numbers', 'string', (fk) => hexOf(fk, 8)),
  hexUint16: gen('numbers', 'string', (fk) => hexOf(fk, 16)),
  hexUint32: gen('numbers', 'string', (fk) => hexOf(fk, 32)),
  hexUint64: gen('numbers', 'string', (fk) => hexOf(fk, 64)),
  hexUint128: gen('numbers', 'string', (fk) => hexOf(fk, 128)),
  hexUint256: gen('numbers', 'string', (fk) => hexOf(fk, 256)),
  // An empty list gives 0, as in gofakeit.
  randomInt: genWith('numbers', 'number', [{ field: 'ints', type: 'ints' }], (fk, p) => {
    const list = p.ints('ints');
    return list.length === 0 ? 0 : pick(fk, list);
  }),
  randomUint: genWith('numbers', 'number', [{ field: 'uints', type: 'uints' }], (fk, p) => {
    const list = p.uints('uints');
    return list.length === 0 ? 0 : pick(fk, list);
  }),
  shuffleInts: genWith('numbers', 'number[]', [{ field: 'ints', type: 'ints' }], (fk, p) => fk.helpers.shuffle(p.ints('ints'))),

  dice: genWith('game', 'number[]', [{ field: 'numdice', type: 'uint', def: '1' }, { field: 'sides', type: 'uints', def: '[6]' }], (fk, p) => {
    const count = p.uint('numdice');
    const listed = p.uints('sides');
    const sides = listed.length === 0 ? [6] : listed;
    // gofakeit: numdice dice (0 gives none); a die the list does not cover has the first one's sides.
    return Array.from({ length: count }, (_, i) => intBetween(fk, 1, sides[i] ?? sides[0] ?? 6));
  }),

  color: gen('color', 'string', (fk) => fk.color.human().replace(/(^|\s)(\w)/g, (_m, sp: string, c: string) => c.toUpperCase()).replace(/\s/g, '')),
  hexColor: gen('color', 'string', (fk) => fk.color.rgb({ format: 'hex', casing: 'lower' })),
  rgbColor: gen('color', 'number[]', (fk) => [0, 0, 0].map(() => fk.number.int(255))),
  niceColors: gen('color', 'string[]', (fk) => Array.from({ length: 5 }, () => fk.color.rgb({ format: 'hex', casing: 'lower' }))),
  safeColor: gen('color', 'string', (fk) => pick(fk, SAFE_COLORS)),
};

const SAFE_COLORS = ['black', 'maroon', 'green', 'navy', 'olive', 'purple', 'teal', 'lime', 'blue', 'silver', 'gray', 'yellow', 'fuchsia', 'aqua', 'white'];
