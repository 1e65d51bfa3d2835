import { describe, expect, it } from 'vitest';
import { parseMysqlDsn } from './mysql-dsn.ts';
import { bindMysqlArgs, placeholderPositions } from './mysql-placeholders.ts';

describe('parseMysqlDsn (go-sql-driver ParseDSN)', () => {
  it('reads user, password, network address, database and parameters', () => {
    const cfg = parseMysqlDsn('app:s3cr@t/x@tcp(db.local:3307)/shop?parseTime=true&multiStatements=1&sql_mode=ANSI');
    expect(cfg).toMatchObject({ user: 'app', password: 's3cr@t/x', net: 'tcp', addr: 'db.local:3307', dbname: 'shop', parseTime: true, multiStatements: true, params: { sql_mode: 'ANSI' } });
  });

  it('fills Go\'s defaults: tcp to 127.0.0.1:3306, port 3306 added to a bare host', () => {
    expect(parseMysqlDsn('/test')).toMatchObject({ user: '', net: 'tcp', addr: '127.0.0.1:3306', dbname: 'test' });
    expect(parseMysqlDsn('root@tcp(localhost)/')).toMatchObject({ user: 'root', addr: 'localhost:3306', dbname: '' });
    expect(parseMysqlDsn('root@unix(/run/mysqld.sock)/db')).toMatchObject({ net: 'unix', addr: '/run/mysqld.sock' });
  });

  it('throws ParseDSN\'s errors', () => {
    expect(() => parseMysqlDsn('root@tcp(127.0.0.1:3306)')).toThrow('invalid DSN: missing the slash separating the database name');
    expect(() => parseMysqlDsn('root@tcp(127.0.0.1:3306/db')).toThrow('invalid DSN: network address not terminated (missing closing brace)');
    expect(() => parseMysqlDsn('root@tcp(a)b/db')).toThrow('invalid DSN: did you forget to escape a param value?');
    expect(() => parseMysqlDsn('/db?parseTime=yes')).toThrow('invalid bool value: yes');
    expect(() => parseMysqlDsn('/db?timeout=5x')).toThrow('time: unknown unit "x" in duration "5x"');
    expect(() => parseMysqlDsn('root@udp(x)/db')).toThrow('unknown network udp');
  });
});

describe('MySQL placeholders', () => {
  it('finds ? outside quotes, backquotes and comments', () => {
    expect(placeholderPositions("SELECT ?, '?', \"?\", `?`, ? -- ?\n, ? /* ? */ # ?")).toHaveLength(3);
  });

  it('replaces them with literals, and counts as database/sql does', () => {
    const esc = (s: string): string => `'${s.replace(/'/g, "\\'")}'`;
    expect(bindMysqlArgs('INSERT INTO t VALUES (?, ?, ?, ?, ?)', [1, "it's", null, true, new Uint8Array([1, 255])], esc))
      .toBe("INSERT INTO t VALUES (1, 'it\\'s', NULL, 1, X'01ff')");
    expect(bindMysqlArgs('SELECT ?', [new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 60))], esc)).toBe("SELECT '2024-01-02 03:04:05.060000'");
    expect(() => bindMysqlArgs('SELECT ?', [1, 2], esc)).toThrow('sql: expected 1 arguments, got 2');
  });
});
