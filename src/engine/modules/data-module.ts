// k6/data: SharedArray. The generator runs once per worker (the first VU to declare a name); every
// VU then reads the same JSON-encoded elements, parsed and deep-frozen on access, as in k6.
import type { VuHost } from '../vu/vu-host.ts';

/** The arrays of one worker thread, shared by all its VUs. */
export class SharedArrayStore {
  private readonly arrays = new Map<string, readonly string[] | Promise<readonly string[]>>();

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
  if (!Array.isArray(value)) throw new TypeError('only arrays can be made into SharedArray');
  return Object.freeze(value.map((v) => JSON.stringify(v === undefined ? null : v)));
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v as object)) deepFreeze(child);
  }
  return v;
}

function view(elements: readonly string[]): unknown {
  const target = Object.create(null) as Record<PropertyKey, unknown>;
  const iterate = function* () {
    for (const e of elements) yield deepFreeze(JSON.parse(e));
  };
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'length') return elements.length;
      if (prop === Symbol.iterator) return iterate;
      if (typeof prop === 'string' && /^(0|[1-9]\d*)$/.test(prop)) {
        const raw = elements[Number(prop)];
        return raw === undefined ? undefined : deepFreeze(JSON.parse(raw));
      }
      return undefined;
    },
    set() {
      throw new TypeError('SharedArray is read-only');
    },
    deleteProperty() {
      throw new TypeError('SharedArray is read-only');
    },
    defineProperty() {
      throw new TypeError('SharedArray is read-only');
    },
    has(_t, prop) {
      return prop === 'length' || (typeof prop === 'string' && /^\d+$/.test(prop) && Number(prop) < elements.length);
    },
    ownKeys() {
      return elements.map((_, i) => String(i));
    },
    getOwnPropertyDescriptor(_t, prop) {
      if (typeof prop === 'string' && /^\d+$/.test(prop) && Number(prop) < elements.length) {
        return { value: deepFreeze(JSON.parse(elements[Number(prop)] as string)), enumerable: true, configurable: true, writable: false };
      }
      return undefined;
    },
  });
}

export function createDataModule(host: VuHost, store: SharedArrayStore): Record<string, unknown> {
  // A constructor that returns an object: the SharedArray view, or — when the generator itself
  // blocks (it calls open() or other functions, so the script transform made it asynchronous) — a
  // blocking promise of it, which the transformed `new` site awaits.
  function SharedArray(this: unknown, name: unknown, generate: unknown): unknown {
    if (!new.target) throw new TypeError("SharedArray must be called with 'new'");
    if (host.state.phase !== 'init') throw new Error('new SharedArray must be called in the init context');
    if (typeof name !== 'string' || name === '') throw new TypeError('empty name provided to SharedArray constructor');
    if (typeof generate !== 'function') throw new TypeError('a function is expected as the second argument of SharedArray');
    if (generate.constructor?.name === 'AsyncFunction') throw new TypeError('SharedArray: async functions are not supported as the generator');
    const elements = store.getOrCreate(name, () => (generate as () => unknown)());
    if (elements instanceof Promise) return host.block(elements.then(view));
    return view(elements);
  }
  const mod = { SharedArray };
  return { ...mod, default: mod };
}
