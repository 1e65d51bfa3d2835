// One 'abort' listener per signal, however many VUs watch it. Executors share one interrupt signal
// among all the VUs of a scenario, and EventTarget.addEventListener scans the existing listeners for
// duplicates: thousands of VUs adding and removing a listener per iteration would cost O(VUs²).
type Callback = () => void;

const watchers = new WeakMap<AbortSignal, Set<Callback>>();

/** Calls `onAbort` when `signal` aborts, until the returned function is called. */
export function watchSignal(signal: AbortSignal, onAbort: Callback): () => void {
  if (signal.aborted) {
    onAbort();
    return () => undefined;
  }
  let set = watchers.get(signal);
  if (set === undefined) {
    const created = new Set<Callback>();
    set = created;
    watchers.set(signal, created);
    signal.addEventListener('abort', () => {
      for (const cb of [...created]) cb();
      created.clear();
    }, { once: true });
  }
  const owned = set;
  owned.add(onAbort);
  return () => void owned.delete(onAbort);
}

/** Resolves after `ms`, or early when `signal` aborts (shared by many VUs: one listener). */
export function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0 || signal?.aborted === true) return Promise.resolve();
  return new Promise((resolve) => {
    const unwatch = signal === undefined ? () => undefined : watchSignal(signal, done);
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      unwatch();
      resolve();
    }
  });
}
