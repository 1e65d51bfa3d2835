// k6 modules accept strings (UTF-8), ArrayBuffers and typed arrays wherever they take "data".
export function toBytes(input: unknown, what = 'input'): Uint8Array {
  if (typeof input === 'string') return new TextEncoder().encode(input);
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new TypeError(`${what} must be a string, an ArrayBuffer or a typed array, got ${input === null ? 'null' : typeof input}`);
}

/** A fresh ArrayBuffer holding exactly these bytes (never a view on a larger pooled buffer). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
}
