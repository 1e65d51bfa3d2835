// What a runner may not connect to: the server's own services (its PostgreSQL database). Node 20's
// permission model has no network rule, so sandbox/thread-guard.cjs enforces these in every runner
// thread, on resolved addresses; this side turns the endpoints into its rules when a runner starts.
import { lookup } from 'node:dns/promises';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';

// The guard itself answers which addresses are this machine's, so the two sides read them alike.
const guard = createRequire(import.meta.url)('./sandbox/thread-guard.cjs') as {
  DENIED_TCP_ENV: string;
  connectRefused(rules: string, address: string, port: number, family: 4 | 6): boolean;
};

/** The variable thread-guard.cjs reads. */
export const DENIED_TCP_ENV = guard.DENIED_TCP_ENV;

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

/** A rule refusing port 0 on every address of this machine: what the guard counts as local. */
const THIS_MACHINE = JSON.stringify([{ port: 0, addresses: [], local: true }]);

function onThisMachine(address: string): boolean {
  return guard.connectRefused(THIS_MACHINE, address, 0, isIP(address) === 6 ? 6 : 4);
}

/**
 * The guard's rules for these endpoints, host names resolved now (each runner start, so a database
 * that moved is followed). A Unix socket folder means a database on this machine, which may also
 * listen on TCP: the port is refused on every local address (Unix sockets are refused to runners
 * anyway). A name that does not resolve is left out: the server cannot reach it either.
 */
export async function deniedTcpRules(endpoints: readonly ServerEndpoint[]): Promise<DeniedTcp[]> {
  const rules: DeniedTcp[] = [];
  for (const { host, port } of endpoints) {
    if (host.startsWith('/')) {
      rules.push({ port, addresses: [], local: true });
      continue;
    }
    const addresses = isIP(host) !== 0 ? [host] : await lookup(host, { all: true }).then((found) => found.map((a) => a.address), () => []);
    if (addresses.length === 0) continue;
    rules.push({ port, addresses, local: addresses.some(onThisMachine) });
  }
  return rules;
}
