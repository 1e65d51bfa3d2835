import { describe, expect, it } from 'vitest';
import { databaseEndpoints } from './open-store.ts';

describe('databaseEndpoints (what runners are kept from connecting to)', () => {
  it('is nothing for the embedded SQLite store', () => {
    expect(databaseEndpoints({ dataDir: '/tmp/x' })).toEqual([]);
  });

  it("is the PostgreSQL server's host and port as pg reads DATABASE_URL, default port and Unix socket folders included", () => {
    expect(databaseEndpoints({ dataDir: '/tmp/x', databaseUrl: 'postgres://me:pw@db.internal:6543/app' })).toEqual([{ host: 'db.internal', port: 6543 }]);
    expect(databaseEndpoints({ dataDir: '/tmp/x', databaseUrl: 'postgres://postgres@127.0.0.1/test' })).toEqual([{ host: '127.0.0.1', port: 5432 }]);
    expect(databaseEndpoints({ dataDir: '/tmp/x', databaseUrl: 'postgresql:///test?host=/var/run/postgresql&port=5433' })).toEqual([{ host: '/var/run/postgresql', port: 5433 }]);
  });
});
