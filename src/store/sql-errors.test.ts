import { describe, expect, it } from 'vitest';
import { isStoreUnavailable } from './sql-errors.ts';

const err = (message: string, code?: string): Error => Object.assign(new Error(message), code === undefined ? {} : { code });

describe('isStoreUnavailable', () => {
  it.each([
    ['pg connection lost', err('Connection terminated unexpectedly')],
    ['pg refused', err('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['pg reset', err('read ECONNRESET', 'ECONNRESET')],
    ['pg admin shutdown', err('terminating connection due to administrator command', '57P01')],
    ['pg starting up', err('the database system is starting up', '57P03')],
    ['pg too many connections', err('sorry, too many clients already', '53300')],
    ['pg read-only', err('cannot execute INSERT in a read-only transaction', '25006')],
    ['sqlite busy', err('database is locked', 'SQLITE_BUSY')],
    ['sqlite full', err('database or disk is full', 'SQLITE_FULL')],
    ['sqlite read-only', err('attempt to write a readonly database', 'SQLITE_READONLY')],
    ['sqlite io', err('disk I/O error', 'SQLITE_IOERR_WRITE')],
    ['wrapped', new Error('migration failed', { cause: err('x', 'ECONNREFUSED') })],
  ])('%s: unavailable for now', (_name, e) => expect(isStoreUnavailable(e)).toBe(true));

  it.each([
    ['unique violation', err('duplicate key', '23505')],
    ['syntax error', err('syntax error at or near', '42601')],
    ['sqlite constraint', err('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE')],
    ['sqlite corrupt', err('database disk image is malformed', 'SQLITE_CORRUPT')],
    ['plain error', new Error('boom')],
    ['not an error', 'Connection terminated'],
  ])('%s: not', (_name, e) => expect(isStoreUnavailable(e)).toBe(false));
});
