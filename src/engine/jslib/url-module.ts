// The jslib url module (https://jslib.k6.io/url/<v>/index.js): `URL` and `URLSearchParams`. Node's
// WHATWG classes do the parsing; scripts get classes of their own realm that delegate to them, so
// instances, the arrays iteration yields and `Object.prototype` methods are ordinary script objects
// (`instanceof Object`, `Array.isArray` entries, spread and `for…of`).
import vm from 'node:vm';

export interface UrlModule {
  URL: unknown;
  URLSearchParams: unknown;
}

const SOURCE = `(function (HostURL, HostParams) {
  'use strict';
  const own = Symbol('wrap');
  class URLSearchParams {
    #p;
    constructor(init, key) {
      if (key === own) { this.#p = init; return; }
      this.#p = new HostParams(init instanceof URLSearchParams ? init.toString() : init);
    }
    get size() { return this.#p.size; }
    append(name, value) { this.#p.append(name, value); }
    delete(name, value) { if (arguments.length > 1) this.#p.delete(name, value); else this.#p.delete(name); }
    get(name) { return this.#p.get(name); }
    getAll(name) { return [...this.#p.getAll(name)]; }
    has(name, value) { return arguments.length > 1 ? this.#p.has(name, value) : this.#p.has(name); }
    set(name, value) { this.#p.set(name, value); }
    sort() { this.#p.sort(); }
    forEach(callback, thisArg) { for (const [k, v] of this.#p) callback.call(thisArg, v, k, this); }
    *entries() { for (const [k, v] of this.#p) yield [k, v]; }
    *keys() { for (const k of this.#p.keys()) yield k; }
    *values() { for (const v of this.#p.values()) yield v; }
    [Symbol.iterator]() { return this.entries(); }
    toString() { return this.#p.toString(); }
    get [Symbol.toStringTag]() { return 'URLSearchParams'; }
  }
  class URL {
    #u;
    #params;
    constructor(url, base) {
      try {
        this.#u = base === undefined ? new HostURL(String(url)) : new HostURL(String(url), String(base));
      } catch (e) {
        throw new TypeError(e.message); // a TypeError of the script's realm
      }
      this.#params = new URLSearchParams(this.#u.searchParams, own);
    }
    static canParse(url, base) { return HostURL.canParse(String(url), base === undefined ? undefined : String(base)); }
    get searchParams() { return this.#params; }
    get origin() { return this.#u.origin; }
    toString() { return this.#u.href; }
    toJSON() { return this.#u.href; }
    get [Symbol.toStringTag]() { return 'URL'; }
    static {
      for (const name of ['href', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash']) {
        Object.defineProperty(URL.prototype, name, {
          get() { return this.#u[name]; },
          set(value) { this.#u[name] = value; },
          enumerable: true,
          configurable: true,
        });
      }
    }
  }
  // The published file is core-js's global build (core-js/stable/url): with no native URL in the
  // runtime it also defines both classes on the global object, writable, configurable and not
  // enumerable, so a module that never imports them can still use them once any module did.
  for (const [name, value] of [['URL', URL], ['URLSearchParams', URLSearchParams]]) {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true });
  }
  return { URL, URLSearchParams };
})`;

let script: vm.Script | undefined;

/** Creates the module's classes in the script realm `context`, and defines them on its global object. */
export function createUrlModule(context: vm.Context): UrlModule {
  script ??= new vm.Script(SOURCE, { filename: 'https://jslib.k6.io/url/index.js' });
  const make = script.runInContext(context) as (url: typeof globalThis.URL, params: typeof globalThis.URLSearchParams) => UrlModule;
  return make(globalThis.URL, globalThis.URLSearchParams);
}
