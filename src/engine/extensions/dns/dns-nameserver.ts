// resolve()'s nameserver argument as xk6-dns reads it (dns/nameserver.go): "ip", "ip:port", "[ipv6]",
// "[ipv6]:port" or a bare IPv6, port 53 by default, with the extension's error texts; and the
// nameserver's address as the `nameserver` tag shows it (Nameserver.Addr).
import { isIP } from 'node:net';
import { formatGoIp, parseGoIpBytes } from '../../options/go-ip.ts';

export interface Nameserver {
  /** Go's net.IP String() of the address. */
  readonly ip: string;
  readonly family: 4 | 6;
  readonly port: number;
}

export class NameserverError extends Error {}

/** Go's net.SplitHostPort, with its AddrError texts. */
export function splitHostPort(hostport: string): { host: string; port: string } {
  const fail = (why: string): NameserverError => new NameserverError(`address ${hostport}: ${why}`);
  let j = 0;
  let k = 0;
  const i = hostport.lastIndexOf(':');
  if (i < 0) throw fail('missing port in address');
  let host: string;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0) throw fail("missing ']' in address");
    if (end + 1 === hostport.length) throw fail('missing port in address');
    if (end + 1 !== i) throw fail(hostport[end + 1] === ':' ? 'too many colons in address' : 'missing port in address');
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) throw fail('too many colons in address');
  }
  if (hostport.slice(j).includes('[')) throw fail("unexpected '[' in address");
  if (hostport.slice(k).includes(']')) throw fail("unexpected ']' in address");
  return { host, port: hostport.slice(i + 1) };
}

/** Go's strconv.Atoi: an optional sign and decimal digits, else its syntax error. */
function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new NameserverError(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  return Number(s);
}

function parseHostAndPort(addr: string): { host: string; port: number } {
  if (addr.includes(']') && addr.startsWith('[') && addr.endsWith(']')) return { host: addr.slice(1, -1), port: 53 };
  if (!addr.includes(':')) return { host: addr, port: 53 };
  if (parseGoIpBytes(addr) !== undefined) return { host: addr, port: 53 };
  let parts;
  try {
    parts = splitHostPort(addr);
  } catch (e) {
    throw new NameserverError(`invalid nameserver address format: ${(e as Error).message}`);
  }
  let port: number;
  try {
    port = atoi(parts.port);
  } catch (e) {
    throw new NameserverError(`nameserver port not a number ${parts.port}: ${(e as Error).message}`);
  }
  if (port < 0 || port > 65535) throw new NameserverError(`nameserver port out of range ${port}`);
  return { host: parts.host, port };
}

/** parseNameserverAddr. */
export function parseNameserver(addr: string): Nameserver {
  const { host, port } = parseHostAndPort(addr);
  const bytes = parseGoIpBytes(host);
  if (bytes === undefined) throw new NameserverError(`invalid nameserver IP address: ${host}`);
  const ip = formatGoIp(bytes);
  return { ip, family: isIP(ip) === 6 ? 6 : 4, port };
}

/** Nameserver.Addr(): "ip:port", "[ipv6]:port". */
export function nameserverAddr(ns: Nameserver): string {
  return ns.family === 6 ? `[${ns.ip}]:${ns.port}` : `${ns.ip}:${ns.port}`;
}
