// The synchronous prefix of a script's async function. In k6 an async function runs synchronously up
// to its first `await`, blocking calls included: `async function login() { token = http.post(…)… }`
// called without `await` has set `token` when `login()` returns, and an `http.get` inside
// `[a, b].forEach(async (u) => …)`'s callback runs before the next element's. Here a blocking call
// suspends the async function at once, so its caller must be told to wait:
// - the transformed async function (compile/sync-transform.ts, suspend 'prefix') keeps its state in
//   `__pf`: 0 while its prefix has not blocked, the Prefix once a blocking call in it was waited for
//   (`__rt.pre()`, which also makes it the pending prefix of the realm), 1 once it reached its first
//   real await or left (`__rt.preEnd(__pf)`, at the await and in a `finally`, releases the caller);
// - the function then suspends and its caller gets its promise: the caller's call site reads
//   `promise[__S]`, which for a promise of the script's realm is the getter installed here. When a
//   prefix is pending, it is this promise's: the getter ties them (`promise[PREFIX]`, released also
//   and answers `true`, so
//   the call site waits for the prefix and then takes the promise itself as the call's value
//   (`__t[__P]` in an async caller, driveGenerator in a wrapped one).
// Engine code tells blocking-marked promises by an own property (blocking.ts), so it never claims a
// prefix: a host caller (the VU running an async `default`) waits for the promise as before. A prefix
// nobody claimed is dropped at the next microtask.
import type { BLOCKING } from './blocking.ts';
import { isUncatchable } from './interrupt.ts';
import { currentScope, type PromiseScope } from './promise-owners.ts';

/** The handle of a prefix that blocked, on the async function's promise once its caller claimed it. */
export const PREFIX: unique symbol = Symbol('stampede.asyncPrefix');

export class Prefix {
  /**
   * A promise of the script's realm: an async caller's `await` of it takes one microtask, so the
   * caller goes on before the function's code after its first await (a foreign promise would take
   * three, and that code would run first).
   */
  readonly done: Promise<void>;
  /** The same moment as a promise of the engine's realm, for engine code's `await` (one microtask). */
  readonly ended: Promise<void>;
  readonly release: () => void;
  /** Rejects both with an interrupt the function got in its prefix: its waiting caller throws it. */
  readonly fail: (e: unknown) => void;

  constructor(realmPromise: PromiseConstructor) {
    let releaseScript!: () => void;
    let releaseEngine!: () => void;
    let failScript!: (e: unknown) => void;
    let failEngine!: (e: unknown) => void;
    this.done = new realmPromise<void>((resolve, reject) => {
      releaseScript = resolve;
      failScript = reject;
    });
    this.ended = new Promise<void>((resolve, reject) => {
      releaseEngine = resolve;
      failEngine = reject;
    });
    this.release = (): void => {
      releaseScript();
      releaseEngine();
    };
    this.fail = (e: unknown): void => {
      this.done.catch(ignore);
      this.ended.catch(ignore);
      failScript(e);
      failEngine(e);
    };
  }
}

export class AsyncPrefixes {
  #pending: Prefix | undefined;
  /**
   * The VU whose code blocked in that prefix. All VUs of a thread share the realm, and another VU's
   * code can run (a promise job queued earlier) before the prefix is dropped: only code of the same
   * VU may claim it, or a VU would wait for another's blocking call.
   */
  #pendingScope: PromiseScope | undefined;
  readonly #promise: PromiseConstructor;

  /**
   * Installs the claim on the realm's `Promise.prototype[BLOCKING]` (an accessor, not enumerable),
   * whose setter gives a promise the own mark markBlocking() assigns (blocking.ts).
   */
  constructor(realmPromise: PromiseConstructor, blocking: typeof BLOCKING) {
    this.#promise = realmPromise;
    const proto = realmPromise.prototype as unknown as Record<symbol, unknown>;
    const claim = (p: Promise<unknown>): true | undefined => this.#claim(p);
    Object.defineProperty(proto, blocking, {
      get(this: Promise<unknown>) {
        return claim(this);
      },
      set(this: Promise<unknown>, v: unknown) {
        Object.defineProperty(this, blocking, { value: v, writable: true, enumerable: true, configurable: true });
      },
      configurable: true,
    });
  }

  /** `__rt.pre()`: a blocking call in an async function's prefix; its caller must wait. */
  blocked(): Prefix {
    const p = new Prefix(this.#promise);
    this.#pending = p;
    this.#pendingScope = currentScope();
    queueMicrotask(() => {
      if (this.#pending === p) this.#pending = undefined;
    });
    return p;
  }

  /** `__rt.preEnd(__pf)`: the function's first await; a caller waiting for its prefix goes on. */
  ended(pf: 0 | Prefix): 1 {
    if (pf !== 0) pf.release();
    return 1;
  }

  /**
   * `__rt.preThrow(__pf, e)`: the function leaves its prefix with `e`. An interrupt stops its caller
   * too: a caller waiting for the prefix throws it, and when the prefix had not blocked it is marked
   * now, so the caller's call site (which checks the returned promise at once) claims and throws it.
   */
  threw(pf: 0 | 1 | Prefix, e: unknown): 0 | 1 | Prefix {
    if (pf === 1 || !isUncatchable(e)) return pf;
    (pf === 0 ? this.blocked() : pf).fail(e);
    return 1;
  }

  /**
   * For engine code that called a script function and got `v`: the blocked prefix of the async
   * function that returned it, if any, claimed as a call site would (blocking-hof.ts).
   */
  claimFor(v: unknown): Prefix | undefined {
    const p = this.#pending;
    if (p === undefined || this.#pendingScope !== currentScope() || v === null || typeof v !== 'object' || typeof (v as { then?: unknown }).then !== 'function') return undefined;
    this.#claim(v as Promise<unknown>);
    return p;
  }

  #claim(promise: Promise<unknown>): true | undefined {
    const p = this.#pending;
    if (p === undefined || this.#pendingScope !== currentScope()) return undefined;
    this.#pending = undefined;
    (promise as unknown as Record<symbol, unknown>)[PREFIX] = p;
    return true;
  }
}

function ignore(): void {}

/** What a waiting call site got: the prefix to wait for instead of the promise, if it has one. */
export function prefixOf(v: unknown): Prefix | undefined {
  return (v as Record<symbol, Prefix | undefined>)[PREFIX];
}
