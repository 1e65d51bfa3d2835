// k6's dialer rules for a connection (lib/netext/dialer.go): `blockHostnames` patterns, whose match
// names the pattern in the error, and `blacklistIPs` ranges, named likewise. Extensions that dial
// through the VU's dialer (k6/x/tcp, k6/x/dns, k6/x/redis, k6/x/mqtt, k6/x/tls) report them in these words, and resolve addresses with resolveAddr.
import { isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';
import { resolveHostsEntry, type ConnectionSettings } from '../http/vu-connections.ts';
import { blacklistedRangeOf } from '../http/network-policy.ts';

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

/** The blacklistIPs range (as Go's IPNet prints it) that holds `ip`, if any; IPv4 only in IPv4 ranges. */
export function blacklistedRange(ranges: readonly string[] | undefined, ip: string): string | undefined {
  if (ranges === undefined || ranges.length === 0) return undefined;
  return blacklistedRangeOf(ranges, ip);
}

/** BlockedHostError's text. */
export function blockedHostText(hostname: string, pattern: string): string {
  return `hostname (${hostname}) is in a blocked pattern (${pattern})`;
}

/** BlackListedIPError's text. */
export function blacklistedIpText(ip: string, range: string): string {
  return `IP (${ip}) is in a blacklisted range (${range})`;
}

/**
 * k6's Dialer.ResolveAddr(host:port): a blocked hostname fails, a `hosts` entry maps the name (and
 * may give the port), a name is looked up with the `dns` option's resolver, and an address inside a
 * blacklisted range fails. Rejects with an Error in k6's words (`lookup x: no such host`).
 */
export function resolveAddr(settings: ConnectionSettings, host: string, port?: string | number): Promise<{ ip: string; port: number | undefined }> {
  if (isIP(host) === 0) {
    const pattern = blockedPattern(settings.blockHostnames, host);
    if (pattern !== undefined) return Promise.reject(new Error(blockedHostText(host, pattern)));
  }
  const mapped = resolveHostsEntry(settings.hosts, host, port);
  const target = mapped?.host ?? host;
  const targetPort = mapped?.port ?? (port === undefined || port === '' ? undefined : Number(port));
  const checked = (ip: string): Promise<{ ip: string; port: number | undefined }> => {
    const range = blacklistedRange(settings.blacklistIPs, ip);
    return range === undefined ? Promise.resolve({ ip, port: targetPort }) : Promise.reject(new Error(blacklistedIpText(ip, range)));
  };
  if (isIP(target) !== 0) return checked(target);
  const lookup = settings.lookup ?? dnsLookup;
  return new Promise<string>((resolve, reject) => {
    lookup(target, {}, (err, address) => {
      if (err !== null) {
        reject(new Error(err.code === 'ENOTFOUND' || err.code === 'ENODATA' ? `lookup ${target}: no such host` : `lookup ${target}: ${err.message}`));
        return;
      }
      resolve(typeof address === 'string' ? address : String((address as unknown as { address: string }[])[0]?.address ?? ''));
    });
  }).then(checked);
}
