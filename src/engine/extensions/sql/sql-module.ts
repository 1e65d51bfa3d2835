// k6/x/sql (grafana/xk6-sql, an official extension k6 v2 resolves on import) and its driver modules
// k6/x/sql/driver/{postgres,mysql,sqlite3}. `sql.open(driver, dsn[, options])` opens a pool per call
// (lazily: nothing connects until the first query, as database/sql's Open), usable in the init
// context; the VU closes whatever is still open when it is torn down.
import type { VuHost } from '../../vu/vu-host.ts';
import { goError } from '../../vu/go-error.ts';
import { lookupSqlDriver, sqlDriverId, type SqlDriverName } from './sql-driver-ids.ts';
import type { SqlConnector } from './sql-connector.ts';
import { createSqlDatabase, type SqlDatabase } from './sql-database.ts';
import { parseSqlOptions, type SqlPoolOptions } from './sql-options.ts';
import { openPostgres } from './postgres-connector.ts';
import { openMysql } from './mysql-connector.ts';
import { openSqlite } from './sqlite-connector.ts';
import { createMysqlTlsExports } from './mysql-tls.ts';

const DRIVERS: Readonly<Record<SqlDriverName, (dsn: string, opts: SqlPoolOptions) => SqlConnector>> = {
  postgres: openPostgres,
  mysql: openMysql,
  sqlite3: (dsn) => openSqlite(dsn),
};

export function createSqlModule(host: VuHost): Record<string, unknown> {
  // The pools still open, closed without blocking when the VU is torn down.
  const open = new Map<SqlDatabase, SqlConnector>();
  host.lifecycle.onClose(async () => {
    const all = [...open.values()];
    open.clear();
    await Promise.allSettled(all.map(async (c) => c.close()));
  });

  function openDb(driverId: unknown, dataSourceName: unknown, options?: unknown): SqlDatabase {
    let connector: SqlConnector;
    try {
      const name = lookupSqlDriver(driverId);
      // As xk6-sql: sql.Open (the DSN's errors) comes before the options are applied.
      let opts: SqlPoolOptions | Error;
      try {
        opts = parseSqlOptions(options);
      } catch (e) {
        opts = e as Error;
      }
      connector = DRIVERS[name](String(dataSourceName), opts instanceof Error ? parseSqlOptions(undefined) : opts);
      if (opts instanceof Error) throw opts;
    } catch (e) {
      throw goError((e as Error).message);
    }
    const db = createSqlDatabase(host, connector, () => open.delete(db));
    open.set(db, connector);
    return db;
  }

  const mod = { open: openDb };
  return { open: openDb, default: mod };
}

/** A driver module: its default export is the driver's id; mysql's also has its TLS helpers. */
export function createSqlDriverModule(name: SqlDriverName): Record<string, unknown> {
  if (name !== 'mysql') return { default: sqlDriverId(name) };
  const tls = createMysqlTlsExports();
  const goErrors = (fn: unknown) => (...args: unknown[]): unknown => {
    try {
      return (fn as (...a: unknown[]) => unknown)(...args);
    } catch (e) {
      throw goError((e as Error).message);
    }
  };
  return { ...tls, loadTLS: goErrors(tls.loadTLS), addTLS: goErrors(tls.addTLS), default: sqlDriverId(name) };
}
