// Class constructors whose bodies block (`constructor() { this.token = http.post(…).json('t'); }`).
//
// A constructor must return its instance synchronously, so the transform (compile/sync-transform.ts,
// visitConstructor) hands its body to `construct(this, body, arguments)`: the body runs at once, like
// a wrapped function's generator, and when one of its calls blocks the instance is kept in
// `constructing` with the promise of the rest of the body. The `new` call site sees the instance there
// and waits for `constructed(instance)` before the script gets it. A derived class's body (the part
// after `super()`) waits for its base's body first, so the statements run in the order they would
// in k6.
type Body = (this: object, ...args: unknown[]) => Generator<unknown, unknown, unknown> | Promise<unknown>;

export interface ConstructDeps {
  isBlocking(v: unknown): boolean;
  /** Marks a promise as blocking: call sites wait for it. */
  block<T>(p: Promise<T>): Promise<T>;
  /** Calls an async function as the VU's blocking call (the runtime's `wrap`). */
  wrap(fn: () => Promise<unknown>): Promise<unknown>;
  /** Runs a generator on from its first blocking value (the runtime's `drive`). */
  drive(g: Generator<unknown, unknown, unknown>, first: unknown): Promise<unknown>;
}

export interface Constructors {
  /** Instances whose constructor body is still running, with the promise of its end. */
  readonly constructing: Map<object, Promise<unknown>>;
  /**
   * Runs a constructor body: a generator function called with `args`, or (when `args` is undefined)
   * an async arrow. Returns what the constructor returns: an object the body returned, else undefined.
   */
  construct(self: object, body: Body, args?: ArrayLike<unknown>): object | undefined;
  /**
   * `new F()` of a wrapped function whose body blocked: the instance stays under construction until
   * `p` (the rest of the body) settles; undefined, so `new` gives the instance.
   */
  constructLater(self: object, p: Promise<unknown>): undefined;
  /**
   * The blocking promise of an instance under construction, resolving to it when its body is done (or
   * to the object the body returned).
   */
  constructed(self: object): Promise<unknown>;
}

const isObject = (v: unknown): v is object => v !== null && (typeof v === 'object' || typeof v === 'function');

export function makeConstructors(d: ConstructDeps): Constructors {
  const constructing = new Map<object, Promise<unknown>>();

  /** The body's plain result, or a blocking promise when it blocked. */
  const start = (self: object, body: Body, args: ArrayLike<unknown> | undefined): unknown => {
    if (args === undefined) return d.wrap(body.bind(self) as () => Promise<unknown>);
    const g = body.apply(self, args as unknown[]) as Generator<unknown, unknown, unknown>;
    const r = g.next();
    return r.done === true ? r.value : d.drive(g, r.value);
  };

  const pend = (self: object, p: Promise<unknown>): void => {
    constructing.set(self, p);
    const done = (): void => {
      if (constructing.get(self) === p) constructing.delete(self);
    };
    p.then(done, done);
  };

  return {
    constructing,
    construct(self, body, args) {
      const base = constructing.get(self);
      if (base !== undefined) {
        pend(self, base.then(() => start(self, body, args)));
        return undefined;
      }
      const v = start(self, body, args);
      if (d.isBlocking(v)) {
        pend(self, v as Promise<unknown>);
        return undefined;
      }
      return isObject(v) ? v : undefined;
    },
    constructLater(self, p) {
      pend(self, p);
      return undefined;
    },
    constructed(self) {
      const p = constructing.get(self) ?? Promise.resolve();
      // A body that returns an object makes that object the result of `new`, even after it blocked.
      return d.block(p.then((v) => (isObject(v) ? v : self)));
    },
  };
}
