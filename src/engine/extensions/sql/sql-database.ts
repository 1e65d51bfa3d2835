// The Database object sql.open() returns (xk6-sql module.go): exec/query and their *WithTimeout
// forms, close(). Each call is synchronous to the script, as in k6: a driver's promise goes through
// host.block(). Errors are GoErrors with the driver's text.
import type { VuHost } from '../../vu/vu-host.ts';
import { goError } from '../../vu/go-error.ts';
import { toSqlArgs } from './sql-args.ts';
import type { SqlConnector, SqlExecOutcome, SqlRow } from './sql-connector.ts';
import { deadlineSignal } from './sql-deadline.ts';
import { goDuration } from './sql-options.ts';

export interface SqlResult {
  lastInsertId(): number;
  rowsAffected(): number;
}

export interface SqlDatabase {
  exec(query: unknown, ...args: unknown[]): SqlResult | Promise<SqlResult>;
  execWithTimeout(timeout: unknown, query: unknown, ...args: unknown[]): SqlResult | Promise<SqlResult>;
  query(query: unknown, ...args: unknown[]): SqlRow[] | Promise<SqlRow[]>;
  queryWithTimeout(timeout: unknown, query: unknown, ...args: unknown[]): SqlRow[] | Promise<SqlRow[]>;
  close(): void | Promise<void>;
}

/** A database handle over a driver's pool; `onClose` forgets it once closed. */
export function createSqlDatabase(host: VuHost, connector: SqlConnector, onClose: () => void): SqlDatabase {
  let closed = false;

  function run<T, R>(timeout: unknown, hasTimeout: boolean, call: (signal?: AbortSignal) => T | Promise<T>, wrap: (v: T) => R): R | Promise<R> {
    // Go parses the timeout before anything else, then database/sql refuses a closed DB.
    let deadline: ReturnType<typeof deadlineSignal> | undefined;
    if (hasTimeout) {
      try {
        deadline = deadlineSignal(goDuration(timeout));
      } catch (e) {
        throw goError((e as Error).message);
      }
    }
    if (closed) {
      deadline?.clear();
      throw goError('sql: database is closed');
    }
    // The VU's interrupt (gracefulStop, abort) ends the call too, as k6 passes the VU's context.
    const signal = deadline === undefined ? host.signal : AbortSignal.any([host.signal, deadline.signal]);
    let out: T | Promise<T>;
    try {
      out = call(signal);
    } catch (e) {
      deadline?.clear();
      throw goError((e as Error).message);
    }
    if (!(out instanceof Promise)) {
      deadline?.clear();
      return wrap(out);
    }
    return host.block(out.then(
      (v) => wrap(v),
      (e: unknown) => {
        throw goError(e instanceof Error ? e.message : String(e));
      },
    ).finally(() => deadline?.clear()));
  }

  const exec = (timeout: unknown, hasTimeout: boolean, query: unknown, args: unknown[]): SqlResult | Promise<SqlResult> =>
    run(timeout, hasTimeout, (signal) => connector.exec(String(query), toSqlArgs(args), signal), resultOf);
  const query = (timeout: unknown, hasTimeout: boolean, q: unknown, args: unknown[]): SqlRow[] | Promise<SqlRow[]> =>
    run(timeout, hasTimeout, (signal) => connector.query(String(q), toSqlArgs(args), signal), (rows) => rows);

  return {
    exec: (q, ...args) => exec(undefined, false, q, args),
    execWithTimeout: (timeout, q, ...args) => exec(timeout, true, q, args),
    query: (q, ...args) => query(undefined, false, q, args),
    queryWithTimeout: (timeout, q, ...args) => query(timeout, true, q, args),
    close() {
      // database/sql's Close is idempotent.
      if (closed) return undefined;
      closed = true;
      onClose();
      const done = connector.close();
      if (!(done instanceof Promise)) return undefined;
      return host.block(done.catch(() => undefined));
    },
  };
}

/** database/sql's Result: each method returns its number or throws the driver's error. */
function resultOf(outcome: SqlExecOutcome): SqlResult {
  const value = (v: number | Error): number => {
    if (v instanceof Error) throw goError(v.message);
    return v;
  };
  return {
    lastInsertId: () => value(outcome.lastInsertId),
    rowsAffected: () => value(outcome.rowsAffected),
  };
}
