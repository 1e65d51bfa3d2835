import { describe, expect, it } from 'vitest';
import type { LookupAddress } from 'node:dns';
import { DnsResolver, type LookupAll } from './dns-resolver.ts';
import type { DnsOptions } from '../options/k6-options.ts';

// `localhost` of a dual-stack machine, plus a second address of each family.
const DUAL: LookupAddress[] = [
  { address: '::1', family: 6 },
  { address: '127.0.0.1', family: 4 },
  { address: '127.0.0.2', family: 4 },
  { address: '::2', family: 6 },
];

function resolverOf(dns: DnsOptions, answers: LookupAddress[] = DUAL, clock = { now: 0 }): { r: DnsResolver; lookups: string[] } {
  const lookups: string[] = [];
  const lookupAll: LookupAll = (host, cb) => {
    lookups.push(host);
    cb(null, answers);
  };
  return { r: new DnsResolver(dns, lookupAll, () => clock.now, () => 0.99), lookups };
}

function resolve(r: DnsResolver, host = 'localhost'): Promise<string> {
  return new Promise((res, rej) => r.resolve(host, (err, chosen) => (err ? rej(err) : res(chosen?.address ?? ''))));
}

describe('DnsResolver (k6 dns option)', () => {
  it('policy picks the address family: onlyIPv4 → 127.0.0.1, onlyIPv6 → ::1, prefer* fall back, any keeps all', async () => {
    expect(await resolve(resolverOf({ policy: 'onlyIPv4', select: 'first' }).r)).toBe('127.0.0.1');
    expect(await resolve(resolverOf({ policy: 'preferIPv4', select: 'first' }).r)).toBe('127.0.0.1');
    expect(await resolve(resolverOf({ policy: 'onlyIPv6', select: 'first' }).r)).toBe('::1');
    expect(await resolve(resolverOf({ policy: 'preferIPv6', select: 'first' }).r)).toBe('::1');
    expect(await resolve(resolverOf({ policy: 'any', select: 'first' }).r)).toBe('::1');
    const v4only: LookupAddress[] = [{ address: '127.0.0.1', family: 4 }];
    expect(await resolve(resolverOf({ policy: 'preferIPv6' }, v4only).r)).toBe('127.0.0.1');
    await expect(resolve(resolverOf({ policy: 'onlyIPv6' }, v4only).r)).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('select: first, roundRobin per name, random', async () => {
    const rr = resolverOf({ policy: 'onlyIPv4', select: 'roundRobin' }).r;
    expect([await resolve(rr), await resolve(rr), await resolve(rr), await resolve(rr, 'other')])
      .toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.1', '127.0.0.1']);
    // random() = 0.99 picks the last candidate.
    expect(await resolve(resolverOf({ policy: 'any', select: 'random' }).r)).toBe('::2');
  });

  it('ttl caches lookups per name: a duration until it expires, "0" never, "inf" always', async () => {
    const clock = { now: 0 };
    const cached = resolverOf({ ttl: '1m', policy: 'any', select: 'first' }, DUAL, clock);
    await resolve(cached.r);
    clock.now = 59_000;
    await resolve(cached.r);
    expect(cached.lookups).toHaveLength(1);
    clock.now = 61_000;
    await resolve(cached.r);
    expect(cached.lookups).toHaveLength(2);
    const none = resolverOf({ ttl: '0' });
    await resolve(none.r);
    await resolve(none.r);
    expect(none.lookups).toHaveLength(2);
    const forever = resolverOf({ ttl: 'inf' }, DUAL, clock);
    await resolve(forever.r);
    clock.now = 1e12;
    await resolve(forever.r);
    expect(forever.lookups).toHaveLength(1);
  });

  it('answers net.connect lookups with one address, as a list when all addresses are asked for', async () => {
    const { r } = resolverOf({ policy: 'onlyIPv4', select: 'first' });
    const single = await new Promise((res) => r.lookup('localhost', {}, (err, address, family) => res([err, address, family])));
    expect(single).toEqual([null, '127.0.0.1', 4]);
    const all = await new Promise((res) => r.lookup('localhost', { all: true }, (err, addresses) => res([err, addresses])));
    expect(all).toEqual([null, [{ address: '127.0.0.1', family: 4 }]]);
  });
});
