import { describe, expect, it } from 'vitest';
import { lookupSqlDriver, sqlDriverId } from './sql-driver-ids.ts';
import { parseSqlOptions } from './sql-options.ts';
import { toSqlArgs } from './sql-args.ts';
import { GoTime } from './sql-go-time.ts';
import { mysqlError } from './mysql-connector.ts';
import { decodeMysqlText } from './mysql-values.ts';
import { parseSqliteDsn } from './sqlite-connector.ts';

describe('driver ids', () => {
  it('each driver module exports one Symbol named after the driver; sql.open takes it or Object(it)', () => {
    const id = sqlDriverId('postgres');
    expect(typeof id).toBe('symbol');
    expect(id.description).toBe('postgres');
    expect(lookupSqlDriver(id)).toBe('postgres');
    expect(lookupSqlDriver(Object(sqlDriverId('mysql')))).toBe('mysql');
  });

  it('refuses anything else with xk6-sql\'s errors', () => {
    expect(() => lookupSqlDriver('postgres')).toThrow(/^unsupported database: invalid driver parameter type$/);
    expect(() => lookupSqlDriver(undefined)).toThrow(/^unsupported database: invalid driver parameter type$/);
    expect(() => lookupSqlDriver(Symbol('postgres'))).toThrow(/^unsupported database: $/);
  });
});

describe('sql.open options', () => {
  it('reads durations and counts as database/sql setters take them', () => {
    expect(parseSqlOptions({ conn_max_idle_time: '1m30s', conn_max_lifetime: '2h', max_idle_conns: 3.7, max_open_conns: '10' }))
      .toEqual({ connMaxIdleTimeMs: 90_000, connMaxLifetimeMs: 7_200_000, maxIdleConns: 3, maxOpenConns: 10 });
    expect(parseSqlOptions(undefined)).toEqual({ connMaxIdleTimeMs: 0, connMaxLifetimeMs: 0, maxIdleConns: 2, maxOpenConns: 0 });
  });

  it('throws Go\'s time.ParseDuration errors', () => {
    expect(() => parseSqlOptions({ conn_max_idle_time: '5g' })).toThrow('time: unknown unit "g" in duration "5g"');
    expect(() => parseSqlOptions({ conn_max_lifetime: 5 })).toThrow('time: missing unit in duration "5"');
  });
});

describe('query arguments', () => {
  it('keeps driver values and refuses others with database/sql\'s message', () => {
    const d = new Date(0);
    expect(toSqlArgs([1, 'a', true, null, undefined, d])).toEqual([1, 'a', true, null, null, d]);
    expect(() => toSqlArgs([1, [2]])).toThrow('sql: converting argument $2 type: unsupported type []interface {}, a slice');
    expect(() => toSqlArgs([{ a: 1 }])).toThrow('sql: converting argument $1 type: unsupported type map[string]interface {}, a map');
    expect(() => toSqlArgs([new ArrayBuffer(1)])).toThrow('unsupported type sobek.ArrayBuffer, a struct');
  });
});

describe('GoTime', () => {
  it('prints as Go\'s Time.String() and offers Go\'s methods', () => {
    const t = new GoTime(Date.UTC(2024, 0, 2, 3, 4, 5, 120), 4500, 3600, '');
    expect(t.string()).toBe('2024-01-02 04:04:05.1200045 +0100 +0100');
    expect([t.unix(), t.year(), t.month(), t.day(), t.hour(), t.nanosecond()]).toEqual([1704164645, 2024, 1, 2, 4, 120_004_500]);
    expect(`${new GoTime(0, 0, 0, 'UTC')}`).toBe('1970-01-01 00:00:00 +0000 UTC');
  });
});

describe('MySQL values and errors (go-sql-driver text protocol)', () => {
  it('converts by column type', () => {
    const buf = (s: string): Buffer => Buffer.from(s);
    expect(decodeMysqlText({ columnType: 3, flags: 0 }, buf('42'), false)).toBe(42);
    expect(decodeMysqlText({ columnType: 8, flags: 32 }, buf('18446744073709551615'), false)).toBe(18446744073709551615);
    expect(decodeMysqlText({ columnType: 4, flags: 0 }, buf('1.1'), false)).toBe(Math.fround(1.1));
    expect(decodeMysqlText({ columnType: 253, flags: 0 }, buf('hi'), false)).toEqual([104, 105]);
    expect(decodeMysqlText({ columnType: 12, flags: 0 }, buf('2024-01-02 03:04:05'), false)).toEqual([...buf('2024-01-02 03:04:05')]);
    expect(String(decodeMysqlText({ columnType: 12, flags: 0 }, buf('2024-01-02 03:04:05'), true))).toBe('2024-01-02 03:04:05 +0000 UTC');
    expect(String(decodeMysqlText({ columnType: 10, flags: 0 }, buf('0000-00-00'), true))).toBe('0001-01-01 00:00:00 +0000 UTC');
    expect(decodeMysqlText({ columnType: 253, flags: 0 }, null, false)).toBeNull();
  });

  it('words errors as go-sql-driver', () => {
    expect(mysqlError({ message: 'x', errno: 1064, sqlState: '42000', sqlMessage: 'You have an error' }).message).toBe('Error 1064 (42000): You have an error');
    expect(mysqlError({ message: 'connect ECONNREFUSED', code: 'ECONNREFUSED', address: '127.0.0.1', port: 3307 }).message)
      .toBe('dial tcp 127.0.0.1:3307: connect: connection refused');
  });
});

describe('SQLite DSNs (go-sqlite3)', () => {
  it('takes paths, :memory: and file: URIs', () => {
    expect(parseSqliteDsn('data/app.db')).toEqual({ path: 'data/app.db', readonly: false });
    expect(parseSqliteDsn(':memory:')).toEqual({ path: ':memory:', readonly: false });
    expect(parseSqliteDsn('file:app.db?mode=ro&cache=shared')).toEqual({ path: 'app.db', readonly: true });
    expect(parseSqliteDsn('file:x?mode=memory')).toEqual({ path: ':memory:', readonly: false });
  });
});

describe('rows', () => {
  it('have a property per column in column order, a later duplicate winning, NULL as null', async () => {
    const { rowOf } = await import('./sql-connector.ts');
    const row = rowOf(['a', 'b', 'a', '__proto__'], [1, null, 3, 4]);
    expect(Object.keys(row)).toEqual(['a', 'b', '__proto__']);
    expect(row).toMatchObject({ a: 3, b: null });
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe(4);
  });
});
