// Which VU's code created each promise, so that an unhandled rejection fails that VU's call as in k6
// (where every VU has its own runtime and its own rejection tracker, `internal/js/eventloop`).
//
// All VUs of a thread share one V8 realm, and Node reports an unhandled rejection per process, once
// the microtask queue drained, without saying whose it was. Ownership is therefore recorded when a
// promise is created, with V8's promise hooks (`node:v8` promiseHooks, per isolate, so per thread):
// - init(p): p belongs to the scope whose code runs now (`current`);
// - before(p)/after(p): a promise job (an `await` resumption, a `.then` callback) runs code of p's
//   owner, so `current` is that owner for the job's duration;
// - code a VU enters synchronously (an iteration, a lifecycle call, a timer callback) sets `current`
//   with `enterScope`.
// The hooks cost about 50 ns per promise of the whole thread, so they are installed only once a VU
// whose script uses promises exists (`CompiledScript.usesPromises`); plain synchronous scripts pay
// nothing. Hooks are a per-thread resource, hence this module's state; once installed they stay for
// the thread's life (a worker lives for one run).
import { promiseHooks } from 'node:v8';

const OWNER: unique symbol = Symbol('stampede.promiseOwner');

type Owned = { [OWNER]?: PromiseScope };

/** One VU's promises. */
export class PromiseScope {
  /** Promises of the script realm created by this VU's code since the count was last reset. */
  created = 0;
  readonly #realmPromise: abstract new (...args: never[]) => unknown;
  readonly #onRejected: (reason: unknown) => void;

  constructor(realmPromise: abstract new (...args: never[]) => unknown, onRejected: (reason: unknown) => void) {
    this.#realmPromise = realmPromise;
    this.#onRejected = onRejected;
    installHooks();
  }

  /** Records a promise created while this scope is current. */
  own(p: object): void {
    (p as Owned)[OWNER] = this;
    if (p instanceof this.#realmPromise) this.created++;
  }

  rejected(reason: unknown): void {
    this.#onRejected(reason);
  }
}

let current: PromiseScope | undefined;
let installed = false;
const claimed = new WeakSet<object>();

function installHooks(): void {
  if (installed) return;
  installed = true;
  promiseHooks.createHook({
    init(p: object) {
      current?.own(p);
    },
    before(p: object) {
      current = (p as Owned)[OWNER];
    },
    after() {
      current = undefined;
    },
  });
}

/** The VU whose code runs now, when promises are tracked (else undefined): see async-prefix.ts. */
export function currentScope(): PromiseScope | undefined {
  return current;
}

/** Makes `scope` the owner of promises created from now on; returns the previous owner for `leaveScope`. */
export function enterScope(scope: PromiseScope): PromiseScope | undefined {
  const prev = current;
  current = scope;
  return prev;
}

export function leaveScope(prev: PromiseScope | undefined): void {
  current = prev;
}

/**
 * Hands an unhandled rejection to the VU that owns the promise. False when no VU does (the engine's
 * own promise, or a script whose promises are not tracked): the caller logs it itself. Idempotent per
 * promise, so several process listeners of one thread report it once.
 */
export function claimRejection(reason: unknown, promise: unknown): boolean {
  if (promise === null || typeof promise !== 'object') return false;
  if (claimed.has(promise)) return true;
  const owner = (promise as Owned)[OWNER];
  if (owner === undefined) return false;
  claimed.add(promise);
  owner.rejected(reason);
  return true;
}
