// What a script sees as `globalThis` (and `global`, k6's alias): the worker's realm global, which all
// its VUs share, seen through one VU's own globals. In k6 each VU has a runtime of its own, so
// `globalThis.__ENV`, `globalThis.__VU`, `globalThis.open`, `globalThis.setTimeout` are that VU's;
// here the prelude of each VU's module code (compile/factory-source.ts) binds `globalThis` to this
// view. Everything else reads, writes and enumerates the realm global as before.
export function vuGlobalView(global: object, own: object): object {
  return new Proxy(global, {
    get: (target, key) => (Object.hasOwn(own, key) ? Reflect.get(own, key) : Reflect.get(target, key)),
    has: (target, key) => Object.hasOwn(own, key) || Reflect.has(target, key),
  });
}
