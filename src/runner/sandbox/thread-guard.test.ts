import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';

const { connectRefused } = createRequire(import.meta.url)('./thread-guard.cjs') as {
  connectRefused(rules: string | undefined, address: unknown, port: unknown, family: 4 | 6): boolean;
};

// The database on this machine (local: every local address of its port) and one on another host.
const LOCAL = JSON.stringify([{ port: 5432, addresses: ['127.0.0.1'], local: true }]);
const REMOTE = JSON.stringify([{ port: 5432, addresses: ['192.0.2.7'], local: false }]);

describe('thread guard: which TCP connects are refused', () => {
  it('refuses the port on every spelling libuv dials as this machine', () => {
    const v4 = ['127.0.0.1', '127.1.2.3', '0.0.0.0', '0.0.0.1', '0.255.255.255', '127.0.0.1\0ignored'];
    for (const address of v4) expect(connectRefused(LOCAL, address, 5432, 4), address).toBe(true);
    const v6 = ['::1', '::', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::FFFF:7f00:1', '::ffff:0.0.0.1', '::127.0.0.1', '::1%lo', '::ffff:127.0.0.1%eth0'];
    for (const address of v6) expect(connectRefused(LOCAL, address, 5432, 6), address).toBe(true);
  });

  it('refuses the port past 65535, which the TCP handle dials modulo 65536', () => {
    expect(connectRefused(LOCAL, '127.0.0.1', 5432 + 65536, 4)).toBe(true);
    expect(connectRefused(LOCAL, '::1', 5432 + 3 * 65536, 6)).toBe(true);
  });

  it('reads a zoned IPv6 address as libuv does: the part before `%`, cut to 39 characters', () => {
    // Dialled as ::ffff:192.0.2.7 (the text before the zone is 40 characters long).
    expect(connectRefused(REMOTE, '0000:0000:0000:0000:0000:ffff:192.0.2.70%lo', 5432, 6)).toBe(true);
    expect(connectRefused(REMOTE, '::ffff:192.0.2.70', 5432, 6)).toBe(false);
  });

  it('refuses what it cannot read, and everything when the rules are missing or unreadable', () => {
    expect(connectRefused(LOCAL, '127.1', 5432, 4)).toBe(true);
    expect(connectRefused(LOCAL, { toString: () => '8.8.8.8' }, 5432, 4)).toBe(true);
    expect(connectRefused(LOCAL, '127.0.0.1', '5432', 4)).toBe(true);
    expect(connectRefused(undefined, '192.0.2.1', 80, 4)).toBe(true);
    expect(connectRefused('not json', '192.0.2.1', 80, 4)).toBe(true);
  });

  it('lets other ports and other hosts through', () => {
    expect(connectRefused(LOCAL, '127.0.0.1', 6379, 4)).toBe(false);
    expect(connectRefused(LOCAL, '192.0.2.1', 5432, 4)).toBe(false);
    expect(connectRefused(LOCAL, '2001:db8::1', 5432, 6)).toBe(false);
    expect(connectRefused('[]', '127.0.0.1', 5432, 4)).toBe(false);
    expect(connectRefused(REMOTE, '192.0.2.7', 5432, 4)).toBe(true);
    expect(connectRefused(REMOTE, '::ffff:c000:207', 5432, 6)).toBe(true);
    expect(connectRefused(REMOTE, '127.0.0.1', 5432, 4)).toBe(false);
  });
});
