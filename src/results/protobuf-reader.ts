// A minimal protobuf wire-format reader (https://protobuf.dev/programming-guides/encoding/): enough to
// walk the few messages of k6's cloud metrics push without generated code. Fields are visited in wire
// order; unknown ones are skipped, as protobuf readers do.

export class ProtobufError extends Error {}

export type WireValue =
  | { wire: 0; value: number }
  | { wire: 1; view: DataView; at: number }
  | { wire: 2; bytes: Uint8Array }
  | { wire: 5; view: DataView; at: number };

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Reads a varint at `pos` as a JavaScript number (exact up to 2^53). */
function varint(buf: Uint8Array, pos: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let i = pos; i < buf.length && i < pos + 10; i++) {
    const b = buf[i] as number;
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return { value, next: i + 1 };
    scale *= 128;
  }
  throw new ProtobufError('protobuf: truncated or overlong varint');
}

/** Calls `visit(fieldNumber, value)` for each field of the message in `buf`. */
export function readFields(buf: Uint8Array, visit: (field: number, value: WireValue) => void): void {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  while (pos < buf.length) {
    const key = varint(buf, pos);
    pos = key.next;
    const field = Math.floor(key.value / 8);
    const wire = key.value % 8;
    if (field === 0) throw new ProtobufError('protobuf: field number 0');
    switch (wire) {
      case 0: {
        const v = varint(buf, pos);
        pos = v.next;
        visit(field, { wire: 0, value: v.value });
        break;
      }
      case 1:
        if (pos + 8 > buf.length) throw new ProtobufError('protobuf: truncated fixed64');
        visit(field, { wire: 1, view, at: pos });
        pos += 8;
        break;
      case 2: {
        const len = varint(buf, pos);
        pos = len.next;
        if (pos + len.value > buf.length) throw new ProtobufError('protobuf: truncated length-delimited field');
        visit(field, { wire: 2, bytes: buf.subarray(pos, pos + len.value) });
        pos += len.value;
        break;
      }
      case 5:
        if (pos + 4 > buf.length) throw new ProtobufError('protobuf: truncated fixed32');
        visit(field, { wire: 5, view, at: pos });
        pos += 4;
        break;
      default:
        throw new ProtobufError(`protobuf: unsupported wire type ${wire}`);
    }
  }
}

export function asString(v: WireValue): string {
  if (v.wire !== 2) throw new ProtobufError('protobuf: expected a string');
  return decoder.decode(v.bytes);
}

export function asBytes(v: WireValue): Uint8Array {
  if (v.wire !== 2) throw new ProtobufError('protobuf: expected an embedded message');
  return v.bytes;
}

export function asUint(v: WireValue): number {
  if (v.wire !== 0) throw new ProtobufError('protobuf: expected a varint');
  return v.value;
}

export function asDouble(v: WireValue): number {
  if (v.wire !== 1) throw new ProtobufError('protobuf: expected a double');
  return v.view.getFloat64(v.at, true);
}

/** A `repeated uint32`: packed (one length-delimited run of varints) or one varint per field. */
export function pushUints(v: WireValue, into: number[]): void {
  if (v.wire === 0) {
    into.push(v.value);
    return;
  }
  const bytes = asBytes(v);
  let pos = 0;
  while (pos < bytes.length) {
    const r = varint(bytes, pos);
    into.push(r.value);
    pos = r.next;
  }
}
