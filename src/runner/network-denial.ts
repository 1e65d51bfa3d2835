// What a runner may not connect to: the server's own services (its PostgreSQL database). Node 20's
// permission model has no network rule, so sandbox/thread-guard.cjs enforces these in every runner
// thread, on resolved addresses; this side turns the endpoints into its rules when a runner starts.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** The variable thread-guard.cjs reads (keep the names in step). */
export const DENIED_TCP_ENV = 'STAMPEDE_RUNNER_DENIED_TCP';

/** A service of the server's that runners must not reach: a host name, an IP, or a Unix socket folder (a path). */
export interface ServerEndpoint {
  host: string;
  port: number;
}

/** The guard's rule: `port` refused on `addresses`, and on every address of this machine when `local`. */
export interface DeniedTcp {
  port: number;
  addresses: string[];
  local: boolean;
}

function localAddresses(): BlockList {
  const list = new BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  for (const address of ['::1', '0.0.0.0', '::']) list.addAddress(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      const address = entry.address.replace(/%.*$/, '');
      if (isIP(address) !== 0) list.addAddress(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
    }
  }
  return list;
}

/**
 * The guard's rules for these endpoints, host names resolved now (each runner start, so a database
 * that moved is followed). A Unix socket folder means a database on this machine, which may also
 * listen on TCP: the port is refused on every local address (Unix sockets are refused to runners
 * anyway). A name that does not resolve is left out: the server cannot reach it either.
 */
export async function deniedTcpRules(endpoints: readonly ServerEndpoint[]): Promise<DeniedTcp[]> {
  const local = localAddresses();
  const rules: DeniedTcp[] = [];
  for (const { host, port } of endpoints) {
    if (host.startsWith('/')) {
      rules.push({ port, addresses: [], local: true });
      continue;
    }
    const addresses = isIP(host) !== 0 ? [host] : await lookup(host, { all: true }).then((found) => found.map((a) => a.address), () => []);
    if (addresses.length === 0) continue;
    rules.push({ port, addresses, local: addresses.some((a) => local.check(a, isIP(a) === 6 ? 'ipv6' : 'ipv4')) });
  }
  return rules;
}
