import { describe, expect, it } from 'vitest';
import { parsePostgresDsn } from './postgres-dsn.ts';
import { decodePostgresText } from './postgres-values.ts';
import { postgresError } from './postgres-connector.ts';

describe('parsePostgresDsn (lib/pq)', () => {
  it('reads URLs', () => {
    expect(parsePostgresDsn('postgres://me:p%40ss@db.local:5433/shop?sslmode=disable&search_path=app')).toEqual({
      user: 'me', password: 'p@ss', host: 'db.local', port: 5433, database: 'shop', sslmode: 'disable', runtime: { search_path: 'app' },
    });
  });

  it('reads libpq keyword strings with quoted values', () => {
    expect(parsePostgresDsn("host=127.0.0.1 port=5432 user=postgres password='it\\'s here' dbname=test")).toMatchObject({
      host: '127.0.0.1', port: 5432, user: 'postgres', password: "it's here", database: 'test',
    });
  });

  it('throws lib/pq\'s errors', () => {
    expect(() => parsePostgresDsn('host')).toThrow('missing "=" after "host" in connection info string');
    expect(() => parsePostgresDsn("password='open")).toThrow('unterminated quoted string literal in connection string');
    expect(() => parsePostgresDsn('sslmode=sometimes')).toThrow('pq: wrong value for "sslmode": "sometimes" is not supported');
  });
});

describe('PostgreSQL values as lib/pq decodes them', () => {
  it('text types are strings, numbers numbers, other types bytes', () => {
    expect(decodePostgresText(25, 'hi')).toBe('hi');
    expect(decodePostgresText(1043, 'hi')).toBe('hi');
    expect(decodePostgresText(20, '9007199254740991')).toBe(9007199254740991);
    expect(decodePostgresText(701, 'NaN')).toBeNaN();
    expect(decodePostgresText(16, 'f')).toBe(false);
    expect(decodePostgresText(1700, '1.5')).toEqual([49, 46, 53]);
    expect(decodePostgresText(2950, 'a0')).toEqual([97, 48]); // uuid
    expect(decodePostgresText(17, '\\x00ff')).toEqual([0, 255]);
    expect(decodePostgresText(17, 'a\\\\b\\001')).toEqual([97, 92, 98, 1]);
  });

  it('dates and times are Go times printed as Go prints them', () => {
    expect(String(decodePostgresText(1184, '2024-01-02 03:04:05.25+00'))).toBe('2024-01-02 03:04:05.25 +0000 UTC');
    expect(String(decodePostgresText(1184, '2024-01-02 03:04:05+02'))).toBe('2024-01-02 03:04:05 +0200 +0200');
    expect(String(decodePostgresText(1114, '2024-01-02 03:04:05'))).toBe('2024-01-02 03:04:05 +0000 +0000');
    expect(String(decodePostgresText(1082, '2024-01-02'))).toBe('2024-01-02 00:00:00 +0000 +0000');
    expect(String(decodePostgresText(1083, '12:34:56'))).toBe('0000-01-01 12:34:56 +0000 UTC');
    expect(JSON.stringify(decodePostgresText(1082, '2024-01-02'))).toBe('{}');
  });
});

describe('lib/pq error texts', () => {
  it('server errors carry "pq: ", the position and the SQLSTATE', () => {
    const e = Object.assign(new Error('relation "x" does not exist'), { severity: 'ERROR', code: '42P01', position: '15' });
    expect(postgresError(e, 'SELECT * FROM x').message).toBe('pq: relation "x" does not exist at column 15 (42P01)');
    expect(postgresError(e, 'SELECT *\n  FROM x').message).toBe('pq: relation "x" does not exist at position 2:6 (42P01)');
    const bind = Object.assign(new Error('bind message supplies 2 parameters, but prepared statement "" requires 1'), { severity: 'ERROR', code: '08P01' });
    expect(postgresError(bind, 'SELECT $1').message).toBe('pq: got 2 parameters but the statement requires 1');
  });

  it('a refused connection is Go\'s dial error', () => {
    const e = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 1 });
    expect(postgresError(e, 'SELECT 1').message).toBe('dial tcp 127.0.0.1:1: connect: connection refused');
  });
});
