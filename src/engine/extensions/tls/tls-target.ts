// The address tls.getCertificate(target) dials (xk6-tls parseTargetAddr): a bare host gets port 443,
// anything with a colon is split as Go's net.SplitHostPort splits it, an empty port also means 443.
// Failures carry the extension's texts and Go's AddrError texts ("address x: missing port in address").

export class TargetError extends Error {}

export interface Target {
  readonly host: string;
  readonly port: number;
}

const DEFAULT_PORT = '443';

function addrError(addr: string, why: string): TargetError {
  return new TargetError(`address ${addr}: ${why}`);
}

/** Go's net.SplitHostPort. */
export function splitHostPort(hostport: string): [string, string] {
  const i = hostport.lastIndexOf(':');
  if (i < 0) throw addrError(hostport, 'missing port in address');
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0) throw addrError(hostport, "missing ']' in address");
    if (end + 1 === hostport.length) throw addrError(hostport, 'missing port in address');
    if (end + 1 !== i) throw addrError(hostport, hostport[end + 1] === ':' ? 'too many colons in address' : 'missing port in address');
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) throw addrError(hostport, 'too many colons in address');
  }
  if (hostport.slice(j).includes('[')) throw addrError(hostport, "unexpected '[' in address");
  if (hostport.slice(k).includes(']')) throw addrError(hostport, "unexpected ']' in address");
  return [host, hostport.slice(i + 1)];
}

/** Go's %q of an ASCII string (what the port error quotes). */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** xk6-tls' parseTargetAddr. */
export function parseTarget(target: string): Target {
  if (target === '') throw new TargetError('target address was not provided');
  if (!target.includes(':')) return { host: target, port: Number(DEFAULT_PORT) };
  const [host, port] = splitHostPort(target);
  if (host === '') throw new TargetError('the provided target does not contain a valid address in the host:[port] format');
  if (port === '') return { host, port: Number(DEFAULT_PORT) };
  // strconv.ParseUint(p, 10, 16): decimal digits only, at most 65535.
  if (!/^[0-9]+$/.test(port) || Number(port) > 0xffff) throw new TargetError(`the provided target does not contain a valid port ${goQuote(port)}`);
  return { host, port: Number(port) };
}
