// The V8 context all VUs of one worker share. Each VU calls the compiled factory once, so module-level
// state is per VU while builtins (Object, Array, Math, JSON…) are shared. Scripts see only k6's globals:
// nothing of Node (process, require, Buffer) leaks in.
import vm from 'node:vm';
import { AsyncPrefixes } from './async-prefix.ts';
import { BLOCKING } from './blocking.ts';
import { goError } from './go-error.ts';
import { realmWebCrypto } from './realm-webcrypto.ts';

/** What the compiled factory returns: the script's module namespace. */
export type ScriptNamespace = Record<string, unknown>;
export type ScriptFactory = (rt: unknown) => ScriptNamespace | Promise<ScriptNamespace>;

/**
 * Builtins whose `instanceof` must also recognise instances made in the engine's own realm: k6 modules
 * build responses, arrays, errors and buffers there, while in k6 everything lives in one JS runtime.
 */
const CROSS_REALM_CONSTRUCTORS = [
  'Object', 'Function', 'Array', 'Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError',
  'URIError', 'AggregateError', 'Promise', 'Date', 'RegExp', 'Map', 'Set', 'WeakMap', 'WeakSet', 'ArrayBuffer',
  'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
] as const;

export class ScriptRealm {
  readonly context: vm.Context;
  /** The realm's own Promise constructor (script promises are instances of it, not of Node's). */
  readonly Promise: PromiseConstructor;
  /** The synchronous prefixes of the script's async functions (async-prefix.ts). */
  readonly prefixes: AsyncPrefixes;
  /** Math.random of the VU whose code runs now, when that VU called randomSeed(); otherwise native. */
  #currentRandom: (() => number) | undefined;
  readonly #newArrayBuffer: (n: number) => ArrayBuffer;
  readonly #newUint8Array: (n: number) => Uint8Array;
  readonly #parseJson: (text: string) => unknown;
  readonly #newTypeError: (message: string) => TypeError;

  /**
   * `globalAlias`: k6's "extended" compatibility mode, `global` as an alias of `globalThis` (k6
   * internal/js/bundle.go); "base" leaves it out.
   */
  /** The realm's own global object (the script's `globalThis`). */
  readonly global: object;
  /** Whether `global` is an alias of `globalThis` (k6's "extended" compatibility mode). */
  readonly globalAlias: boolean;

  constructor(globalAlias = true) {
    this.globalAlias = globalAlias;
    this.context = vm.createContext({ TextDecoder });
    // Frames of the engine's own code between a script's frames (a check or group callback, a k6/http
    // call) would push the script's outer frames past V8's default limit of 10: k6 shows them all.
    vm.runInContext(`${globalAlias ? 'globalThis.global = globalThis; ' : ''}Error.stackTraceLimit = 50;`, this.context);
    this.Promise = vm.runInContext('Promise', this.context) as PromiseConstructor;
    this.prefixes = new AsyncPrefixes(this.Promise, BLOCKING);
    this.global = vm.runInContext('globalThis', this.context) as object;
    // `res instanceof Object`, `http.batch(…) instanceof Array`, `e instanceof Error` for a k6 error: each
    // builtin of the script's realm gets a @@hasInstance that, after the ordinary test fails, asks whether
    // the value is an instance of the engine realm's builtin of the same name. Subclasses the script
    // defines (`class E extends Error`) inherit the method and keep the ordinary test only.
    const hostBuiltins = CROSS_REALM_CONSTRUCTORS.map((name) => (globalThis as unknown as Record<string, unknown>)[name]);
    const installHasInstance = vm.runInContext(
      `(names, hostIs) => {
        const ordinary = Function.prototype[Symbol.hasInstance];
        names.forEach((name, i) => {
          const C = globalThis[name];
          if (typeof C !== 'function') return;
          const method = { [Symbol.hasInstance](v) {
            return ordinary.call(this, v) || (this === C && v !== null && (typeof v === 'object' || typeof v === 'function') && hostIs(i, v));
          } }[Symbol.hasInstance];
          Object.defineProperty(C, Symbol.hasInstance, { value: method, writable: true, configurable: true, enumerable: false });
        });
      }`,
      this.context,
    ) as (names: readonly string[], hostIs: (i: number, v: object) => boolean) => void;
    installHasInstance(CROSS_REALM_CONSTRUCTORS, (i, v) => {
      const host = hostBuiltins[i];
      return typeof host === 'function' && v instanceof host;
    });
    // Math is one object for all VUs of the context, so randomSeed() cannot replace it per VU; a
    // dispatcher asks which VU is running instead (set by the VU runtime on entry and on resumption).
    const install = vm.runInContext(
      '(pick) => { const native = Math.random; Math.random = function random() { const r = pick(); return r === undefined ? native() : r(); }; }',
      this.context,
    ) as (pick: () => (() => number) | undefined) => void;
    install(() => this.#currentRandom);
    this.#newArrayBuffer = vm.runInContext('(n) => new ArrayBuffer(n)', this.context) as (n: number) => ArrayBuffer;
    this.#newUint8Array = vm.runInContext('(n) => new Uint8Array(n)', this.context) as (n: number) => Uint8Array;
    this.#parseJson = vm.runInContext('(t) => JSON.parse(t)', this.context) as (t: string) => unknown;
    this.#newTypeError = vm.runInContext('(m) => new TypeError(m)', this.context) as (m: string) => TypeError;
    // k6 (internal/js/bundle.go warnAboutModuleMixing): an ES module reaching the CommonJS names finds
    // global accessors that throw, naming the mistake. CommonJS modules have their own bindings.
    for (const name of ['module', 'exports']) {
      const mixing = (): never => {
        throw goError(`you are trying to access identifier "${name}", this likely is due to mixing ECMAScript Modules (ESM) `
          + "and CommonJS syntax. This isn't supported in the JavaScript standard, please use only one or the other");
      };
      Object.defineProperty(this.global, name, { get: mixing, set: mixing, enumerable: false, configurable: false });
    }
    (this.context as Record<string, unknown>).crypto = realmWebCrypto(this);
    // TextEncoder's bytes are a Uint8Array of the script's realm (`instanceof Uint8Array` holds, as in k6).
    const encoder = new TextEncoder();
    const realmEncoder = vm.runInContext(
      `(encode, encodeInto) => class TextEncoder {
        get encoding() { return 'utf-8'; }
        encode(input = '') { const bytes = encode(String(input)); const out = new Uint8Array(bytes.length); out.set(bytes); return out; }
        encodeInto(source, destination) { return encodeInto(String(source), destination); }
      }`,
      this.context,
    ) as (encode: (s: string) => Uint8Array, encodeInto: (s: string, d: Uint8Array) => unknown) => unknown;
    (this.context as Record<string, unknown>).TextEncoder = realmEncoder(
      (input) => encoder.encode(input),
      (input, destination) => {
        const { read, written } = encoder.encodeInto(input, destination);
        return this.object({ read, written });
      },
    );
  }

  /** Some VU of this realm called randomSeed(): the dispatcher must follow the running VU. */
  seeded = false;

  setCurrentRandom(random: (() => number) | undefined): void {
    if (random !== undefined) this.seeded = true;
    this.#currentRandom = random;
  }

  /** Evaluates the compiler's factory source (a function expression) in this context. */
  instantiate(factorySource: string, filename: string): ScriptFactory {
    const fn: unknown = vm.runInContext(factorySource, this.context, { filename });
    if (typeof fn !== 'function') throw new TypeError('compiled script did not evaluate to a factory function');
    return fn as ScriptFactory;
  }

  /** An ArrayBuffer of the script's realm, so `instanceof ArrayBuffer` holds in scripts. */
  arrayBuffer(bytes: Uint8Array): ArrayBuffer {
    const buf = this.#newArrayBuffer(bytes.byteLength);
    new Uint8Array(buf).set(bytes);
    return buf;
  }

  /** A Uint8Array of the script's realm holding a copy of `bytes`. */
  uint8Array(bytes: Uint8Array): Uint8Array {
    const out = this.#newUint8Array(bytes.byteLength);
    out.set(bytes);
    return out;
  }

  /** JSON.parse with the script realm's prototypes (setup data handed to VUs). */
  parseJson(text: string): unknown {
    return this.#parseJson(text);
  }

  /** A TypeError of the script realm (`e instanceof TypeError` holds in the script), as the JS engine would throw. */
  typeError(message: string): TypeError {
    return this.#newTypeError(message);
  }

  /** Creates a plain object of the script realm. */
  object(entries: Record<string, unknown> = {}): Record<string, unknown> {
    const o = this.#parseJson('{}') as Record<string, unknown>;
    return Object.assign(o, entries);
  }
}
