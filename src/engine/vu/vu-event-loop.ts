// One VU's event loop, in k6's sense: an iteration (or setup, teardown, init) is over only when its
// function settled AND nothing the VU registered is still pending (timers, asyncRequest, keepAlive).
//
// Invariants:
// - `pending` counts live timers plus unreleased keepAlive handles; idle() resolves when it is 0.
// - Timer callbacks never run while the VU is inside a blocking call (`syncDepth > 0`): in k6 a VU
//   blocked in http.get()/sleep() runs no callbacks. They are deferred and run once the depth is 0.
// - The first error thrown by a callback fails the current call; idle() then rejects with it.

import { enterScope, leaveScope, type PromiseScope } from './promise-owners.ts';

interface TimerEntry {
  handle: ReturnType<typeof setTimeout> | undefined;
  repeat: boolean;
  /** The script's name for it (setTimeout, setInterval); internal timers have none. */
  name: string | undefined;
  /** When it fires next (epoch ms). */
  due: number;
}

export class VuEventLoop {
  /** The VU's promise scope when its rejections are tracked: callbacks run as that VU's code. */
  scope: PromiseScope | undefined;
  /** Called right before each callback: the VU restores what its code expects (its seeded Math.random). */
  beforeCallback: (() => void) | undefined;
  #pending = 0;
  #depth = 0;
  #deferred: Array<() => void> = [];
  #waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  #failure: { error: unknown } | undefined;
  #timers = new Map<number, TimerEntry>();
  #nextTimerId = 1;
  #flushScheduled = false;
  /** Bumped by reset(): handles and timers of earlier calls are void. */
  #generation = 0;

  get syncDepth(): number {
    return this.#depth;
  }

  get pending(): number {
    return this.#pending;
  }

  enterSync(): void {
    this.#depth++;
  }

  exitSync(): void {
    if (this.#depth > 0) this.#depth--;
    if (this.#depth === 0 && this.#deferred.length > 0) this.#scheduleFlush();
  }

  /** Keeps the loop open until the returned function is called (idempotent). */
  keepAlive(): () => void {
    this.#pending++;
    const generation = this.#generation;
    let released = false;
    return () => {
      // A handle from before a reset (an interrupted iteration's request) must not release a later one.
      if (released || generation !== this.#generation) return;
      released = true;
      this.#release();
    };
  }

  /** Records a callback failure: it fails the VU's current call. */
  fail(error: unknown): void {
    if (this.#failure === undefined) this.#failure = { error };
    this.#notify();
  }

  /** `name`: the script's timer function (k6 names it when an interrupted iteration drops it). */
  setTimer(callback: () => unknown, delayMs: number, repeat: boolean, name?: string): number {
    const id = this.#nextTimerId++;
    const generation = this.#generation;
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    const entry: TimerEntry = { handle: undefined, repeat, name, due: Date.now() + delay };
    this.#timers.set(id, entry);
    this.#pending++;
    const fire = (): void => {
      if (!this.#timers.has(id)) return;
      entry.due = Date.now() + delay;
      if (!repeat) this.#timers.delete(id);
      // A one-shot timer stays pending until its callback (and what it blocks on) is done.
      this.#dispatch(() => this.#runCallback(callback, repeat ? undefined : () => {
        if (generation === this.#generation) this.#release();
      }));
    };
    entry.handle = repeat ? setInterval(fire, delay) : setTimeout(fire, delay);
    return id;
  }

  clearTimer(id: unknown): void {
    if (typeof id !== 'number') return;
    const entry = this.#timers.get(id);
    if (entry === undefined) return;
    this.#timers.delete(id);
    clearTimeout(entry.handle);
    this.#release();
  }

  /** Nothing pending and no failure to report: idle() would resolve at once. */
  get isIdle(): boolean {
    return this.#pending === 0 && this.#deferred.length === 0 && this.#failure === undefined;
  }

  /** Resolves when nothing is pending; rejects with the first callback failure. */
  idle(): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#takeFailure());
    if (this.#pending === 0 && this.#deferred.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /**
   * Drops everything pending (interrupt, or after a failed call): timers cleared, waiters released.
   * Returns the script's timers it dropped, in firing order, as k6 names them ("setTimeout 1").
   */
  reset(): string[] {
    this.#generation++;
    const dropped = [...this.#timers.entries()]
      .filter(([, e]) => e.name !== undefined)
      .sort(([a, x], [b, y]) => x.due - y.due || a - b)
      .map(([id, e]) => `${e.name ?? ''} ${id}`);
    for (const entry of this.#timers.values()) clearTimeout(entry.handle);
    this.#timers.clear();
    this.#deferred = [];
    this.#pending = 0;
    this.#depth = 0;
    this.#failure = undefined;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.resolve();
    return dropped;
  }

  /**
   * Runs `run` on the loop, as k6 settles a module's promise through the VU's event loop: now, or,
   * while the VU is inside a blocking call, once it has left it (after callbacks deferred before).
   */
  post(run: () => void): void {
    this.#dispatch(run);
  }

  /**
   * Runs a callback now, unless the VU is in its code or callbacks deferred while it was wait their
   * flush: then after them, in the order they came (a timer due in the same turn as the VU left its
   * code, as on a busy machine, must not overtake the ones deferred before it).
   */
  #dispatch(run: () => void): void {
    if (this.#depth === 0 && this.#deferred.length === 0) {
      run();
      return;
    }
    this.#deferred.push(run);
    if (this.#depth === 0) this.#scheduleFlush();
  }

  #runCallback(callback: () => unknown, done: (() => void) | undefined): void {
    this.beforeCallback?.();
    let result: unknown;
    const scope = this.scope;
    const prev = scope === undefined ? undefined : enterScope(scope);
    try {
      result = callback();
    } catch (e) {
      this.fail(e);
      done?.();
      return;
    } finally {
      if (scope !== undefined) leaveScope(prev);
    }
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      const release = done ?? this.keepAlive();
      (result as Promise<unknown>).then(release, (e: unknown) => {
        this.fail(e);
        release();
      });
      return;
    }
    done?.();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      while (this.#depth === 0 && this.#deferred.length > 0) {
        const run = this.#deferred.shift();
        run?.();
      }
    });
  }

  #release(): void {
    if (this.#pending > 0) this.#pending--;
    this.#notify();
  }

  #takeFailure(): unknown {
    const f = this.#failure;
    this.#failure = undefined;
    return f?.error;
  }

  #notify(): void {
    if (this.#waiters.length === 0) return;
    if (this.#failure !== undefined) {
      const error = this.#takeFailure();
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const w of waiters) w.reject(error);
      return;
    }
    if (this.#pending === 0 && this.#deferred.length === 0) {
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const w of waiters) w.resolve();
    }
  }
}
