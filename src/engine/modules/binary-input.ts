// k6 modules accept strings (UTF-8), ArrayBuffers and typed arrays wherever they take "data".

import { goError, goTypeName } from '../vu/go-error.ts';

/**
 * An ArrayBuffer of any realm: scripts run in their own V8 context, so their ArrayBuffers (from
 * open(path, 'b'), `new ArrayBuffer`, b64decode) fail `instanceof ArrayBuffer` here.
 */
export function isArrayBuffer(v: unknown): v is ArrayBuffer {
  return v instanceof ArrayBuffer || Object.prototype.toString.call(v) === '[object ArrayBuffer]';
}

export function toBytes(input: unknown, what = 'input'): Uint8Array {
  if (typeof input === 'string') return new TextEncoder().encode(input);
  if (isArrayBuffer(input)) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new TypeError(`${what} must be a string, an ArrayBuffer or a typed array, got ${input === null ? 'null' : typeof input}`);
}

/**
 * The bytes of what k6's common.ToBytes takes (k6/crypto, k6/encoding): a string (UTF-8) or an
 * ArrayBuffer, and here any typed array too; anything else is k6's GoError naming the Go type.
 */
export function goBytes(input: unknown): Uint8Array {
  if (typeof input === 'string' || isArrayBuffer(input) || ArrayBuffer.isView(input)) return toBytes(input);
  throw goError(`invalid type ${goTypeName(input)}, expected string, []byte or ArrayBuffer`);
}

/** A fresh ArrayBuffer holding exactly these bytes (never a view on a larger pooled buffer). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
}

/**
 * Makes the ArrayBuffers and parsed JSON a module returns: the script realm's, so `instanceof
 * ArrayBuffer`, `instanceof Object` and `instanceof Array` hold in scripts, as in k6's one runtime.
 */
export interface BufferRealm {
  arrayBuffer(bytes: Uint8Array): ArrayBuffer;
  parseJson(text: string): unknown;
  /** A Uint8Array of the script's realm holding a copy of `bytes` (`instanceof Uint8Array` holds in scripts). */
  uint8Array?(bytes: Uint8Array): Uint8Array;
}

/** For callers without a script realm (unit tests): plain ArrayBuffers and objects of this realm. */
export const HOST_BUFFERS: BufferRealm = { arrayBuffer: toArrayBuffer, parseJson: (text) => JSON.parse(text) as unknown };
