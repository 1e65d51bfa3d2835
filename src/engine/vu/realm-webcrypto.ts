// The global `crypto` of the script realm: Node's Web Crypto, adapted to a realm of its own.
//
// Node's SubtleCrypto checks an ArrayBuffer argument against its own realm's ArrayBuffer.prototype, so
// `crypto.subtle.encrypt(alg, key, new ArrayBuffer(8))` from a script failed with "is not instance of
// ArrayBuffer" (typed arrays and DataViews pass: their check is realm-agnostic). Every argument, and
// the buffers inside algorithm dictionaries (iv, salt, info, label, counter, additionalData…), is
// handed over as a view of the script's buffer.
//
// Results come back as values of the script's realm, as k6's do: an ArrayBuffer of the realm
// (`instanceof ArrayBuffer`), a JWK as a plain realm object, a promise of the realm's Promise, and keys
// as instances of `crypto.CryptoKey` whose type, extractable, algorithm and usages are own enumerable
// properties, so `JSON.stringify(key)` shows them as k6's do (its CryptoKey is a Go struct whose
// fields are properties; Node's keys keep them in prototype getters, which JSON.stringify skips). Each
// such key stands for a Node key, handed back to Node when the script passes it in.
import vm from 'node:vm';
import { webcrypto } from 'node:crypto';
import { types } from 'node:util';

export interface CryptoRealm {
  readonly context: vm.Context;
  readonly Promise: PromiseConstructor;
  arrayBuffer(bytes: Uint8Array): ArrayBuffer;
  uint8Array(bytes: Uint8Array): Uint8Array;
  parseJson(text: string): unknown;
}

const subtle = webcrypto.subtle;

/** CryptoKey (its class is not exported by node:crypto on Node 20; its toStringTag is). */
function isNodeCryptoKey(v: unknown): v is webcrypto.CryptoKey {
  return typeof v === 'object' && v !== null && Object.prototype.toString.call(v) === '[object CryptoKey]';
}

/** The rest of k6's ImplementationError for an RSA-PSS salt length of 0 (its message lacks a space after "support"). */
const PSS_ZERO_SALT = {
  sign: 'generates salt with maximum length . Sign result might be different.',
  verify: 'tries to auto-detect salt length if 0 is used. Verify result might be different.',
} as const;

/** The algorithm's members in the order k6's Go structs declare them (name first, hash before length for HMAC). */
const ALGORITHM_ORDER = ['name', 'namedCurve', 'modulusLength', 'publicExponent', 'hash', 'length'];

export function realmWebCrypto(realm: CryptoRealm): object {
  // The realm's CryptoKey: not constructible by scripts, instances made by the adapter only.
  const RealmCryptoKey = vm.runInContext(
    `(class CryptoKey {
      constructor() { throw new TypeError('Illegal constructor'); }
      get [Symbol.toStringTag]() { return 'CryptoKey'; }
    })`,
    realm.context,
  ) as { prototype: object };
  const toNode = new WeakMap<object, webcrypto.CryptoKey>();
  const toRealm = new WeakMap<webcrypto.CryptoKey, object>();

  const realmCopy = (v: unknown): unknown => {
    if (types.isArrayBuffer(v)) return realm.arrayBuffer(new Uint8Array(v));
    if (types.isUint8Array(v)) return realm.uint8Array(v);
    if (Array.isArray(v)) return realm.parseJson(JSON.stringify(v));
    if (typeof v === 'object' && v !== null) {
      const out = realm.parseJson('{}') as Record<string, unknown>;
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).sort((a, b) => (ALGORITHM_ORDER.indexOf(a) + 1 || 99) - (ALGORITHM_ORDER.indexOf(b) + 1 || 99));
      for (const k of keys) out[k] = realmCopy(o[k]);
      return out;
    }
    return v;
  };

  const keyOf = (key: webcrypto.CryptoKey): object => {
    const known = toRealm.get(key);
    if (known !== undefined) return known;
    const k = Object.create(RealmCryptoKey.prototype) as object;
    const own = (name: string, value: unknown): void => {
      Object.defineProperty(k, name, { value, enumerable: true, writable: false, configurable: false });
    };
    own('type', key.type);
    own('extractable', key.extractable);
    own('algorithm', realmCopy(key.algorithm));
    own('usages', realmCopy([...key.usages]));
    toNode.set(k, key);
    toRealm.set(key, k);
    return k;
  };

  const result = (v: unknown): unknown => {
    if (isNodeCryptoKey(v)) return keyOf(v);
    if (types.isArrayBuffer(v)) return realm.arrayBuffer(new Uint8Array(v));
    if (typeof v === 'object' && v !== null && 'privateKey' in v && 'publicKey' in v) {
      const pair = v as { privateKey: webcrypto.CryptoKey; publicKey: webcrypto.CryptoKey };
      const out = realm.parseJson('{}') as Record<string, unknown>;
      // k6's CryptoKeyPair: privateKey, then publicKey.
      out.privateKey = keyOf(pair.privateKey);
      out.publicKey = keyOf(pair.publicKey);
      return out;
    }
    if (typeof v === 'object' && v !== null) return realmCopy(v); // a JWK
    return v;
  };

  const bufferToHost = (v: unknown): unknown => {
    if (typeof v === 'object' && v !== null) {
      const key = toNode.get(v);
      if (key !== undefined) return key;
    }
    return types.isArrayBuffer(v) && !(v instanceof ArrayBuffer) ? new Uint8Array(v) : v;
  };
  const isDictionary = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && !types.isArrayBufferView(v) && !types.isAnyArrayBuffer(v) && !toNode.has(v);
  const argToHost = (v: unknown): unknown => {
    if (!isDictionary(v)) return bufferToHost(v);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) out[key] = bufferToHost(v[key]);
    return out;
  };
  // Node names this one "InvalidAccessException" (exportKey of a key that is not extractable).
  const errorOf = (e: unknown): unknown =>
    e instanceof DOMException && e.name === 'InvalidAccessException' ? new DOMException(e.message, 'InvalidAccessError') : e;

  const adapt = <A extends unknown[]>(method: (...args: A) => Promise<unknown>) =>
    function (this: unknown, ...args: unknown[]): Promise<unknown> {
      return new realm.Promise((resolve, reject) => {
        let p: Promise<unknown>;
        try {
          p = method.apply(subtle, args.map(argToHost) as A) as Promise<unknown>;
        } catch (e) {
          reject(errorOf(e));
          return;
        }
        p.then((v) => resolve(result(v)), (e: unknown) => reject(errorOf(e)));
      });
    };
  // k6 signs RSA-PSS with Go's crypto/rsa, which reads a salt length of 0 as "the largest" (sign) or
  // "detect it" (verify), so k6 refuses 0 rather than give another result than the spec's. Node would
  // use an empty salt: refuse it as k6 does, once the key is of the right kind (k6 checks that first).
  const refusePssWithoutSalt = (op: 'sign' | 'verify', method: (...args: never[]) => Promise<unknown>) => {
    const adapted = adapt(method);
    return function (this: unknown, ...args: unknown[]): Promise<unknown> {
      const [algorithm, key] = args;
      const node = typeof key === 'object' && key !== null ? toNode.get(key) : undefined;
      if (isDictionary(algorithm) && String(algorithm.name).toUpperCase() === 'RSA-PSS' && 'saltLength' in algorithm &&
        Math.trunc(Number(algorithm.saltLength)) === 0 && node?.type === (op === 'sign' ? 'private' : 'public')) {
        return realm.Promise.reject(new DOMException(`k6 RSA-PSS uses standard Golang SDK that doesn't supportsalt length=0 but ${PSS_ZERO_SALT[op]}`, 'ImplementationError'));
      }
      return adapted.apply(this, args);
    };
  };
  const realmSubtle = {
    encrypt: adapt(subtle.encrypt),
    decrypt: adapt(subtle.decrypt),
    sign: refusePssWithoutSalt('sign', subtle.sign),
    verify: refusePssWithoutSalt('verify', subtle.verify),
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
    // k6 exposes the CryptoKey type on `crypto` (its WPT setup makes it the global CryptoKey).
    CryptoKey: RealmCryptoKey,
  };
}
