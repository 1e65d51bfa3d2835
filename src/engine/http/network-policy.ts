import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { ERROR_CODE, K6HttpError } from './error-codes.ts';

// `blockHostnames` and `blacklistIPs` (k6 lib/netext/dialer.go): a blocked name fails before dialling
// with 1111, and an address inside a blacklisted CIDR — given literally or resolved — fails with 1110.

export class NetworkPolicy {
  private readonly exact = new Set<string>();
  private readonly suffixes: string[] = [];
  private readonly blocked: BlockList | undefined;
  /** A dns.lookup that refuses blacklisted answers; undefined when there is no blacklist. */
  readonly lookup: LookupFunction | undefined;

  /** `resolve` is the lookup the blacklist filters (the `dns` option's resolver). */
  constructor(blockHostnames: readonly string[], blacklistIPs: readonly string[], resolve: LookupFunction = dnsLookup) {
    for (const raw of blockHostnames) {
      const name = raw.trim().toLowerCase();
      if (name.startsWith('*')) this.suffixes.push(name.slice(1));
      else if (name !== '') this.exact.add(name);
    }
    if (blacklistIPs.length > 0) {
      const list = new BlockList();
      for (const cidr of blacklistIPs) {
        const [net, bits] = cidr.split('/');
        if (net === undefined || isIP(net) === 0) continue;
        const family = isIP(net) === 6 ? 'ipv6' : 'ipv4';
        const prefix = bits === undefined ? (family === 'ipv6' ? 128 : 32) : Number(bits);
        list.addSubnet(net, prefix, family);
      }
      this.blocked = list;
      const refuse = new K6HttpError(ERROR_CODE.blacklistedIp, 'ip is blacklisted') as unknown as NodeJS.ErrnoException;
      // net.connect may ask for every address (autoSelectFamily): then the answer is an array.
      type AnyLookupCallback = (err: NodeJS.ErrnoException | null, address: unknown, family?: number) => void;
      this.lookup = (hostname, options, callback) => {
        const cb = callback as unknown as AnyLookupCallback;
        resolve(hostname, options, (err: NodeJS.ErrnoException | null, address: unknown, family?: number) => {
          if (err) return cb(err, address, family);
          if (typeof address === 'string') {
            return this.isBlacklisted(address) ? cb(refuse, address, family) : cb(null, address, family);
          }
          const allowed = (address as { address: string; family: number }[]).filter((a) => !this.isBlacklisted(a.address));
          return allowed.length === 0 ? cb(refuse, address, family) : cb(null, allowed, family);
        });
      };
    } else {
      this.blocked = undefined;
      this.lookup = undefined;
    }
  }

  get active(): boolean {
    return this.blocked !== undefined || this.exact.size > 0 || this.suffixes.length > 0;
  }

  /** The error for dialling `hostname` (a name or an IP literal), or undefined when allowed. */
  check(hostname: string): K6HttpError | undefined {
    const name = hostname.toLowerCase();
    if (this.exact.has(name) || this.suffixes.some((s) => name.endsWith(s))) {
      return new K6HttpError(ERROR_CODE.blockedHostname, 'hostname is blocked');
    }
    const bare = name.startsWith('[') ? name.slice(1, -1) : name;
    if (isIP(bare) !== 0 && this.isBlacklisted(bare)) {
      return new K6HttpError(ERROR_CODE.blacklistedIp, 'ip is blacklisted');
    }
    return undefined;
  }

  private isBlacklisted(ip: string): boolean {
    if (this.blocked === undefined) return false;
    return this.blocked.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
  }
}
