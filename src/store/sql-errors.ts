// Recognising constraint violations across drivers: better-sqlite3 reports SQLITE_CONSTRAINT_* codes,
// pg reports SQLSTATE 23505 for unique violations.
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || !('code' in err)) return false;
  const code = (err as { code: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
