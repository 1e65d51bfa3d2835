import { describe, expect, it } from 'vitest';
import { deniedTcpRules } from './network-denial.ts';

describe('deniedTcpRules', () => {
  it('refuses a database on this machine on every local address, a remote one on its own addresses', async () => {
    expect(await deniedTcpRules([{ host: '127.0.0.1', port: 5432 }])).toEqual([{ port: 5432, addresses: ['127.0.0.1'], local: true }]);
    expect(await deniedTcpRules([{ host: '203.0.113.7', port: 6543 }])).toEqual([{ port: 6543, addresses: ['203.0.113.7'], local: false }]);
  });

  it('resolves host names, and reads a Unix socket folder as a database on this machine', async () => {
    const [byName] = await deniedTcpRules([{ host: 'localhost', port: 5432 }]);
    expect(byName?.local).toBe(true);
    expect(byName?.addresses.length).toBeGreaterThan(0);
    expect(await deniedTcpRules([{ host: '/var/run/postgresql', port: 5433 }])).toEqual([{ port: 5433, addresses: [], local: true }]);
  });

  it('leaves out a name that does not resolve (the server cannot reach it either)', async () => {
    expect(await deniedTcpRules([{ host: 'no-such-host.invalid', port: 5432 }])).toEqual([]);
  });
});
