// The driver ids of k6/x/sql: each driver module (`k6/x/sql/driver/<name>`) exports a Symbol whose
// description is the driver's name, and sql.open() takes only a Symbol it registered (xk6-sql's
// drivers.go registry). One Symbol per name for the whole process, as xk6-sql registers each once.

/** The drivers Stampede provides, by the name their module path ends with. */
export const SQL_DRIVER_NAMES = ['postgres', 'mysql', 'sqlite3'] as const;

export type SqlDriverName = (typeof SQL_DRIVER_NAMES)[number];

const ids = new Map<SqlDriverName, symbol>(SQL_DRIVER_NAMES.map((name) => [name, Symbol(name)]));
const names = new Map<symbol, SqlDriverName>([...ids].map(([name, id]) => [id, name]));

/** The driver module's default export. */
export function sqlDriverId(name: SqlDriverName): symbol {
  return ids.get(name) as symbol;
}

/**
 * xk6-sql's asSymbol + lookupDriver: a Symbol, or an object whose valueOf() gives one (`Object(sym)`).
 * Throws its errors ("unsupported database: …", the name empty for a Symbol it did not register).
 */
export function lookupSqlDriver(value: unknown): SqlDriverName {
  const sym = asSymbol(value);
  if (sym === undefined) throw new Error('unsupported database: invalid driver parameter type');
  const name = names.get(sym);
  if (name === undefined) throw new Error('unsupported database: ');
  return name;
}

function asSymbol(value: unknown): symbol | undefined {
  if (typeof value === 'symbol') return value;
  if (value === null || typeof value !== 'object') return undefined;
  const valueOf = (value as { valueOf?: unknown }).valueOf;
  if (typeof valueOf !== 'function') return undefined;
  try {
    const v: unknown = valueOf.call(value);
    return typeof v === 'symbol' ? v : undefined;
  } catch {
    return undefined;
  }
}
