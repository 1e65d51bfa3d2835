import { describe, expect, it } from 'vitest';
import { IpPool } from './ip-pool.ts';

describe('localIPs pool (k6 lib/types/ipblock.go)', () => {
  it('hands out the listed IPs, ranges and CIDRs in order, VU n taking index n-1, wrapping around', () => {
    const pool = IpPool.parse('10.0.0.5,192.168.0.10-192.168.0.11,172.16.0.0/30');
    // /30 has 4 addresses: the network and broadcast ones are left out (k6 ipBlockFromCIDR).
    expect([1, 2, 3, 4, 5, 6, 7].map((vu) => pool.addressForVu(vu))).toEqual([
      '10.0.0.5', '192.168.0.10', '192.168.0.11', '172.16.0.1', '172.16.0.2', '10.0.0.5', '192.168.0.10',
    ]);
    expect(pool.addressForVu(0)).toBe('10.0.0.5');
    // A /31 keeps both of its addresses.
    expect([0, 1].map((i) => IpPool.parse('127.0.0.2/31').address(i))).toEqual(['127.0.0.2', '127.0.0.3']);
  });

  it('IPv6 ranges and CIDRs count in 128 bits', () => {
    const pool = IpPool.parse('fd:1::fffe-fd:1::1:1');
    expect([0, 1, 2, 3].map((i) => pool.address(i))).toEqual(['fd:1:0:0:0:0:0:fffe', 'fd:1:0:0:0:0:0:ffff', 'fd:1:0:0:0:0:1:0', 'fd:1:0:0:0:0:1:1']);
    expect(IpPool.parse('fd:1::0/127').address(1)).toBe('fd:1:0:0:0:0:0:1');
  });

  it('rejects what k6 rejects, in its words', () => {
    expect(() => IpPool.parse('foo')).toThrow('foo is not a valid IP, IP range or CIDR');
    expect(() => IpPool.parse('10.0.0.1-x')).toThrow('wrong IP range format: 10.0.0.1-x');
    expect(() => IpPool.parse('10.0.0.1-fd::1')).toThrow('mixed IP range format: 10.0.0.1-fd::1');
    expect(() => IpPool.parse('10.0.0.9-10.0.0.1')).toThrow('negative IP range: 10.0.0.9-10.0.0.1');
    expect(() => IpPool.parse('10.0.0.0/33')).toThrow('parseCIDR() failed parsing 10.0.0.0/33');
  });
});
