import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { ERROR_CODE, K6HttpError } from './error-codes.ts';
import { formatGoIp, normalizeCidr, parseGoIpBytes } from '../options/go-ip.ts';

// `blockHostnames` and `blacklistIPs` (k6 lib/netext/dialer.go): a blocked name fails before dialling
// with 1111, and an address inside a blacklisted CIDR — given literally or resolved — fails with 1110.
// `res.error` is k6's short message for the code; what a script catches (and the `Request Failed`
// line) is the dialer's own error text, naming the pattern or the range, as Go's url.Error carries it.

interface Range {
  /** As Go's IPNet prints it: `8.9.10.0/24`, `::/24`. */
  readonly text: string;
  readonly list: BlockList;
  readonly family: 'ipv4' | 'ipv6';
}

/**
 * The range holding `ip`, if any. As Go's IPNet.Contains: an IPv4 address (also written as
 * `::ffff:a.b.c.d`) is only ever in an IPv4 range and an IPv6 address in an IPv6 one — `::/24` does not
 * hold 127.0.0.1, though Node's BlockList would match it as `::ffff:127.0.0.1`.
 */
function rangeHolding(ranges: readonly Range[], ip: string): Range | undefined {
  const bytes = parseGoIpBytes(ip);
  if (bytes === undefined) return undefined;
  const text = formatGoIp(bytes);
  const family = isIP(text) === 4 ? 'ipv4' : 'ipv6';
  return ranges.find((r) => r.family === family && r.list.check(text, family));
}

function toRange(cidr: string): Range | undefined {
  const withBits = cidr.includes('/') ? cidr : `${cidr}/${isIP(cidr) === 6 ? 128 : 32}`;
  const text = normalizeCidr(withBits);
  if (text === undefined) return undefined;
  const [net = '', bits = ''] = text.split('/');
  const family = isIP(net) === 6 ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  list.addSubnet(net, Number(bits), family);
  return { text, list, family };
}

/** The range of `cidrs` (as Go prints it) that holds `ip`, if any: for the dialers outside k6/http. */
export function blacklistedRangeOf(cidrs: readonly string[], ip: string): string | undefined {
  const ranges = cidrs.map(toRange).filter((r): r is Range => r !== undefined);
  return rangeHolding(ranges, ip)?.text;
}

export class NetworkPolicy {
  private readonly exact = new Set<string>();
  private readonly suffixes: string[] = [];
  private readonly ranges: Range[] = [];
  /** A dns.lookup that refuses blacklisted answers; undefined when there is no blacklist. */
  readonly lookup: LookupFunction | undefined;

  /** `resolve` is the lookup the blacklist filters (the `dns` option's resolver). */
  constructor(blockHostnames: readonly string[], blacklistIPs: readonly string[], resolve: LookupFunction = dnsLookup) {
    for (const raw of blockHostnames) {
      const name = raw.trim().toLowerCase();
      if (name.startsWith('*')) this.suffixes.push(name);
      else if (name !== '') this.exact.add(name);
    }
    for (const cidr of blacklistIPs) {
      const range = toRange(cidr);
      if (range !== undefined) this.ranges.push(range);
    }
    if (this.ranges.length > 0) {
      // net.connect may ask for every address (autoSelectFamily): then the answer is an array.
      type AnyLookupCallback = (err: NodeJS.ErrnoException | null, address: unknown, family?: number) => void;
      this.lookup = (hostname, options, callback) => {
        const cb = callback as unknown as AnyLookupCallback;
        resolve(hostname, options, (err: NodeJS.ErrnoException | null, address: unknown, family?: number) => {
          if (err) return cb(err, address, family);
          if (typeof address === 'string') {
            const refused = this.blacklisted(address);
            return refused !== undefined ? cb(refused as unknown as NodeJS.ErrnoException, address, family) : cb(null, address, family);
          }
          const all = address as { address: string; family: number }[];
          const allowed = all.filter((a) => this.blacklisted(a.address) === undefined);
          if (allowed.length > 0) return cb(null, allowed, family);
          const refused = this.blacklisted(all[0]?.address ?? '');
          return cb((refused ?? new K6HttpError(ERROR_CODE.blacklistedIp, 'ip is blacklisted')) as unknown as NodeJS.ErrnoException, address, family);
        });
      };
    } else {
      this.lookup = undefined;
    }
  }

  get active(): boolean {
    return this.ranges.length > 0 || this.exact.size > 0 || this.suffixes.length > 0;
  }

  /** The error for dialling `hostname` (a name or an IP literal), or undefined when allowed. */
  check(hostname: string): K6HttpError | undefined {
    const name = hostname.toLowerCase();
    const bare = name.startsWith('[') ? name.slice(1, -1) : name;
    // As k6's dialer: an IP literal is never a blocked hostname, only maybe a blacklisted address.
    if (isIP(bare) !== 0) return this.blacklisted(bare);
    const pattern = this.blockedPattern(name);
    if (pattern === undefined) return undefined;
    return new K6HttpError(ERROR_CODE.blockedHostname, 'hostname is blocked', `hostname (${name}) is in a blocked pattern (${pattern})`);
  }

  /** The pattern k6's hostname trie reports: the name itself when listed, else the longest `*…` suffix. */
  private blockedPattern(name: string): string | undefined {
    if (this.exact.has(name)) return name;
    let best: string | undefined;
    for (const p of this.suffixes) {
      if (name.endsWith(p.slice(1)) && (best === undefined || p.length > best.length)) best = p;
    }
    return best;
  }

  private blacklisted(ip: string): K6HttpError | undefined {
    const range = rangeHolding(this.ranges, ip);
    if (range === undefined) return undefined;
    const shown = formatGoIp(parseGoIpBytes(ip) as Uint8Array);
    return new K6HttpError(ERROR_CODE.blacklistedIp, 'ip is blacklisted', `IP (${shown}) is in a blacklisted range (${range.text})`);
  }
}
