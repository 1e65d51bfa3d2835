// The global `crypto` of the script realm: Node's Web Crypto, adapted to a realm of its own.
//
// Node's SubtleCrypto checks an ArrayBuffer argument against its own realm's ArrayBuffer.prototype, so
// `crypto.subtle.encrypt(alg, key, new ArrayBuffer(8))` from a script failed with "is not instance of
// ArrayBuffer" (typed arrays and DataViews pass: their check is realm-agnostic). Every argument, and
// the buffers inside algorithm dictionaries (iv, salt, info, label, counter, additionalData…), is
// handed over as a view of the script's buffer; an ArrayBuffer result comes back as one of the
// script's realm, so `instanceof ArrayBuffer` holds as in k6.
import { webcrypto } from 'node:crypto';
import { types } from 'node:util';

export interface RealmBuffers {
  arrayBuffer(bytes: Uint8Array): ArrayBuffer;
}

const subtle = webcrypto.subtle;

function bufferToHost(v: unknown): unknown {
  return types.isArrayBuffer(v) && !(v instanceof ArrayBuffer) ? new Uint8Array(v) : v;
}

/** CryptoKey (its class is not exported by node:crypto on Node 20; its toStringTag is). */
function isCryptoKey(v: object): boolean {
  return Object.prototype.toString.call(v) === '[object CryptoKey]';
}

function isDictionary(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !types.isArrayBufferView(v) && !types.isAnyArrayBuffer(v) && !isCryptoKey(v);
}

function argToHost(v: unknown): unknown {
  if (!isDictionary(v)) return bufferToHost(v);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) out[key] = bufferToHost(v[key]);
  return out;
}

/** The `crypto` object scripts see: getRandomValues, randomUUID and a realm-aware `subtle`. */
export function realmWebCrypto(realm: RealmBuffers): object {
  const result = (value: unknown): unknown => (types.isArrayBuffer(value) ? realm.arrayBuffer(new Uint8Array(value)) : value);
  const adapt = <A extends unknown[]>(method: (...args: A) => Promise<unknown>) =>
    function (this: unknown, ...args: unknown[]): Promise<unknown> {
      return (method.apply(subtle, args.map(argToHost) as A) as Promise<unknown>).then(result);
    };
  const realmSubtle = {
    encrypt: adapt(subtle.encrypt),
    decrypt: adapt(subtle.decrypt),
    sign: adapt(subtle.sign),
    verify: adapt(subtle.verify),
    digest: adapt(subtle.digest),
    generateKey: adapt(subtle.generateKey),
    deriveKey: adapt(subtle.deriveKey),
    deriveBits: adapt(subtle.deriveBits),
    importKey: adapt(subtle.importKey),
    exportKey: adapt(subtle.exportKey),
    wrapKey: adapt(subtle.wrapKey),
    unwrapKey: adapt(subtle.unwrapKey),
  };
  return {
    subtle: realmSubtle,
    getRandomValues(array: Parameters<typeof webcrypto.getRandomValues>[0]): unknown {
      return webcrypto.getRandomValues(array);
    },
    randomUUID(): string {
      return webcrypto.randomUUID();
    },
  };
}
