// How a VU's Redis connections reach the network. xk6-redis dials through the VU's netext.Dialer, so
// the `hosts`, `blockHostnames`, `blacklistIPs`, `dns` and `localIPs` options apply and the sockets'
// bytes count as data_sent/data_received; TLS takes the client's own `tls` settings merged with the
// VU's (insecureSkipTLSVerify, tlsVersion, tlsCipherSuites, tlsAuth certificates, SSLKEYLOGFILE).
import * as net from 'node:net';
import * as tls from 'node:tls';
import { SocketBytes } from '../../http/socket-bytes.ts';
import { tlsClientOptions, type ConnectionSettings } from '../../http/vu-connections.ts';
import type { RedisTls } from './redis-options.ts';
import { resolveAddr } from '../dialer-rules.ts';

/** A dial that failed before any socket was opened, in the words of k6's dialer. */
export class RedisDialError extends Error {}

/** Go's tls.Client refuses a config that has neither (xk6-redis sets no ServerName for the options object's tls). */
export const NO_SERVER_NAME = 'tls: either ServerName or InsecureSkipVerify must be specified in the tls.Config';

export class RedisNetwork {
  readonly #settings: ConnectionSettings;
  readonly #bytes = new SocketBytes();

  constructor(settings: ConnectionSettings) {
    this.#settings = settings;
  }

  /** Opens a connection (TCP, then TLS when `secure` is given); the socket is still connecting. */
  async dial(host: string, port: number, secure: RedisTls | undefined): Promise<net.Socket> {
    const s = this.#settings;
    let ip: string;
    let targetPort: number;
    try {
      const resolved = await resolveAddr(s, host, port);
      ip = resolved.ip;
      targetPort = resolved.port ?? port;
    } catch (e) {
      throw new RedisDialError((e as Error).message);
    }
    const local = s.localAddress === undefined ? {} : { localAddress: s.localAddress };
    let socket: net.Socket;
    if (secure === undefined) {
      socket = net.connect({ host: ip, port: targetPort, ...local });
    } else {
      if (!s.insecureSkipTLSVerify && (secure.serverName ?? '') === '') throw new RedisDialError(NO_SERVER_NAME);
      const vuTls = tlsClientOptions(s, secure.serverName ?? host);
      const own = secure.cert !== undefined && secure.key !== undefined ? { cert: secure.cert, key: secure.key } : {};
      const servername = secure.serverName !== undefined && net.isIP(secure.serverName) === 0 ? secure.serverName : undefined;
      socket = tls.connect({
        host: ip,
        port: targetPort,
        ...local,
        ...vuTls,
        ...own,
        ...(secure.ca.length > 0 ? { ca: [...secure.ca] } : {}),
        ...(servername === undefined ? {} : { servername }),
        // An IP in the URL is checked against the certificate's IP SANs, as Go does.
        ...(secure.serverName !== undefined && servername === undefined
          ? { checkServerIdentity: (_name: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(secure.serverName ?? '', cert) }
          : {}),
      });
      if (s.keyLog !== undefined) socket.on('keylog', s.keyLog);
    }
    this.#bytes.track(socket);
    return socket;
  }

  /** Bytes moved since the previous call. */
  takeBytes(): { sent: number; received: number } {
    return this.#bytes.takeBytes();
  }
}
