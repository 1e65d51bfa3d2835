// Query arguments as database/sql receives them from k6: sobek exports each script value, then the
// default parameter converter keeps only driver values (integers, floats, bool, bytes, string, time,
// nil) and refuses the rest with its own message.
import { types } from 'node:util';

/** A value the drivers bind: what Go's driver.Value can hold. */
export type SqlArg = null | number | string | boolean | Date | Uint8Array;

/** sobek's Export() then database/sql's driver.DefaultParameterConverter, with Go's error text. */
export function toSqlArgs(values: readonly unknown[]): SqlArg[] {
  return values.map((v, i) => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
    if (types.isDate(v)) return v as Date;
    if (types.isUint8Array(v)) return v as Uint8Array;
    throw new Error(`sql: converting argument $${i + 1} type: unsupported type ${goKind(v)}`);
  });
}

/** The Go type (and its kind) sobek's Export() gives a value the converter refuses. */
function goKind(v: unknown): string {
  if (typeof v === 'bigint') return '*big.Int, a ptr';
  if (typeof v === 'function') return 'func(sobek.FunctionCall) sobek.Value, a func';
  if (typeof v === 'symbol') return '*sobek.Symbol, a ptr';
  if (types.isArrayBuffer(v)) return 'sobek.ArrayBuffer, a struct';
  if (Array.isArray(v)) return '[]interface {}, a slice';
  return 'map[string]interface {}, a map';
}
