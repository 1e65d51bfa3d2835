// The two pieces of the protobuf wire format the module writes by hand: base-128 varints and
// length-delimited fields (for messages it has no loaded type for: health checks, descriptor sets).

export function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** Field `n` with wire type 2 (bytes, strings, messages). */
export function lengthDelimited(n: number, bytes: Uint8Array): Buffer {
  return Buffer.concat([varint((n << 3) | 2), varint(bytes.length), bytes]);
}
