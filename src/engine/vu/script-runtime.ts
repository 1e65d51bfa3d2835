// `__rt`, the object the compiled factory receives: what the script transform calls (wrap, hof, tick,
// caught, require, openFrom, enterModule, importMeta, bindIter) and the per-VU globals the prelude destructures. See
// docs/engine.md for the transform's side of this contract.
import { prefixOf, PREFIX, type Prefix } from './async-prefix.ts';
import { BLOCKING, isBlocking, markBlocking } from './blocking.ts';
import { callArrayMethod, callHof } from './blocking-hof.ts';
import { makeConstructors } from './constructing.ts';
import { resumed, resumeThrowing } from './caller-frames.ts';
import { genNext } from './generator-methods.ts';
import { ImportMetas } from './import-meta.ts';
import { isUncatchable } from './interrupt.ts';
import type { LogSink } from './log-sink.ts';
import { onlyInInitStage, openFile, type OpenDeps } from './open-file.ts';
import type { ScriptRealm } from './script-realm.ts';
import { boxReturned, unboxReturned } from './returned-thenable.ts';
import { createConsole } from './vu-console.ts';
import type { VuEventLoop } from './vu-event-loop.ts';
import { vuGlobalView } from './vu-global-view.ts';

export interface ScriptRuntimeDeps {
  readonly id: number;
  readonly env: Record<string, string>;
  readonly loop: VuEventLoop;
  readonly realm: ScriptRealm;
  readonly log: LogSink;
  readonly scriptDir: string;
  readonly open: OpenDeps;
  /** The VU's seeded Math.random, when randomSeed() was called. */
  random(): (() => number) | undefined;
  block<T>(p: Promise<T>): Promise<T>;
  tick(): void;
  require(name: string): unknown;
  /** The prelude's setters of `__ITER` and of `__ENV` (a new object when a scenario brings its own env). */
  bindIter(set: (iteration: number) => void, setEnv: (env: Record<string, string>) => void): void;
}


/** Resumes `g` with what each blocking value it yields settles to, until it returns. */
export async function driveGenerator(g: Generator<unknown, unknown, unknown>, first: unknown, done: () => void): Promise<unknown> {
  try {
    let pending = first;
    for (;;) {
      let v: unknown;
      let ok = true;
      try {
        // An async function's promise whose synchronous prefix blocked: wait for the prefix, and the
        // call's value is the promise (async-prefix.ts).
        const prefix = prefixOf(pending);
        if (prefix === undefined) v = unboxReturned(await pending);
        else {
          await prefix.ended;
          v = pending;
        }
      } catch (e) {
        ok = false;
        v = e;
      }
      // A rejection is thrown at the generator's waiting call site, which adds its frame (caller-frames.ts).
      const r = ok ? genNext.call(g, v) : resumeThrowing(g, v);
      if (r.done === true) return boxReturned(r.value);
      pending = r.value;
    }
  } finally {
    done();
  }
}

/** The accessors whose unwaited blocking calls were reported, per realm (the VUs of a worker share one). */
const unwaitedWarned = new WeakMap<ScriptRealm, Set<string>>();

export function createScriptRuntime(d: ScriptRuntimeDeps): Record<string, unknown> {
  // Methods (and a bound function) rather than named arrows: under tsx (keepNames) every named arrow
  // gets a defineProperty('name') and a property backing store, for each of these per VU.
  const prefixes = d.realm.prefixes;
  const hofDeps = {
    isBlocking,
    claimPrefix(v: unknown): Prefix | undefined {
      return prefixes.claimFor(v);
    },
    block<T>(p: Promise<T>): Promise<T> {
      return d.block(p);
    },
    typeError(message: string): TypeError {
      return d.realm.typeError(message);
    },
  };
  const exitSync: () => void = d.loop.exitSync.bind(d.loop);
  const timers = d.require('k6/timers') as Record<string, unknown>;
  let metas: ImportMetas | undefined;
  /** The directory of the module whose top-level code is running (enterModule). */
  let runningModuleDir: string | undefined;
  const globals = {
    __VU: d.id,
    __ENV: d.env,
    open(path: unknown, mode?: unknown) {
      return openFile(d.open, d.scriptDir, path, mode);
    },
    console: createConsole(d.log),
    // The script's own require (CommonJS, or a call at run time): init only, as in k6 (bundle.go
    // requireImpl). Imports reach the VU through __rt.require below, which runs in init anyway.
    require(name: string) {
      if (!d.open.inInit()) throw onlyInInitStage('require');
      return d.require(name);
    },
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    setInterval: timers.setInterval,
    clearInterval: timers.clearInterval,
  };
  const rt = {
    S: BLOCKING,
    P: PREFIX,
    unbox: unboxReturned,
    resumed,
    /** A blocking call in an async function's synchronous prefix (async-prefix.ts). */
    pre(): Prefix {
      // Until the prefix ends the VU is in synchronous code, as in k6: timer callbacks and settled
      // asyncRequest promises wait (an async setTimeout callback's requests do not overlap the next's).
      d.loop.enterSync();
      const p = prefixes.blocked();
      p.ended.then(exitSync, exitSync);
      return p;
    },
    /** The async function's first await, or its end: a caller waiting for its prefix goes on. */
    preEnd(pf: 0 | Prefix): 1 {
      return prefixes.ended(pf);
    },
    /** The function leaves its prefix with an exception: an interrupt stops its caller too. */
    preThrow(pf: 0 | 1 | Prefix, e: unknown): 0 | 1 | Prefix {
      return prefixes.threw(pf, e);
    },
    // The VU is "inside a blocking call" from entry until the wrapped promise settles: timers wait.
    wrap(fn: () => Promise<unknown>): Promise<unknown> {
      d.loop.enterSync();
      // Unseeded VUs reset the dispatcher too, or they would draw from a seeded VU's sequence.
      d.realm.setCurrentRandom(d.random());
      let p: Promise<unknown>;
      try {
        p = fn();
      } catch (e) {
        d.loop.exitSync();
        throw e;
      }
      p.then(exitSync, exitSync);
      return markBlocking(p);
    },
    /**
     * Runs a wrapped function's generator `g` from its first blocking value on (the prelude's
     * `__stampede_run` took it that far synchronously): the VU is inside a blocking call until the
     * generator returns or throws.
     */
    drive(g: Generator<unknown, unknown, unknown>, first: unknown): Promise<unknown> {
      d.loop.enterSync();
      d.realm.setCurrentRandom(d.random());
      return markBlocking(driveGenerator(g, first, exitSync));
    },
    hof(obj: unknown, name: string, args: unknown[], label?: string) {
      return callHof(hofDeps, obj, name, args, label);
    },
    hofCall(method: unknown, name: string, args: unknown[]) {
      return callArrayMethod(hofDeps, method, name, args);
    },
    tick() {
      d.tick();
    },
    /** The VU's view of the realm global (vu-global-view.ts), given its own globals by the prelude. */
    globalView(own: object): object {
      return vuGlobalView(d.realm.global, own);
    },
    globalAlias: d.realm.globalAlias,
    /** Gives a wrapped function's generator the function's name, for stack traces (sync-transform.ts namedGenerator). */
    named<F extends object>(fn: F, name: string): F {
      Object.defineProperty(fn, 'name', { value: name, configurable: true });
      return fn;
    },
    /**
     * A call in a getter or setter returned a blocking promise, which nothing there can wait for
     * (sync-transform.ts, Ctx.unwaited): the value stays that promise; a warning says so, once per
     * accessor in each worker's realm.
     */
    unwaited(value: unknown, where: string) {
      let warned = unwaitedWarned.get(d.realm);
      if (warned === undefined) unwaitedWarned.set(d.realm, (warned = new Set()));
      if (!warned.has(where)) {
        warned.add(where);
        d.log.write('warn', `A blocking call (such as http.get or sleep) in the ${where} was not waited for: its value there is a promise, `
          + 'and what follows it did not wait for it (Stampede cannot suspend a getter or setter); call it from a method instead');
      }
      return value;
    },
    caught(e: unknown) {
      if (isUncatchable(e)) throw e;
    },
    globals,
    bindIter(set: (v: number) => void, setEnv: (env: Record<string, string>) => void) {
      d.bindIter(set, setEnv);
    },
    require(name: string) {
      return d.require(name);
    },
    /** Called where a module's top-level code starts, and with what it returned where it ends (module-scopes.ts). */
    enterModule(dir: string | undefined) {
      const before = runningModuleDir;
      runningModuleDir = dir;
      return before;
    },
    /**
     * `open` written in module `file` (directory `dir`): in that module's top-level code (no `file`)
     * relative to `dir`; inside a function, to the module whose top-level code is running (k6's rule).
     */
    openFrom(dir: string, file?: string) {
      if (file === undefined) return (path: unknown, mode?: unknown) => openFile(d.open, dir, path, mode);
      return (path: unknown, mode?: unknown) => openFile(d.open, runningModuleDir ?? dir, path, mode, file);
    },
    importMeta(dir: string, file?: string) {
      metas ??= new ImportMetas(d.realm);
      return metas.for(dir, file ?? dir);
    },
  };
  const ctors = makeConstructors({
    isBlocking,
    block: (p) => d.block(p),
    wrap: (fn) => rt.wrap(fn),
    drive: (g, first) => rt.drive(g, first),
  });
  return {
    ...rt,
    constructing: ctors.constructing,
    construct: ctors.construct,
    constructLater: ctors.constructLater,
    constructed: ctors.constructed,
  };
}
