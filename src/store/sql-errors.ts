// Recognising constraint violations across drivers: better-sqlite3 reports SQLITE_CONSTRAINT_* codes,
// pg reports SQLSTATE 23505 for unique violations and 23503 for foreign-key ones.
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || !('code' in err)) return false;
  const code = (err as { code: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** A row refers to one that is gone (typically deleted by a concurrent request). */
export function isForeignKeyViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || !('code' in err)) return false;
  const code = (err as { code: unknown }).code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

// PostgreSQL SQLSTATEs of a database that cannot serve us now but may again: connection exceptions
// (class 08), insufficient resources (53: too many connections, disk full), operator intervention (57P:
// shut down, restarting, not yet accepting connections), a read-only transaction (25006: a standby or
// `default_transaction_read_only`), serialization failures and deadlocks (40001, 40P01).
const PG_UNAVAILABLE = /^(08...|53...|57P0[1-4]|25006|40001|40P01)$/;
// Socket-level failures from pg, and the messages it raises without a code for a connection it lost.
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
const PG_LOST = /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Query read timeout/i;
// SQLite: the file locked by another process, the disk full or failing, the file or folder read-only.
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|PROTOCOL)/;

/**
 * The database could not serve the statement now (unreachable, restarting, out of connections or
 * disk, read-only, locked) — the same statement may succeed later. Not a constraint violation, a bug
 * in the statement, or a corrupt file.
 */
export function isStoreUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (PG_UNAVAILABLE.test(code) || NET_CODES.has(code) || SQLITE_UNAVAILABLE.test(code))) return true;
  if (typeof code !== 'string' && typeof message === 'string' && PG_LOST.test(message)) return true;
  const cause = (err as { cause?: unknown }).cause;
  return cause !== undefined && cause !== err && isStoreUnavailable(cause);
}
