// Protobuf messages to JSON values as k6 hands them to scripts: Go's protojson with EmitUnpopulated
// (lib/netext/grpcext/conn.go), then encoding/json back into plain values. Fields in declaration
// order under their JSON names (lowerCamelCase); unset scalars as their defaults, unset messages as
// null, empty lists and maps as [] and {}; unset oneof members (proto3 `optional` too) left out;
// 64-bit integers as decimal strings; enums by name (unknown numbers as numbers); bytes as standard
// base64; NaN and infinities as strings; the well-known types in their JSON forms.
import type * as Protobuf from 'protobufjs';
import { protobufLib } from './grpc-packages.ts';
import { jsonName, wellKnownName, type TypeResolver } from './proto-types.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export class ProtoJsonError extends Error {}

export function messageToJson(type: Protobuf.Type, msg: Record<string, unknown>, types: TypeResolver): Json {
  const wkt = wellKnownName(type);
  if (wkt !== undefined) return wellKnownToJson(wkt, type, msg, types);
  const out: Record<string, Json> = {};
  for (const field of type.fieldsArray) {
    const present = Object.prototype.hasOwnProperty.call(msg, field.name) && msg[field.name] !== null && msg[field.name] !== undefined;
    if (field.partOf !== null && !present) continue;
    out[jsonName(field)] = fieldToJson(field, present ? msg[field.name] : undefined, types);
  }
  return out;
}

function fieldToJson(field: Protobuf.Field, value: unknown, types: TypeResolver): Json {
  field.resolve();
  if (field.map) {
    const out: Record<string, Json> = {};
    if (value !== undefined && value !== null) {
      const keyType = (field as unknown as Protobuf.MapField).keyType;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[mapKeyToJson(keyType, k)] = singleToJson(field, v, types);
    }
    return out;
  }
  if (field.repeated) {
    return Array.isArray(value) ? value.map((v) => singleToJson(field, v, types)) : [];
  }
  if (value === undefined) return defaultJson(field);
  return singleToJson(field, value, types);
}

function mapKeyToJson(keyType: string, key: string): string {
  if (keyType.endsWith('64') && key.length === 8 && !/^-?\d+$/.test(key)) {
    // protobufjs keys 64-bit map entries by an 8-character hash of the value's bits.
    const util = protobufLib().util;
    return util.LongBits.fromHash(key).toLong(keyType.startsWith('u') || keyType === 'fixed64').toString();
  }
  return key;
}

function defaultJson(field: Protobuf.Field): Json {
  const rt = field.resolvedType;
  if (rt !== null && 'fieldsArray' in rt) return null;
  if (rt !== null) {
    const en = rt as Protobuf.Enum;
    if (en.fullName === '.google.protobuf.NullValue') return null;
    return en.valuesById[0] ?? 0;
  }
  switch (field.type) {
    case 'string':
    case 'bytes':
      return '';
    case 'bool':
      return false;
    case 'int64': case 'uint64': case 'sint64': case 'fixed64': case 'sfixed64':
      return '0';
    default:
      return 0;
  }
}

function singleToJson(field: Protobuf.Field, value: unknown, types: TypeResolver): Json {
  const rt = field.resolvedType;
  if (rt !== null && 'fieldsArray' in rt) return messageToJson(rt as Protobuf.Type, (value ?? {}) as Record<string, unknown>, types);
  if (rt !== null) {
    const en = rt as Protobuf.Enum;
    if (en.fullName === '.google.protobuf.NullValue') return null;
    const n = Number(value);
    return en.valuesById[n] ?? n;
  }
  return scalarToJson(field.type, value);
}

export function scalarToJson(type: string, value: unknown): Json {
  switch (type) {
    case 'double':
      return floatJson(Number(value));
    case 'float':
      return floatJson(float32Shortest(Number(value)));
    case 'int64': case 'uint64': case 'sint64': case 'fixed64': case 'sfixed64':
      return longText(value);
    case 'bool':
      return value === true;
    case 'string':
      return typeof value === 'string' ? value : '';
    case 'bytes':
      return value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') : '';
    default:
      return Number(value);
  }
}

function floatJson(n: number): Json {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return n;
}

/** The shortest decimal that reads back as the same float32 (Go formats float fields with bitSize 32). */
function float32Shortest(n: number): number {
  if (!Number.isFinite(n) || n === 0) return n;
  const f = Math.fround(n);
  for (let p = 1; p <= 9; p++) {
    const c = Number(f.toPrecision(p));
    if (Math.fround(c) === f) return c;
  }
  return f;
}

export function longText(value: unknown): string {
  if (value === undefined || value === null) return '0';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string') return String(value);
  return (value as { toString(): string }).toString();
}

function longNumber(value: unknown): bigint {
  return BigInt(longText(value));
}

function byId(type: Protobuf.Type, id: number): Protobuf.Field {
  const f = type.fieldsById[id];
  if (f === undefined) throw new ProtoJsonError(`${type.fullName.slice(1)} has no field ${id}`);
  return f;
}

function get(type: Protobuf.Type, msg: Record<string, unknown>, id: number): unknown {
  return msg[byId(type, id).name];
}

function wellKnownToJson(name: string, type: Protobuf.Type, msg: Record<string, unknown>, types: TypeResolver): Json {
  switch (name) {
    case 'Timestamp':
      return timestampText(longNumber(get(type, msg, 1)), Number(get(type, msg, 2) ?? 0));
    case 'Duration':
      return durationText(longNumber(get(type, msg, 1)), Number(get(type, msg, 2) ?? 0));
    case 'Struct': {
      const out: Record<string, Json> = {};
      const fields = (get(type, msg, 1) ?? {}) as Record<string, Record<string, unknown>>;
      const valueType = byId(type, 1).resolvedType as Protobuf.Type;
      for (const [k, v] of Object.entries(fields)) out[k] = messageToJson(valueType, v, types);
      return out;
    }
    case 'ListValue': {
      const values = (get(type, msg, 1) ?? []) as Record<string, unknown>[];
      const valueType = byId(type, 1).resolvedType as Protobuf.Type;
      return values.map((v) => messageToJson(valueType, v, types));
    }
    case 'Value': {
      for (const f of type.fieldsArray) {
        const v = msg[f.name];
        if (v === undefined || v === null || !Object.prototype.hasOwnProperty.call(msg, f.name)) continue;
        f.resolve();
        if (f.id === 1) return null;
        if (f.id === 2) {
          const n = Number(v);
          if (!Number.isFinite(n)) throw new ProtoJsonError(`google.protobuf.Value: invalid ${String(n)} value`);
          return n;
        }
        return singleToJson(f, v, types);
      }
      throw new ProtoJsonError('google.protobuf.Value: none of the oneof fields is set');
    }
    case 'FieldMask': {
      const paths = (get(type, msg, 1) ?? []) as string[];
      return paths.map((p) => p.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())).join(',');
    }
    case 'Empty':
      return {};
    case 'Any':
      return anyToJson(type, msg, types);
    default: {
      // The wrappers: the value field's JSON.
      const f = byId(type, 1);
      const v = get(type, msg, 1);
      return v === undefined || v === null ? defaultJson(f) : singleToJson(f, v, types);
    }
  }
}

function anyToJson(type: Protobuf.Type, msg: Record<string, unknown>, types: TypeResolver): Json {
  const url = String(get(type, msg, 1) ?? '');
  const value = get(type, msg, 2);
  return url === '' ? {} : anyJson(url, value instanceof Uint8Array ? value : new Uint8Array(), types);
}

/** A google.protobuf.Any's JSON from its type URL and value; throws when the type is not loaded. */
export function anyJson(url: string, value: Uint8Array, types: TypeResolver): Json {
  const inner = types.lookupType(url.slice(url.lastIndexOf('/') + 1));
  if (inner === undefined) throw new ProtoJsonError(`unable to resolve "${url}": "not found"`);
  const decoded = inner.decode(value) as unknown as Record<string, unknown>;
  const json = messageToJson(inner, decoded, types);
  if (wellKnownName(inner) !== undefined) return { '@type': url, value: json };
  return { '@type': url, ...(json as Record<string, Json>) };
}

function fraction(nanos: number): string {
  if (nanos === 0) return '';
  let s = String(nanos).padStart(9, '0');
  if (s.endsWith('000000')) s = s.slice(0, 3);
  else if (s.endsWith('000')) s = s.slice(0, 6);
  return `.${s}`;
}

function timestampText(seconds: bigint, nanos: number): string {
  const ms = Number(seconds) * 1000;
  const iso = new Date(ms).toISOString(); // 1970-01-01T00:00:00.000Z
  if (Number.isNaN(Date.parse(iso))) throw new ProtoJsonError('google.protobuf.Timestamp: seconds out of range');
  return `${iso.slice(0, 19)}${fraction(nanos)}Z`;
}

function durationText(seconds: bigint, nanos: number): string {
  const negative = seconds < 0n || nanos < 0;
  const s = seconds < 0n ? -seconds : seconds;
  return `${negative ? '-' : ''}${s.toString()}${fraction(Math.abs(nanos))}s`;
}
