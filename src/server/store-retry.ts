// A request that has already changed the store (a run created) must not answer 500 for a step after it
// that met the database unavailable for a moment (out of connections, a failover): the client would
// take the run for not started and start another. Such steps are tried again briefly.
import { isStoreUnavailable } from '../store/index.ts';

/** Runs `task`, again while the store is unavailable, `attempts` times in all (backing off from `delayMs`). */
export async function retryWhileStoreUnavailable<T>(task: () => Promise<T>, attempts = 5, delayMs = 200): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (err) {
      if (attempt >= attempts || !isStoreUnavailable(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, delayMs * 2 ** (attempt - 1)));
    }
  }
}
