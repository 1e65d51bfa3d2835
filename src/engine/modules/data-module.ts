// k6/data: SharedArray. The generator runs once per worker (the first VU to declare a name); every
// VU then reads the same JSON-encoded elements, parsed and deep-frozen on access, as in k6. Like k6's
// (a sobek DynamicArray) it is a real array to scripts: Array.isArray, length, indexing, iteration
// and every Array.prototype method (map, filter, slice, find…) work; writes throw a TypeError.
import type { VuHost } from '../vu/vu-host.ts';
import { goError } from '../vu/go-error.ts';

/** Where parsed elements and the array itself come from: the script realm, so prototypes match. */
export interface JsonRealm {
  parseJson(text: string): unknown;
}

const HOST_REALM: JsonRealm = { parseJson: (text) => JSON.parse(text) as unknown };

/** The arrays of one worker thread, shared by all its VUs. */
export class SharedArrayStore {
  private readonly arrays = new Map<string, readonly string[] | Promise<readonly string[]>>();
  readonly realm: JsonRealm;

  constructor(realm: JsonRealm = HOST_REALM) {
    this.realm = realm;
  }

  /** Returns the stored elements, running `generate` only for a name not seen before. */
  getOrCreate(name: string, generate: () => unknown): readonly string[] | Promise<readonly string[]> {
    const known = this.arrays.get(name);
    if (known !== undefined) return known;
    const produced = generate();
    if (isThenable(produced)) {
      const pending = Promise.resolve(produced).then(encodeElements);
      this.arrays.set(name, pending);
      pending.then((v) => this.arrays.set(name, v), () => this.arrays.delete(name));
      return pending;
    }
    const encoded = encodeElements(produced);
    this.arrays.set(name, encoded);
    return encoded;
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function encodeElements(value: unknown): readonly string[] {
  if (!Array.isArray(value)) throw goError('only arrays can be made into SharedArray');
  return Object.freeze(value.map((v) => JSON.stringify(v === undefined ? null : v)));
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v as object)) deepFreeze(child);
  }
  return v;
}

const INDEX = /^(0|[1-9]\d*)$/;

/** The script's view of a SharedArray's encoded elements (also k6/experimental/csv's parse()). */
export function sharedArrayView(elements: readonly string[], realm: JsonRealm): unknown {
  // The target is an array of the script realm holding only `length`: Array.isArray and the array
  // methods see an array, and the proxy invariants (length is a non-configurable own property) hold.
  const target = realm.parseJson('[]') as unknown[];
  target.length = elements.length;
  const element = (i: number): unknown => {
    const raw = elements[i];
    return raw === undefined ? undefined : deepFreeze(realm.parseJson(raw));
  };
  const isIndex = (prop: PropertyKey): prop is string => typeof prop === 'string' && INDEX.test(prop) && Number(prop) < elements.length;
  const immutable = (): never => {
    throw new TypeError('SharedArray is immutable');
  };
  // sobek's DynamicArray: an index write is the array's own error, any other property its refusal.
  const set = (_t: unknown, prop: PropertyKey): never => {
    if (typeof prop === 'string' && INDEX.test(prop)) immutable();
    throw new TypeError(`Cannot set property "${String(prop)}" on a dynamic array`);
  };
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (prop === 'length') return elements.length;
      if (isIndex(prop)) return element(Number(prop));
      if (typeof prop === 'string' && INDEX.test(prop)) return undefined;
      return Reflect.get(t, prop, receiver) as unknown;
    },
    set,
    deleteProperty: immutable,
    defineProperty: immutable,
    setPrototypeOf: immutable,
    has(t, prop) {
      return isIndex(prop) || Reflect.has(t, prop);
    },
    ownKeys(t) {
      return [...elements.map((_, i) => String(i)), ...Reflect.ownKeys(t)];
    },
    getOwnPropertyDescriptor(t, prop) {
      if (isIndex(prop)) return { value: element(Number(prop)), enumerable: true, configurable: true, writable: false };
      return Reflect.getOwnPropertyDescriptor(t, prop);
    },
  });
}

export function createDataModule(host: VuHost, store: SharedArrayStore): Record<string, unknown> {
  // A constructor that returns an object: the SharedArray view, or — when the generator itself
  // blocks (it calls open() or other functions, so the script transform made it asynchronous) — a
  // blocking promise of it, which the transformed `new` site awaits.
  // As k6's (data.go sharedArray, a sobek constructor): callable without `new` too, the name
  // converted to a string (`undefined` names "undefined"), and its errors GoErrors.
  function SharedArray(name: unknown, generate: unknown): unknown {
    if (host.state.phase !== 'init') throw goError('new SharedArray must be called in the init context');
    const key = String(name);
    if (key === '') throw goError("empty name provided to SharedArray's constructor");
    if (typeof generate === 'function' && generate.constructor?.name === 'AsyncFunction') {
      throw goError('SharedArray constructor does not support async functions as second argument');
    }
    if (typeof generate !== 'function') throw goError("a function is expected as the second argument of SharedArray's constructor");
    const elements = store.getOrCreate(key, () => (generate as () => unknown)());
    if (elements instanceof Promise) return host.block(elements.then((e) => sharedArrayView(e, store.realm)));
    return sharedArrayView(elements, store.realm);
  }
  const mod = { SharedArray };
  return { ...mod, default: mod };
}
