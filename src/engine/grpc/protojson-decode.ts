// JSON values (the script's request object, after k6's JSON round trip) to the objects protobufjs
// encodes, by Go's protojson.Unmarshal rules: fields by JSON or proto name (an unknown one is an
// error), null for "unset", integers from numbers or decimal strings, 64-bit ones as Long, enums by
// name or number, bytes from standard or URL-safe base64, "NaN"/"Infinity" for floats, and the
// well-known types from their JSON forms.
import type * as Protobuf from 'protobufjs';
import { longLib } from './grpc-packages.ts';
import { ProtoJsonError } from './protojson-encode.ts';
import { jsonName, wellKnownName, type TypeResolver } from './proto-types.ts';

type Obj = Record<string, unknown>;

function describe(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
}

function invalid(kind: string, field: Protobuf.Field | undefined, v: unknown): ProtoJsonError {
  const where = field === undefined ? kind : `${kind} field ${field.name}`;
  return new ProtoJsonError(`proto: invalid value for ${where}: ${describe(v)}`);
}

export function messageFromJson(type: Protobuf.Type, json: unknown, types: TypeResolver): Obj {
  const wkt = wellKnownName(type);
  if (wkt !== undefined) return wellKnownFromJson(wkt, type, json, types);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ProtoJsonError(`proto: unexpected token ${describe(json)}`);
  }
  const out: Obj = {};
  const seen = new Set<string>();
  for (const [key, value] of Object.entries(json as Obj)) {
    const field = fieldByKey(type, key);
    if (field === undefined) throw new ProtoJsonError(`proto: unknown field ${JSON.stringify(key)}`);
    if (seen.has(field.name)) throw new ProtoJsonError(`proto: duplicate field ${JSON.stringify(key)}`);
    seen.add(field.name);
    field.resolve();
    if (value === null && !isValueType(field)) continue;
    if (field.partOf !== null) {
      const other = field.partOf.fieldsArray.find((f) => f !== field && out[f.name] !== undefined);
      if (other !== undefined && field.partOf.name.startsWith('_') === false) {
        throw new ProtoJsonError(`proto: error parsing ${JSON.stringify(key)}, oneof ${field.partOf.name} is already set`);
      }
    }
    out[field.name] = fieldFromJson(field, value, types);
  }
  return out;
}

function isValueType(field: Protobuf.Field): boolean {
  const rt = field.resolvedType;
  return rt !== null && (rt.fullName === '.google.protobuf.Value' || rt.fullName === '.google.protobuf.NullValue');
}

function fieldByKey(type: Protobuf.Type, key: string): Protobuf.Field | undefined {
  const direct = type.fields[key];
  if (direct !== undefined) return direct;
  return type.fieldsArray.find((f) => jsonName(f) === key);
}

function fieldFromJson(field: Protobuf.Field, value: unknown, types: TypeResolver): unknown {
  if (field.map) {
    if (value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw invalid('map', field, value);
    const out: Obj = {};
    const keyType = (field as unknown as Protobuf.MapField).keyType;
    for (const [k, v] of Object.entries(value as Obj)) {
      out[mapKey(keyType, k, field)] = singleFromJson(field, v, types);
    }
    return out;
  }
  if (field.repeated) {
    if (value === null) return [];
    if (!Array.isArray(value)) throw invalid('list', field, value);
    return value.map((v) => singleFromJson(field, v, types));
  }
  return singleFromJson(field, value, types);
}

function mapKey(keyType: string, key: string, field: Protobuf.Field): string {
  if (keyType === 'string') return key;
  if (keyType === 'bool') {
    if (key !== 'true' && key !== 'false') throw invalid('map key', field, key);
    return key;
  }
  return String(scalarFromJson(keyType, key, field));
}

function singleFromJson(field: Protobuf.Field, value: unknown, types: TypeResolver): unknown {
  const rt = field.resolvedType;
  if (rt !== null && 'fieldsArray' in rt) return messageFromJson(rt as Protobuf.Type, value, types);
  if (rt !== null) return enumFromJson(rt as Protobuf.Enum, value, field);
  return scalarFromJson(field.type, value, field);
}

function enumFromJson(en: Protobuf.Enum, value: unknown, field: Protobuf.Field): number {
  if (en.fullName === '.google.protobuf.NullValue') return 0;
  if (typeof value === 'string') {
    const n = en.values[value];
    if (n === undefined) throw invalid('enum', field, value);
    return n;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= -2147483648 && value <= 2147483647) return value;
  throw invalid('enum', field, value);
}

const INT_RE = /^-?\d+(\.0*)?([eE][+-]?\d+)?$/;

function integerText(value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || !Number.isInteger(value)) return undefined;
    return BigInt(value).toString();
  }
  if (typeof value === 'string') {
    const t = value;
    if (t !== t.trim() || !INT_RE.test(t)) return undefined;
    const n = Number(t);
    if (!/[.eE]/.test(t)) return BigInt(t).toString();
    return Number.isInteger(n) && Number.isSafeInteger(n) ? String(n) : undefined;
  }
  return undefined;
}

const RANGES: Record<string, readonly [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};

export function scalarFromJson(type: string, value: unknown, field?: Protobuf.Field): unknown {
  switch (type) {
    case 'double':
    case 'float': {
      if (typeof value === 'number') return value;
      if (value === 'NaN') return NaN;
      if (value === 'Infinity') return Infinity;
      if (value === '-Infinity') return -Infinity;
      if (typeof value === 'string' && value.trim() === value && value !== '' && Number.isFinite(Number(value))) return Number(value);
      throw invalid(type, field, value);
    }
    case 'bool':
      if (typeof value !== 'boolean') throw invalid(type, field, value);
      return value;
    case 'string':
      if (typeof value !== 'string') throw invalid(type, field, value);
      return value;
    case 'bytes': {
      if (typeof value !== 'string' || !/^[A-Za-z0-9+/\-_]*={0,2}$/.test(value)) throw invalid(type, field, value);
      return Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    }
    default: {
      const range = RANGES[type];
      const text = integerText(value);
      if (range === undefined || text === undefined) throw invalid(type, field, value);
      const n = BigInt(text);
      if (n < range[0] || n > range[1]) throw invalid(type, field, value);
      if (!type.endsWith('64')) return Number(n);
      return longLib().fromString(text, type === 'uint64' || type === 'fixed64');
    }
  }
}

function byId(type: Protobuf.Type, id: number): Protobuf.Field {
  const f = type.fieldsById[id];
  if (f === undefined) throw new ProtoJsonError(`${type.fullName.slice(1)} has no field ${id}`);
  f.resolve();
  return f;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const DURATION = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/;

function nanosOf(frac: string | undefined): number {
  return frac === undefined || frac === '' ? 0 : Number(frac.padEnd(9, '0'));
}

function wellKnownFromJson(name: string, type: Protobuf.Type, json: unknown, types: TypeResolver): Obj {
  const full = type.fullName.slice(1);
  const Long = longLib();
  switch (name) {
    case 'Timestamp': {
      const m = typeof json === 'string' ? RFC3339.exec(json) : null;
      const ms = m === null ? NaN : Date.parse(json as string);
      if (m === null || Number.isNaN(ms)) throw new ProtoJsonError(`proto: invalid ${full} value ${describe(json)}`);
      const nanos = nanosOf(m[7]?.slice(1));
      const seconds = Math.floor(ms / 1000);
      return { [byId(type, 1).name]: Long.fromNumber(seconds), [byId(type, 2).name]: nanos };
    }
    case 'Duration': {
      const m = typeof json === 'string' ? DURATION.exec(json) : null;
      if (m === null) throw new ProtoJsonError(`proto: invalid ${full} value ${describe(json)}`);
      const sign = m[1] === '-' ? -1 : 1;
      const seconds = Long.fromString(`${m[1] ?? ''}${m[2] ?? '0'}`);
      return { [byId(type, 1).name]: seconds, [byId(type, 2).name]: sign * nanosOf(m[3]) };
    }
    case 'Struct': {
      if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ProtoJsonError(`proto: invalid ${full} value ${describe(json)}`);
      const f = byId(type, 1);
      const valueType = f.resolvedType as Protobuf.Type;
      const fields: Obj = {};
      for (const [k, v] of Object.entries(json as Obj)) fields[k] = messageFromJson(valueType, v, types);
      return { [f.name]: fields };
    }
    case 'ListValue': {
      if (!Array.isArray(json)) throw new ProtoJsonError(`proto: invalid ${full} value ${describe(json)}`);
      const f = byId(type, 1);
      const valueType = f.resolvedType as Protobuf.Type;
      return { [f.name]: json.map((v) => messageFromJson(valueType, v, types)) };
    }
    case 'Value': {
      if (json === null) return { [byId(type, 1).name]: 0 };
      if (typeof json === 'number') return { [byId(type, 2).name]: json };
      if (typeof json === 'string') return { [byId(type, 3).name]: json };
      if (typeof json === 'boolean') return { [byId(type, 4).name]: json };
      if (Array.isArray(json)) return { [byId(type, 6).name]: messageFromJson(byId(type, 6).resolvedType as Protobuf.Type, json, types) };
      return { [byId(type, 5).name]: messageFromJson(byId(type, 5).resolvedType as Protobuf.Type, json, types) };
    }
    case 'FieldMask': {
      if (typeof json !== 'string') throw new ProtoJsonError(`proto: invalid ${full} value ${describe(json)}`);
      const paths = json === '' ? [] : json.split(',').map((p) => p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
      return { [byId(type, 1).name]: paths };
    }
    case 'Empty':
      if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ProtoJsonError(`proto: invalid ${full} value ${describe(json)}`);
      return {};
    case 'Any':
      return anyFromJson(type, json, types);
    default: {
      const f = byId(type, 1);
      return { [f.name]: scalarFromJson(f.type, json, f) };
    }
  }
}

function anyFromJson(type: Protobuf.Type, json: unknown, types: TypeResolver): Obj {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ProtoJsonError(`proto: invalid google.protobuf.Any value ${describe(json)}`);
  const { '@type': url, ...rest } = json as Obj;
  if (typeof url !== 'string' || url === '') throw new ProtoJsonError('proto: google.protobuf.Any: missing "@type" field');
  const inner = types.lookupType(url.slice(url.lastIndexOf('/') + 1));
  if (inner === undefined) throw new ProtoJsonError(`proto: unable to resolve ${JSON.stringify(url)}: "not found"`);
  const body = wellKnownName(inner) !== undefined ? messageFromJson(inner, rest.value, types) : messageFromJson(inner, rest, types);
  const bytes = inner.encode(body).finish();
  return { [byId(type, 1).name]: url, [byId(type, 2).name]: bytes };
}
