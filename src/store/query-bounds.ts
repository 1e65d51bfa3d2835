// How long a PostgreSQL statement may go unanswered before its connection is taken as stalled (a proxy
// that stopped forwarding, a host gone without a reset: TCP keepalive does not see those when the peer
// still ACKs). The database sends nothing while it works on a statement, so from here a long statement
// and a stall look the same until the bound: ordinary statements (every API request, a run's writes)
// get a bound well above what they take, and the work known to be long says so with `storeWork`.
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Ordinary statements: indexed reads and writes answered in milliseconds. 30 s is far above that and
 * below the 60 s after which proxies commonly give up on a request (nginx's `proxy_read_timeout`), so a
 * client hears the store is unavailable rather than a gateway timeout. `STAMPEDE_PG_QUERY_TIMEOUT_S`.
 */
export const PG_QUERY_TIMEOUT_MS = 30_000;

/**
 * Known long work: the retention sweep's deletes, deletes of runs, load tests and projects (their
 * metrics go with them), reading a run's metrics (a long run has millions of points). Never below the
 * ordinary bound.
 */
export const PG_LONG_QUERY_TIMEOUT_MS = 15 * 60_000;

/** `long`: the long bound; `unbounded`: none (migrations at start, bulk seeding for benchmarks). */
export type StoreWorkKind = 'long' | 'unbounded';

const current = new AsyncLocalStorage<StoreWorkKind>();

/** Runs `work` with its statements bounded as `kind` says (PostgreSQL; SQLite statements are local). */
export function storeWork<T>(kind: StoreWorkKind, work: () => Promise<T>): Promise<T> {
  return current.run(kind, work);
}

/** The bound for a statement issued now, in ms (0: none), given the ordinary one. */
export function queryBoundMs(ordinaryMs: number): number {
  const kind = current.getStore();
  if (kind === 'unbounded' || ordinaryMs <= 0) return 0;
  return kind === 'long' ? Math.max(PG_LONG_QUERY_TIMEOUT_MS, ordinaryMs) : ordinaryMs;
}
