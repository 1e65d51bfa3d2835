// k6's `dns` option (lib/netext/resolver.go): how a host name becomes the one IP a new connection dials.
// - lookup: every address of the name (getaddrinfo, so /etc/hosts applies), cached for `ttl` ("inf":
//   for the thread's life, "0": not cached, else a duration);
// - policy: preferIPv4 (the IPv4 addresses if any, else the IPv6 ones), preferIPv6 (the reverse),
//   onlyIPv4, onlyIPv6, any (all of them);
// - select: first, random, or roundRobin (rotating per name over the chosen addresses).
// No address left after the policy fails the dial like an unknown host (ENOTFOUND → k6 error 1101).
// One resolver per `dns` setting and thread, shared by its VUs (k6 has one per instance): the cache
// and the round-robin position are not per VU. The hosts option is applied before (vu-connections.ts).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { parseDuration } from '../../core/index.ts';
import type { DnsOptions } from '../options/k6-options.ts';

export type LookupAll = (hostname: string, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemLookupAll: LookupAll = (hostname, callback) => dnsLookup(hostname, { all: true }, callback);

interface CacheEntry {
  addresses: LookupAddress[];
  expires: number;
}

/** `ttl` in ms: Infinity for "inf", 0 for "0" (no cache); k6's default 5m when unusable. */
function ttlMs(ttl: string | undefined): number {
  if (ttl === 'inf') return Number.POSITIVE_INFINITY;
  if (ttl === undefined || ttl === '') return 300_000;
  try {
    return Math.max(0, parseDuration(ttl));
  } catch {
    return 300_000;
  }
}

export class DnsResolver {
  readonly #ttl: number;
  readonly #select: NonNullable<DnsOptions['select']>;
  readonly #policy: NonNullable<DnsOptions['policy']>;
  readonly #lookupAll: LookupAll;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #rounds = new Map<string, number>();
  /** For net.connect: one address, or a one-element list when asked for all (autoSelectFamily). */
  readonly lookup: LookupFunction;

  constructor(dns: DnsOptions, lookupAll: LookupAll = systemLookupAll, now: () => number = Date.now, random: () => number = Math.random) {
    this.#ttl = ttlMs(dns.ttl);
    this.#select = dns.select ?? 'random';
    this.#policy = dns.policy ?? 'preferIPv4';
    this.#lookupAll = lookupAll;
    this.#now = now;
    this.#random = random;
    type AnyLookupCallback = (err: NodeJS.ErrnoException | null, address: unknown, family?: number) => void;
    this.lookup = (hostname, options, callback) => {
      const cb = callback as unknown as AnyLookupCallback;
      this.resolve(hostname, (err, chosen) => {
        if (err !== null || chosen === undefined) return cb(err, undefined);
        return options.all === true ? cb(null, [chosen]) : cb(null, chosen.address, chosen.family);
      });
    };
  }

  /** The address a new connection to `hostname` dials. */
  resolve(hostname: string, callback: (err: NodeJS.ErrnoException | null, chosen?: LookupAddress) => void): void {
    const cached = this.#cache.get(hostname);
    if (cached !== undefined && cached.expires > this.#now()) {
      this.#answer(hostname, cached.addresses, callback);
      return;
    }
    this.#lookupAll(hostname, (err, addresses) => {
      if (err !== null) return callback(err);
      if (this.#ttl > 0) this.#cache.set(hostname, { addresses, expires: this.#now() + this.#ttl });
      return this.#answer(hostname, addresses, callback);
    });
  }

  #answer(hostname: string, all: LookupAddress[], callback: (err: NodeJS.ErrnoException | null, chosen?: LookupAddress) => void): void {
    const candidates = this.#applyPolicy(all);
    const chosen = this.#selectOne(hostname, candidates);
    if (chosen === undefined) {
      const err: NodeJS.ErrnoException = new Error(`lookup ${hostname}: no such host`);
      err.code = 'ENOTFOUND';
      callback(err);
      return;
    }
    callback(null, chosen);
  }

  #applyPolicy(all: LookupAddress[]): LookupAddress[] {
    if (this.#policy === 'any') return all;
    const v4 = all.filter((a) => a.family === 4);
    const v6 = all.filter((a) => a.family === 6);
    switch (this.#policy) {
      case 'preferIPv4':
        return v4.length > 0 ? v4 : v6;
      case 'preferIPv6':
        return v6.length > 0 ? v6 : v4;
      case 'onlyIPv4':
        return v4;
      case 'onlyIPv6':
        return v6;
    }
  }

  #selectOne(hostname: string, candidates: LookupAddress[]): LookupAddress | undefined {
    if (candidates.length === 0) return undefined;
    switch (this.#select) {
      case 'first':
        return candidates[0];
      case 'roundRobin': {
        const n = this.#rounds.get(hostname) ?? 0;
        this.#rounds.set(hostname, n + 1);
        return candidates[n % candidates.length];
      }
      case 'random':
        return candidates[Math.floor(this.#random() * candidates.length)];
    }
  }
}

const resolvers = new WeakMap<object, DnsResolver>();

/** The thread's resolver for this `dns` setting (consolidated options are one object per thread). */
export function dnsResolverFor(dns: DnsOptions | undefined): DnsResolver {
  if (dns === undefined) return new DnsResolver({});
  let r = resolvers.get(dns);
  if (r === undefined) {
    r = new DnsResolver(dns);
    resolvers.set(dns, r);
  }
  return r;
}
