// What xk6-tls does for one getCertificate(): dial host:port through the VU's dialer (k6's rules:
// blockHostnames, hosts, the dns option, blacklistIPs, localIPs), run a TLS client handshake on it
// with a tls.Config of its own (it verifies nothing, sends no SNI and no ALPN, and ignores the VU's
// TLS options), close the TCP connection, and read the server's first certificate. Failures reject
// with Go's texts (dial errors, "EOF", "tls: first record does not look like a TLS handshake",
// "remote error: tls: …").
import type * as net from 'node:net';
import * as tls from 'node:tls';
import { createHash } from 'node:crypto';
import type { SocketBytes } from '../../http/socket-bytes.ts';
import { remoteTlsAlertText } from '../../http/tls-alerts.ts';
import { parseCertificateDer } from '../../modules/x509-module.ts';
import { joinHostPort, type TcpDialer } from '../tcp/tcp-dial.ts';
import type { Target } from './tls-target.ts';

/** The certificate object's fields (sobek's snake_case names of the Go struct's fields). */
export interface CertificateInfo {
  readonly subject: { readonly common_name: string };
  readonly issuer: { readonly common_name: string };
  readonly issued: number;
  readonly expires: number;
  readonly fingerprint: string;
}


/** The endpoints of a dialled connection, for Go's "read tcp a->b: …" texts. */
interface Endpoints {
  readonly local: string;
  readonly remote: string;
}

/** A failed handshake in Go's words (HandshakeContext's error). */
export function handshakeErrorText(err: unknown, ends: Endpoints): string {
  const e = (err ?? {}) as { code?: unknown; message?: unknown; syscall?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(err);
  // The server closed before the handshake was done (Node words it with code ECONNRESET).
  if (message.startsWith('Client network socket disconnected before secure TLS connection was established')) return 'EOF';
  if (code === 'ECONNRESET') return `read tcp ${ends.local}->${ends.remote}: read: connection reset by peer`;
  if (code === 'EPIPE') return `write tcp ${ends.local}->${ends.remote}: write: broken pipe`;
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || code === 'ERR_SSL_RECORD_LAYER_FAILURE') {
    return 'tls: first record does not look like a TLS handshake';
  }
  return remoteTlsAlertText(code) ?? message;
}

/** sha256 of the certificate's DER, lower-case hex (fmt.Sprintf("%x", sha256.Sum256(raw))). */
export function certificateFingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/** The certificate object of a server's leaf certificate (DER). */
export function certificateInfo(der: Uint8Array): CertificateInfo {
  const c = parseCertificateDer(der);
  return {
    subject: { common_name: c.subject.commonName },
    issuer: { common_name: c.issuer.commonName },
    issued: Date.parse(c.notBefore),
    expires: Date.parse(c.notAfter),
    fingerprint: certificateFingerprint(der),
  };
}

/** Destroys the socket (the extension closes the TCP connection, sending no close_notify). */
function handshake(raw: net.Socket): Promise<tls.TLSSocket> {
  const ends: Endpoints = {
    local: joinHostPort(raw.localAddress ?? '', raw.localPort ?? 0),
    remote: joinHostPort(raw.remoteAddress ?? '', raw.remotePort ?? 0),
  };
  return new Promise((resolve, reject) => {
    // No servername: Go's tls.Client with an empty ServerName sends no SNI.
    const socket = tls.connect({ socket: raw, rejectUnauthorized: false });
    const fail = (err: unknown): void => {
      socket.destroy();
      raw.destroy();
      reject(new Error(handshakeErrorText(err, ends)));
    };
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      socket.removeListener('error', fail);
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}

/** Dials `target`, shakes hands, hangs up: the server's first certificate, or Go's error text. */
export async function fetchCertificate(dialer: TcpDialer, target: Target, label: string, bytes: SocketBytes, signal: AbortSignal): Promise<CertificateInfo> {
  const resolved = await dialer.resolve(target.host, target.port);
  const raw = await dialer.dial(resolved.ip, resolved.port, signal);
  bytes.track(raw);
  const onAbort = (): void => {
    raw.destroy();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const socket = await handshake(raw);
    const peer = socket.getPeerCertificate(false) as Partial<tls.PeerCertificate>;
    socket.destroy();
    raw.destroy();
    if (peer.raw === undefined || peer.raw.length === 0) {
      throw new Error(`no certificate found for ${label} - the server may not be using TLS or the connection failed`);
    }
    try {
      return certificateInfo(new Uint8Array(peer.raw));
    } catch (e) {
      // Go's handshake itself fails on a certificate its parser refuses.
      throw new Error(`tls: failed to parse certificate from server: ${(e instanceof Error ? e.message : String(e)).replace(/^failed to parse certificate: /, '')}`);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    raw.destroy();
  }
}
