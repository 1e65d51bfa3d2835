// Facts about protobufjs reflection types that the JSON mapping needs: a field's JSON name, whether a
// message is one of the well-known types protojson writes in a special form, and a registry of the
// message types a client loaded (for google.protobuf.Any).
import type * as Protobuf from 'protobufjs';

const WELL_KNOWN = new Set([
  'Any', 'Timestamp', 'Duration', 'Struct', 'Value', 'ListValue', 'FieldMask', 'Empty',
  'DoubleValue', 'FloatValue', 'Int64Value', 'UInt64Value', 'Int32Value', 'UInt32Value', 'BoolValue', 'StringValue', 'BytesValue',
]);

/** The short name of a google.protobuf well-known type with a special JSON form. */
export function wellKnownName(type: Protobuf.Type): string | undefined {
  const full = type.fullName;
  if (!full.startsWith('.google.protobuf.')) return undefined;
  const short = full.slice('.google.protobuf.'.length);
  return WELL_KNOWN.has(short) ? short : undefined;
}

/** protoc's json_name: an explicit `json_name` option, else the name with `_x` turned into `X`. */
export function jsonName(field: Protobuf.Field): string {
  const explicit = (field.options as Record<string, unknown> | undefined)?.json_name;
  if (typeof explicit === 'string') return explicit;
  let out = '';
  let upper = false;
  for (const ch of field.name) {
    if (ch === '_') {
      upper = true;
      continue;
    }
    out += upper ? ch.toUpperCase() : ch;
    upper = false;
  }
  return out;
}

export interface TypeResolver {
  /** A message type by its full name without the leading dot (`google.protobuf.Duration`). */
  lookupType(name: string): Protobuf.Type | undefined;
}

/** The message types of every root a client loaded, first found wins. */
export class LoadedTypes implements TypeResolver {
  readonly #roots: Protobuf.Root[] = [];

  add(root: Protobuf.Root): void {
    this.#roots.push(root);
  }

  lookupType(name: string): Protobuf.Type | undefined {
    for (const root of this.#roots) {
      const found = root.lookup(`.${name}`);
      if (found !== null && 'fieldsArray' in found) return found as Protobuf.Type;
    }
    return undefined;
  }
}
