// How one VU's WebSocket connections reach the network: the same `hosts`, `blockHostnames`,
// `blacklistIPs`, `dns`, `insecureSkipTLSVerify`, `tlsVersion` and `tlsAuth` options as k6/http (k6
// dials both through the VU's netext.Dialer and TLS config), and the bytes they move, which become
// data_sent/data_received.
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { Socket } from 'node:net';
import { NetworkPolicy } from '../http/network-policy.ts';
import { resolveHostsEntry, tlsClientOptions, type ConnectionSettings } from '../http/vu-connections.ts';
import { connectionSettings } from '../http/http-module.ts';
import type { VuOptions } from '../vu/vu-host.ts';

interface TrackedSocket {
  readonly socket: Socket;
  read: number;
  written: number;
}

/** What ws's `createConnection` receives: http.request's options (host, port, servername, lookup…). */
type ConnectOptions = net.NetConnectOpts & tls.ConnectionOptions & { host?: string; port?: number | string };

export class WsNetwork {
  readonly #settings: ConnectionSettings;
  readonly #policy: NetworkPolicy;
  readonly #lookup: net.LookupFunction | undefined;
  readonly #live = new Map<Socket, TrackedSocket>();
  #pendingRead = 0;
  #pendingWritten = 0;

  constructor(options: VuOptions, vuId = 0) {
    const settings = connectionSettings(options, vuId);
    this.#settings = settings;
    this.#policy = new NetworkPolicy(settings.blockHostnames ?? [], settings.blacklistIPs ?? [], settings.lookup);
    this.#lookup = this.#policy.lookup ?? settings.lookup;
  }

  /** The `createConnection` for ws: applies `hosts` and the policy, tracks the socket's bytes. */
  readonly connect = (options: ConnectOptions, secure: boolean): Socket => {
    const hostname = String(options.host ?? '');
    const mapped = resolveHostsEntry(this.#settings.hosts, hostname);
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
    } else {
      socket = net.connect({ ...options, ...lookup, host, port: Number(port) } as net.NetConnectOpts);
    }
    this.#track(socket);
    return socket;
  };

  #track(socket: Socket): void {
    const bytes: TrackedSocket = { socket, read: 0, written: 0 };
    this.#live.set(socket, bytes);
    socket.once('close', () => {
      this.#pendingRead += socket.bytesRead - bytes.read;
      this.#pendingWritten += socket.bytesWritten - bytes.written;
      this.#live.delete(socket);
    });
  }

  /** Bytes moved since the previous call. */
  takeBytes(): { sent: number; received: number } {
    let received = this.#pendingRead;
    let sent = this.#pendingWritten;
    this.#pendingRead = 0;
    this.#pendingWritten = 0;
    for (const bytes of this.#live.values()) {
      const read = bytes.socket.bytesRead;
      const written = bytes.socket.bytesWritten;
      received += read - bytes.read;
      sent += written - bytes.written;
      bytes.read = read;
      bytes.written = written;
    }
    return { sent, received };
  }

  /** End of the VU: every socket still open is destroyed. */
  destroyAll(): void {
    for (const bytes of this.#live.values()) bytes.socket.destroy();
  }
}
