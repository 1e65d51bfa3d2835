// How one VU's WebSocket connections reach the network: the same `hosts`, `blockHostnames`,
// `blacklistIPs`, `dns`, `insecureSkipTLSVerify`, `tlsVersion` and `tlsAuth` options as k6/http (k6
// dials both through the VU's netext.Dialer and TLS config), and the bytes they move, which become
// data_sent/data_received.
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { Socket } from 'node:net';
import { SocketBytes } from '../http/socket-bytes.ts';
import { NetworkPolicy } from '../http/network-policy.ts';
import { resolveHostsEntry, tlsClientOptions, type ConnectionSettings } from '../http/vu-connections.ts';
import { connectionSettings } from '../http/http-module.ts';
import type { KeyLogSink, VuOptions } from '../vu/vu-host.ts';

/** What ws's `createConnection` receives: http.request's options (host, port, servername, lookup…). */
type ConnectOptions = net.NetConnectOpts & tls.ConnectionOptions & { host?: string; port?: number | string };

export class WsNetwork {
  readonly #settings: ConnectionSettings;
  readonly #policy: NetworkPolicy;
  readonly #lookup: net.LookupFunction | undefined;
  readonly #bytes = new SocketBytes();

  constructor(options: VuOptions, vuId = 0, keyLog?: KeyLogSink) {
    const settings = connectionSettings(options, vuId, keyLog);
    this.#settings = settings;
    this.#policy = new NetworkPolicy(settings.blockHostnames ?? [], settings.blacklistIPs ?? [], settings.lookup);
    this.#lookup = this.#policy.lookup ?? settings.lookup;
  }

  /** The `createConnection` for ws: applies `hosts` and the policy, tracks the socket's bytes. */
  readonly connect = (options: ConnectOptions, secure: boolean): Socket => {
    const hostname = String(options.host ?? '');
    const mapped = resolveHostsEntry(this.#settings.hosts, hostname, options.port ?? (secure ? 443 : 80));
    const refused = this.#policy.active
      ? this.#policy.check(hostname) ?? (mapped === undefined ? undefined : this.#policy.check(mapped.host))
      : undefined;
    if (refused !== undefined) {
      const dead = new net.Socket();
      process.nextTick(() => dead.destroy(refused));
      return dead;
    }
    const host = mapped?.host ?? hostname;
    const port = mapped?.port ?? options.port;
    let socket: Socket;
    const lookup = {
      ...(this.#lookup === undefined ? {} : { lookup: this.#lookup }),
      ...(this.#settings.localAddress === undefined ? {} : { localAddress: this.#settings.localAddress }),
    };
    if (secure) {
      const servername = net.isIP(hostname) === 0 ? hostname : '';
      socket = tls.connect({
        ...options, ...lookup, ...tlsClientOptions(this.#settings, hostname),
        host, port: Number(port), path: undefined, servername, ALPNProtocols: ['http/1.1'],
      });
      if (this.#settings.keyLog !== undefined) socket.on('keylog', this.#settings.keyLog);
    } else {
      socket = net.connect({ ...options, ...lookup, host, port: Number(port) } as net.NetConnectOpts);
    }
    this.#bytes.track(socket);
    return socket;
  };

  /** Bytes moved since the previous call. */
  takeBytes(): { sent: number; received: number } {
    return this.#bytes.takeBytes();
  }

  /** End of the VU: every socket still open is destroyed. */
  destroyAll(): void {
    for (const socket of this.#bytes.open()) socket.destroy();
  }
}
