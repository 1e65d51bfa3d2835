// `import { Socket } from 'k6/x/tcp'`: Grafana's official xk6-tcp extension (k6 v2 resolves it on
// import), built in. One module per VU: the extension's metrics, the VU's dialer (hosts, blockHostnames,
// blacklistIPs, dns, localIPs, TLS options), whose bytes become data_sent/data_received at each
// iteration's end, and the `Socket` constructor (tcp-socket.ts holds the behaviour).
import { SocketBytes } from '../../http/socket-bytes.ts';
import { connectionSettings } from '../../http/http-module.ts';
import type { VuHost } from '../../vu/vu-host.ts';
import type { VuEventLoop } from '../../vu/vu-event-loop.ts';
import { socketOptionTags } from './tcp-args.ts';
import { TcpDialer } from './tcp-dial.ts';
import { defineTcpMetrics } from './tcp-metrics.ts';
import { TcpSocket, type TcpContext, type TcpRealm } from './tcp-socket.ts';

/** For callers without a script realm (unit tests): Node's own builtins. */
export const HOST_TCP_REALM: TcpRealm = {
  Promise,
  object: (entries = {}) => ({ ...entries }),
  uint8Array: (bytes) => Uint8Array.from(bytes),
  typeError: (message) => new TypeError(message),
};

export function createTcpModule(host: VuHost, loop: VuEventLoop, realm: TcpRealm = HOST_TCP_REALM): Record<string, unknown> {
  defineTcpMetrics(host);
  const bytes = new SocketBytes();
  const ctx: TcpContext = {
    host,
    loop,
    realm,
    dialer: new TcpDialer(connectionSettings(host.options, host.state.id, host.keyLog)),
    bytes,
    live: new Set(),
  };
  const countBytes = (): void => {
    const { sent, received } = bytes.takeBytes();
    host.countBytes(sent, received);
  };
  host.lifecycle.onIterationEnd(() => {
    for (const s of [...ctx.live]) s.abandon();
    countBytes();
  });
  host.lifecycle.onClose(() => {
    for (const s of [...ctx.live]) s.abandon();
    for (const socket of bytes.open()) socket.destroy();
    countBytes();
  });

  /** `new Socket(options?)`: the new object gets the extension's own methods and read-only accessors. */
  function Socket(this: unknown, options?: unknown): Record<string, unknown> {
    if (new.target === undefined) throw realm.typeError("Class constructor Socket cannot be invoked without 'new'");
    const socket = new TcpSocket(ctx, socketOptionTags(options));
    // The constructed object itself (sobek's call.This), so `instanceof Socket` holds.
    const obj = Object.assign(this as Record<string, unknown>, {
      connect: (portOrOptions?: unknown, hostArg?: unknown) => socket.connect(portOrOptions, hostArg),
      write: (data?: unknown, opts?: unknown) => socket.write(data, opts),
      destroy: (): void => socket.destroy(),
      setTimeout: (ms?: unknown) => {
        socket.setTimeout(ms);
        return obj;
      },
      on: (event?: unknown, handler?: unknown): void => socket.on(String(event), handler),
    });
    const getters: Record<string, () => unknown> = {
      ready_state: () => socket.state,
      bytes_written: () => socket.bytesWritten,
      bytes_read: () => socket.bytesRead,
      local_ip: () => socket.localIp,
      local_port: () => socket.localPort,
      remote_ip: () => socket.remoteIp,
      remote_port: () => socket.remotePort,
      connected: () => socket.connected,
    };
    for (const [name, get] of Object.entries(getters)) Object.defineProperty(obj, name, { get, enumerable: false, configurable: false });
    return obj;
  }

  return { Socket };
}
