// k6's dialer rules for a connection (lib/netext/dialer.go): `blockHostnames` patterns, whose match
// names the pattern in the error, and `blacklistIPs` ranges, named likewise. Extensions that dial
// through the VU's dialer (k6/x/tcp, k6/x/dns, k6/x/redis, k6/x/mqtt) report them in these words.
import { BlockList, isIP } from 'node:net';

/** The blockHostnames pattern `hostname` matches (lower-cased, as k6's trie stores it), if any. */
export function blockedPattern(patterns: readonly string[] | undefined, hostname: string): string | undefined {
  if (patterns === undefined || patterns.length === 0) return undefined;
  const name = hostname.toLowerCase();
  let best: string | undefined;
  for (const raw of patterns) {
    const p = raw.trim().toLowerCase();
    if (p === '') continue;
    if (p === name) return p;
    if (p.startsWith('*') && name.endsWith(p.slice(1)) && (best === undefined || p.length > best.length)) best = p;
  }
  return best;
}

/** The blacklistIPs range (as written in the option) that holds `ip`, if any. */
export function blacklistedRange(ranges: readonly string[] | undefined, ip: string): string | undefined {
  if (ranges === undefined || ranges.length === 0) return undefined;
  const family = isIP(ip);
  if (family === 0) return undefined;
  for (const cidr of ranges) {
    const [net, bits] = cidr.split('/');
    if (net === undefined || isIP(net) === 0) continue;
    const f = isIP(net) === 6 ? 'ipv6' : 'ipv4';
    const prefix = bits === undefined ? (f === 'ipv6' ? 128 : 32) : Number(bits);
    const list = new BlockList();
    try {
      list.addSubnet(net, prefix, f);
    } catch {
      continue;
    }
    if (list.check(ip, family === 6 ? 'ipv6' : 'ipv4')) return cidr;
  }
  return undefined;
}

/** BlockedHostError's text. */
export function blockedHostText(hostname: string, pattern: string): string {
  return `hostname (${hostname}) is in a blocked pattern (${pattern})`;
}

/** BlackListedIPError's text. */
export function blacklistedIpText(ip: string, range: string): string {
  return `IP (${ip}) is in a blacklisted range (${range})`;
}
