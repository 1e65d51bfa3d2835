// What each k6/x/sql driver provides to a Database: one connection pool, Go database/sql's *sql.DB.
import type { SqlArg } from './sql-args.ts';

/** One result row: a property per column (a later column of the same name wins, as in xk6-sql's map). */
export type SqlRow = Record<string, unknown>;

/** database/sql's Result: each field a number, or the error text its method returns. */
export interface SqlExecOutcome {
  readonly rowsAffected: number | Error;
  readonly lastInsertId: number | Error;
}

/**
 * A driver's pool. Calls may return synchronously (SQLite) or a promise. `signal` aborts when a
 * `*WithTimeout` call's deadline passes: the driver then gives up the connection it used. Failures
 * throw (or reject with) Errors whose message is the Go driver's error text.
 */
export interface SqlConnector {
  exec(query: string, args: readonly SqlArg[], signal?: AbortSignal): SqlExecOutcome | Promise<SqlExecOutcome>;
  query(query: string, args: readonly SqlArg[], signal?: AbortSignal): SqlRow[] | Promise<SqlRow[]>;
  close(): void | Promise<void>;
}

/** Builds a row from column names and values in column order. */
export function rowOf(names: readonly string[], values: readonly unknown[]): SqlRow {
  const row: SqlRow = {};
  names.forEach((name, i) => {
    // defineProperty: a column named __proto__ is a property like any other.
    Object.defineProperty(row, name, { value: values[i] ?? null, writable: true, enumerable: true, configurable: true });
  });
  return row;
}

/** Go's []byte as a k6 script sees it: an array of the byte values. */
export function goBytes(bytes: Uint8Array): number[] {
  return Array.from(bytes);
}
