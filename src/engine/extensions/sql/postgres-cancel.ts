// PostgreSQL's CancelRequest, which lib/pq sends when a call's context ends while a query runs
// (watchCancel): a new connection to the same server carrying the backend's process id and secret
// key, after which the server fails the query with "canceling statement due to user request".
import { connect } from 'node:net';

/** The fields node-pg keeps on a connected client (BackendKeyData and where it connected). */
interface PgClientKeys {
  processID?: unknown;
  secretKey?: unknown;
  host?: unknown;
  port?: unknown;
}

const CANCEL_REQUEST_CODE = 80877102;

/** Sends the cancel request for the client's running query; fire and forget (10 s at most, as lib/pq). */
export function cancelPostgresQuery(client: object): void {
  const c = client as PgClientKeys;
  if (typeof c.processID !== 'number' || typeof c.secretKey !== 'number') return;
  const host = typeof c.host === 'string' && c.host !== '' ? c.host : 'localhost';
  const port = typeof c.port === 'number' ? c.port : Number(c.port ?? 5432);
  const socket = host.startsWith('/') ? connect({ path: `${host}/.s.PGSQL.${port}` }) : connect({ host, port });
  socket.setTimeout(10_000, () => socket.destroy());
  socket.on('error', () => undefined);
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(c.processID, 8);
  packet.writeInt32BE(c.secretKey, 12);
  socket.on('connect', () => socket.end(packet));
}
