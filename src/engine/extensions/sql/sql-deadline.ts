// The deadline of xk6-sql's execWithTimeout/queryWithTimeout: a context.WithTimeout around the call.

/** database/sql's error once the context's deadline passed (context.DeadlineExceeded). */
export function deadlineExceeded(): Error {
  return new Error('context deadline exceeded');
}

/**
 * An AbortSignal that aborts `ms` milliseconds from now, and a function to clear its timer. A deadline
 * under a millisecond has passed before any driver could act, as Go's "1ns" has: it is aborted already.
 */
export function deadlineSignal(ms: number): { signal: AbortSignal; clear: () => void } {
  const ac = new AbortController();
  if (!(ms >= 1)) {
    ac.abort();
    return { signal: ac.signal, clear: () => undefined };
  }
  const timer = setTimeout(() => ac.abort(), Math.min(ms, 2_147_483_647));
  return { signal: ac.signal, clear: () => clearTimeout(timer) };
}

/**
 * Settles as `p`, or rejects with context deadline exceeded once `signal` aborts first, after calling
 * `onAbort` (which gives up the connection the call used).
 */
export function raceDeadline<T>(p: Promise<T>, signal: AbortSignal | undefined, onAbort: () => void): Promise<T> {
  if (signal === undefined) return p;
  if (signal.aborted) {
    onAbort();
    p.catch(() => undefined);
    return Promise.reject(deadlineExceeded());
  }
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      onAbort();
      p.catch(() => undefined);
      reject(deadlineExceeded());
    };
    signal.addEventListener('abort', abort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
