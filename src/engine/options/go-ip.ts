// IP addresses and CIDR ranges as Go's net package reads and prints them, for the options k6 keeps as
// Go values (blacklistIPs: lib.IPNet from net.ParseCIDR; hosts: types.Host from net.ParseIP) and so
// shows normalised in `exec.test.options` and archive metadata: `10.1.2.3/8` → `10.0.0.0/8`,
// `2001:0DB8:0:0::1` → `2001:db8::1`, `::ffff:1.2.3.4` → `1.2.3.4`.
import { isIP } from 'node:net';

/** 16 bytes (an IPv4 address as ::ffff:a.b.c.d, as Go's ParseIP keeps it) and whether it was written as IPv4. */
interface GoIp {
  bytes: Uint8Array;
  v4: boolean;
}

/** Go's netip.ParseAddr without a zone (net.ParseIP, net.ParseCIDR): undefined when Go rejects it. */
function parseGoIp(text: string): GoIp | undefined {
  const family = isIP(text);
  if (family === 4) {
    const bytes = new Uint8Array(16);
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    text.split('.').forEach((part, i) => (bytes[12 + i] = Number(part)));
    return { bytes, v4: true };
  }
  if (family !== 6 || text.includes('%')) return undefined;
  // The WHATWG serialiser gives lowercase hex groups with one `::` at most: expand that.
  const canonical = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const [head = '', tail] = canonical.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    bytes[2 * i] = n >> 8;
    bytes[2 * i + 1] = n & 0xff;
  });
  return { bytes, v4: false };
}

/** net.ParseIP's 16 bytes (IPv4 as ::ffff:a.b.c.d), or undefined when Go returns nil. */
export function parseGoIpBytes(text: string): Uint8Array | undefined {
  return parseGoIp(text)?.bytes;
}

function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/** Go's net.IP.String() of 4 or 16 bytes: dotted for an IPv4(-mapped) address, else RFC 5952's form. */
export function formatGoIp(b: Uint8Array): string {
  if (b.length === 4 || isV4Mapped(b)) return [...b.subarray(b.length - 4)].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((b[i] ?? 0) << 8) | (b[i + 1] ?? 0)).toString(16));
  // The WHATWG serialiser compresses the first longest run of two or more zero groups, as Go does.
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

/**
 * `net.ParseCIDR(s)` then `IPNet.String()`: the network address (host bits cleared) and the prefix
 * length; an IPv6 range over the IPv4-mapped space prints as its IPv4 range. Undefined when Go
 * rejects the text.
 */
export function normalizeCidr(s: string): string | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseGoIp(s.slice(0, slash));
  const prefix = s.slice(slash + 1);
  if (ip === undefined || !/^\d+$/.test(prefix)) return undefined;
  const n = Number(prefix);
  if (n > (ip.v4 ? 32 : 128)) return undefined;
  const keep = ip.v4 ? 96 + n : n;
  const masked = ip.bytes.map((byte, i) => {
    const bits = Math.min(8, Math.max(0, keep - 8 * i));
    return byte & ((0xff << (8 - bits)) & 0xff);
  });
  // An IPv4 range keeps its ::ffff: prefix bits, so it prints as IPv4 (networkNumberAndMask).
  if (isV4Mapped(masked)) return `${formatGoIp(masked)}/${ip.v4 ? n : n - 96}`;
  return `${formatGoIp(masked)}/${n}`;
}

/** Whether Go's net.ParseCIDR accepts it. */
export function isGoCidr(s: string): boolean {
  return normalizeCidr(s) !== undefined;
}

/** Go's net.SplitHostPort: undefined when it fails (no port, or too many colons). */
function splitHostPort(s: string): { host: string; port: string } | undefined {
  const colon = s.lastIndexOf(':');
  if (colon < 0) return undefined;
  let host: string;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0 || end + 1 !== colon) return undefined;
    host = s.slice(1, end);
  } else {
    host = s.slice(0, colon);
    if (host.includes(':')) return undefined;
  }
  if (host.includes('[') || host.includes(']')) return undefined;
  return { host, port: s.slice(colon + 1) };
}

/**
 * A `hosts` value as k6 marshals it back (types.NullHosts): the address as Go prints it, with
 * `:port` (`[v6]:port`) unless the port is 0. Undefined when Go's ParseIP rejects the address, or
 * the port is not a number up to 65535.
 */
export function normalizeHostAddress(value: string): string | undefined {
  const split = splitHostPort(value);
  const ip = parseGoIp(split?.host ?? value);
  if (ip === undefined) return undefined;
  if (split !== undefined && (!/^\d{1,5}$/.test(split.port) || Number(split.port) > 65535)) return undefined;
  const text = formatGoIp(ip.bytes);
  const port = split === undefined ? 0 : Number(split.port);
  if (port === 0) return text;
  return text.includes(':') ? `[${text}]:${port}` : `${text}:${port}`;
}
