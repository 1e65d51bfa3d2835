import { Response } from '../http/response.ts';

// setup()'s value as k6 hands it on: json.Marshal of sobek's Export() of the value (internal/js
// runner.go Setup), not JSON.stringify. The two differ where Go sees another type than JavaScript's
// JSON does: a function anywhere is `json: unsupported type: func(sobek.FunctionCall) sobek.Value`
// (JSON.stringify drops it), NaN and ±Infinity are `json: unsupported value: NaN` (not null), a key
// holding undefined is kept as null (not dropped), a Map is the [][2]interface{} of its entries, a Set
// the array of its values, a BigInt a number, a Uint8Array the base64 string of a []byte, a Date
// Go's RFC 3339 time. Keys keep their order (k6's VUs see a Go map's, which has none).

export class SetupDataJsonError extends Error {}

const FUNC_TYPE = 'func(sobek.FunctionCall) sobek.Value';

function goFloat(n: number): string {
  if (Number.isNaN(n)) throw new SetupDataJsonError('json: unsupported value: NaN');
  if (!Number.isFinite(n)) throw new SetupDataJsonError(`json: unsupported value: ${n > 0 ? '+Inf' : '-Inf'}`);
  return JSON.stringify(n);
}

/** Go's time.Time MarshalJSON (RFC 3339 with the nanoseconds it has, trailing zeros cut), in UTC. */
function goTime(d: Date): string {
  const ms = d.getTime();
  if (Number.isNaN(ms)) return '"0001-01-01T00:00:00Z"';
  const iso = d.toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return JSON.stringify(`${iso.slice(0, 19)}${frac === '' ? '' : `.${frac}`}Z`);
}

const classOf = (v: object): string => Object.prototype.toString.call(v).slice(8, -1);

function marshal(v: unknown, seen: Set<object>): string {
  if (v === undefined || v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return goFloat(v);
    case 'bigint':
      return v.toString();
    case 'function':
      throw new SetupDataJsonError(`json: unsupported type: ${FUNC_TYPE}`);
    case 'symbol':
      return '{}';
    default:
      break;
  }
  const o = v as object;
  if (seen.has(o)) throw new SetupDataJsonError(`json: unsupported value: encountered a cycle via ${Array.isArray(o) ? '[]interface {}' : 'map[string]interface {}'}`);
  seen.add(o);
  try {
    if (o instanceof Response) return marshal(o.toJSON(), seen);
    const cls = classOf(o);
    if (Array.isArray(o)) {
      const items: string[] = [];
      for (let i = 0; i < o.length; i++) items.push(marshal(o[i], seen));
      return `[${items.join(',')}]`;
    }
    if (cls === 'Date') return goTime(o as Date);
    if (cls === 'Map') return `[${Array.from(o as Map<unknown, unknown>, ([k, val]) => `[${marshal(k, seen)},${marshal(val, seen)}]`).join(',')}]`;
    if (cls === 'Set') return `[${Array.from(o as Set<unknown>, (val) => marshal(val, seen)).join(',')}]`;
    if (cls === 'ArrayBuffer') return '{}';
    if (ArrayBuffer.isView(o) && cls !== 'DataView') {
      if (cls === 'Uint8Array' || cls === 'Uint8ClampedArray') return JSON.stringify(Buffer.from(o.buffer, o.byteOffset, o.byteLength).toString('base64'));
      return `[${Array.from(o as unknown as ArrayLike<number | bigint>, (x) => (typeof x === 'bigint' ? x.toString() : goFloat(x))).join(',')}]`;
    }
    const record = o as Record<string, unknown>;
    return `{${Object.keys(record).map((k) => `${JSON.stringify(k)}:${marshal(record[k], seen)}`).join(',')}}`;
  } finally {
    seen.delete(o);
  }
}

/** The JSON k6 would make of setup()'s value (not undefined: k6 keeps no data then). */
export function setupDataJson(value: unknown): string {
  return marshal(value, new Set());
}
