// How k6/x/tcp reaches a server: through the VU's dialer as xk6-tcp does (socket_connect.go resolve,
// dial, wrapTLS): the address is resolved with k6's rules (blockHostnames, the `hosts` option, the `dns`
// option, blacklistIPs; lib/netext/dialer.go), then dialled (localIPs, a 30 s dial timeout as k6's
// dialer), then, with `tls: true`, wrapped in a TLS client of the VU's TLS settings offering only
// http/1.1. Failures reject with Go's words ("dial tcp 127.0.0.1:1: connect: connection refused").
import * as net from 'node:net';
import * as tls from 'node:tls';
import { tlsClientOptions, type ConnectionSettings } from '../../http/vu-connections.ts';
import { blacklistedIpText, blacklistedRange, resolveAddr } from '../dialer-rules.ts';

/** k6's dialer timeout (cmd: net.Dialer{Timeout: 30 * time.Second}). */
const DIAL_TIMEOUT_MS = 30_000;

export interface ResolvedAddress {
  readonly ip: string;
  readonly port: number;
}

/** "ip:port", bracketing IPv6 (net.JoinHostPort). */
export function joinHostPort(host: string, port: number | string): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Node's failure to connect, worded as Go's dialer words it. */
export function dialErrorText(err: unknown, address: string): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return `dial tcp ${address}: connect: connection refused`;
    case 'ETIMEDOUT':
      return `dial tcp ${address}: i/o timeout`;
    case 'EHOSTUNREACH':
      return `dial tcp ${address}: connect: no route to host`;
    case 'ENETUNREACH':
      return `dial tcp ${address}: connect: network is unreachable`;
    case 'EADDRNOTAVAIL':
      return `dial tcp ${address}: connect: cannot assign requested address`;
    case 'ABORT_ERR':
      return `dial tcp ${address}: operation was canceled`;
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

const UNKNOWN_AUTHORITY = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED',
]);

/** A failed TLS handshake in crypto/tls' words (what follows "TLS handshake failed: "). */
export function tlsErrorText(err: unknown, host: string): string {
  const e = (err ?? {}) as { code?: unknown; message?: unknown; cert?: { subjectaltname?: string } };
  const code = typeof e.code === 'string' ? e.code : '';
  if (UNKNOWN_AUTHORITY.has(code)) return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = (e.cert?.subjectaltname ?? '').split(', ').map((n) => n.replace(/^(DNS|IP Address):/, '')).filter((n) => n !== '');
    return names.length === 0
      ? `tls: failed to verify certificate: x509: certificate is not valid for any names, but wanted to match ${host}`
      : `tls: failed to verify certificate: x509: certificate is valid for ${names.join(', ')}, not ${host}`;
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
  }
  if (code === 'ECONNRESET') return 'read: connection reset by peer';
  const message = typeof e.message === 'string' ? e.message : String(err);
  return message === 'Client network socket disconnected before secure TLS connection was established' ? 'EOF' : message;
}

export class TcpDialer {
  readonly #settings: ConnectionSettings;

  constructor(settings: ConnectionSettings) {
    this.#settings = settings;
  }

  /** Dialer.ResolveAddr(host:port): the IP to dial and the port (a `hosts` entry may give both). */
  async resolve(host: string, port: number): Promise<ResolvedAddress> {
    const resolved = await resolveAddr(this.#settings, host, port);
    return { ip: resolved.ip, port: resolved.port ?? port };
  }

  /** A TCP connection to ip:port; rejects with Go's dial error text. */
  dial(ip: string, port: number, signal: AbortSignal): Promise<net.Socket> {
    const address = joinHostPort(ip, port);
    const range = blacklistedRange(this.#settings.blacklistIPs, ip);
    if (range !== undefined) return Promise.reject(new Error(blacklistedIpText(ip, range)));
    if (!Number.isInteger(port) || port < 0 || port > 65535) return Promise.reject(new Error(`dial tcp: address ${port}: invalid port`));
    return new Promise((resolve, reject) => {
      const socket = net.connect({
        host: ip,
        port,
        ...(this.#settings.localAddress === undefined ? {} : { localAddress: this.#settings.localAddress }),
      });
      const fail = (err: unknown): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        reject(new Error(dialErrorText(err, address)));
      };
      const onAbort = (): void => fail({ code: 'ABORT_ERR' });
      const timer = setTimeout(() => fail({ code: 'ETIMEDOUT' }), DIAL_TIMEOUT_MS);
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('error', fail);
      socket.once('connect', () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        socket.removeListener('error', fail);
        resolve(socket);
      });
    });
  }

  /** The TLS client over `raw` for `host` (its SNI and verified name); rejects with "TLS handshake failed: …". */
  secure(raw: net.Socket, host: string): Promise<tls.TLSSocket> {
    const settings = this.#settings;
    return new Promise((resolve, reject) => {
      const socket = tls.connect({
        socket: raw,
        host,
        ...(net.isIP(host) === 0 ? { servername: host } : {}),
        ALPNProtocols: ['http/1.1'],
        ...tlsClientOptions(settings, host),
      });
      if (settings.keyLog !== undefined) socket.on('keylog', settings.keyLog);
      const fail = (err: unknown): void => {
        socket.destroy();
        raw.destroy();
        reject(new Error(`TLS handshake failed: ${tlsErrorText(err, host)}`));
      };
      socket.once('error', fail);
      socket.once('secureConnect', () => {
        socket.removeListener('error', fail);
        resolve(socket);
      });
    });
  }
}
