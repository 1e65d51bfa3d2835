// The texts of the errors k6's WebSocket modules report, as Go and gorilla/websocket word them.
import { remoteTlsAlertText } from '../http/tls-alerts.ts';

/** gorilla/websocket's CloseError texts (conn.go `CloseError.Error`). */
const CLOSE_DESCRIPTIONS: Readonly<Record<number, string>> = {
  1000: 'normal',
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1005: 'no status',
  1006: 'abnormal closure',
  1007: 'invalid payload data',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'mandatory extension missing',
  1011: 'internal server error',
  1015: 'TLS handshake error',
};

/** "websocket: close 1011 (internal server error): reason", as gorilla reports an unexpected close. */
export function closeErrorText(code: number, reason: string): string {
  const desc = CLOSE_DESCRIPTIONS[code];
  const text = code === 1006 && reason === '' ? 'unexpected EOF' : reason;
  return `websocket: close ${code}${desc === undefined ? '' : ` (${desc})`}${text === '' ? '' : `: ${text}`}`;
}

/** What writing on a socket that is closing or closed reports (gorilla's ErrCloseSent). */
export const CLOSE_SENT = 'websocket: close sent';

/** gorilla's ErrBadHandshake: the server answered the upgrade with another status. */
export const BAD_HANDSHAKE = 'websocket: bad handshake';

/** gorilla's errMalformedURL: not a ws:// or wss:// URL, or one with user info. */
export const MALFORMED_URL = 'malformed ws or wss URL';

/** Node's codes for a certificate chain that does not verify (Go: x509.UnknownAuthorityError). */
const UNKNOWN_AUTHORITY = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED',
]);

interface NodeNetError {
  code?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  message?: unknown;
}

/** A dial or handshake failure of Node (net, tls, ws) worded as Go's dialer words it. */
export function dialErrorText(err: unknown, host: string, port: string): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as NodeNetError;
  const addr = typeof e.address === 'string' ? `${e.address}:${String(e.port ?? port)}` : `${host}:${port}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${addr}: connect: connection refused`;
    case 'ENOTFOUND':
      return `dial tcp: lookup ${typeof e.hostname === 'string' ? e.hostname : host}: no such host`;
    case 'ETIMEDOUT':
      return `dial tcp ${addr}: i/o timeout`;
    case 'ECONNRESET':
      return `read tcp ${addr}: connection reset by peer`;
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
    case 'ERR_SSL_HTTP_REQUEST':
      // Go's tls.RecordHeaderError: the server's first bytes are no TLS record (a plaintext port).
      return 'tls: first record does not look like a TLS handshake';
    default:
      if (typeof e.code === 'string' && UNKNOWN_AUTHORITY.has(e.code)) {
        return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
      }
      break;
  }
  const alert = remoteTlsAlertText(typeof e.code === 'string' ? e.code : undefined);
  if (alert !== undefined) return alert;
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (message === 'Opening handshake has timed out') return 'context deadline exceeded';
  return message;
}
