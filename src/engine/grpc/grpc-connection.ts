// One client.connect(): a grpc-js channel of its own (no subchannel shared with other VUs or
// clients, as each k6 Client dials its own connection), dialled and waited for like grpc-go's
// blocking dial (k6 grpcext.Dial with WithBlock and FailOnNonTempDialError): connect() returns once
// the connection is ready, fails when the connection attempt fails, or after `timeout`. The
// transport credentials are wrapped to see each TCP socket, whose bytes become data_sent and
// data_received.
import * as net from 'node:net';
import type { Socket } from 'node:net';
import * as tls from 'node:tls';
import { dialErrorText } from '../ws/ws-errors.ts';
import type * as GrpcJs from '@grpc/grpc-js';
import { grpcLib } from './grpc-packages.ts';
import type { ConnectParams } from './grpc-params.ts';

/** The bytes of a VU's gRPC sockets, taken at each iteration's end. */
export class GrpcSockets {
  readonly #live = new Map<Socket, { read: number; written: number }>();
  #pendingRead = 0;
  #pendingWritten = 0;

  track(socket: Socket): void {
    const seen = { read: 0, written: 0 };
    this.#live.set(socket, seen);
    socket.once('close', () => {
      this.#pendingRead += socket.bytesRead - seen.read;
      this.#pendingWritten += socket.bytesWritten - seen.written;
      this.#live.delete(socket);
    });
  }

  takeBytes(): { sent: number; received: number } {
    let received = this.#pendingRead;
    let sent = this.#pendingWritten;
    this.#pendingRead = 0;
    this.#pendingWritten = 0;
    for (const [socket, seen] of this.#live) {
      const read = socket.bytesRead;
      const written = socket.bytesWritten;
      received += read - seen.read;
      sent += written - seen.written;
      seen.read = read;
      seen.written = written;
    }
    return { sent, received };
  }
}

export interface DialSettings {
  readonly userAgent: string;
  readonly insecureSkipTLSVerify: boolean;
  readonly sockets: GrpcSockets;
}

/**
 * grpc-js credentials that delegate to `inner`, hand every TCP socket to `sockets`, and report a
 * failed TLS handshake to `failed`.
 */
function countingCredentials(inner: GrpcJs.ChannelCredentials, sockets: GrpcSockets, failed: (e: unknown) => void): GrpcJs.ChannelCredentials {
  const grpc = grpcLib();
  type Connector = ReturnType<GrpcJs.ChannelCredentials['_createSecureConnector']>;
  class Counting extends grpc.ChannelCredentials {
    _isSecure(): boolean {
      return inner._isSecure();
    }
    _equals(other: GrpcJs.ChannelCredentials): boolean {
      return other === this;
    }
    _createSecureConnector(...args: Parameters<GrpcJs.ChannelCredentials['_createSecureConnector']>): Connector {
      const connector = inner._createSecureConnector(...args);
      return {
        connect(socket: Socket) {
          sockets.track(socket);
          const secured = connector.connect(socket);
          secured.catch(failed);
          return secured;
        },
        waitForReady: () => connector.waitForReady(),
        getCallCredentials: () => connector.getCallCredentials(),
        destroy: () => connector.destroy(),
      };
    }
  }
  return new Counting();
}

function transportCredentials(params: ConnectParams, settings: DialSettings): GrpcJs.ChannelCredentials {
  const grpc = grpcLib();
  if (params.plaintext) return grpc.credentials.createInsecure();
  const t = params.tls;
  const ctx = tls.createSecureContext({
    // k6 appends cacerts to the system pool.
    ...(t?.cacerts !== undefined && t.cacerts.length > 0 ? { ca: [...tls.rootCertificates, ...t.cacerts] } : {}),
    ...(t?.cert !== undefined && t.cert !== '' && t.key !== undefined && t.key !== ''
      ? { cert: t.cert, key: t.key, ...(t.password !== undefined && t.password !== '' ? { passphrase: t.password } : {}) }
      : {}),
  });
  return grpc.credentials.createFromSecureContext(ctx, { rejectUnauthorized: !settings.insecureSkipTLSVerify });
}

/** Dials `address` and resolves once the channel is READY. */
export function dial(address: string, params: ConnectParams, settings: DialSettings, signal: AbortSignal): Promise<GrpcJs.Client> {
  const grpc = grpcLib();
  const options: GrpcJs.ChannelOptions = {
    'grpc.use_local_subchannel_pool': 1,
    'grpc.primary_user_agent': settings.userAgent,
    'grpc.enable_retries': 0,
  };
  if (params.maxReceiveSize > 0) options['grpc.max_receive_message_length'] = params.maxReceiveSize;
  if (params.maxSendSize > 0) options['grpc.max_send_message_length'] = params.maxSendSize;
  if (params.authority !== '') options['grpc.default_authority'] = params.authority;
  let client: GrpcJs.Client;
  let handshakeError: unknown;
  const onHandshakeError = (e: unknown): void => {
    handshakeError ??= e;
  };
  try {
    client = new grpc.Client(address, countingCredentials(transportCredentials(params, settings), settings.sockets, onHandshakeError), options);
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  const channel = client.getChannel();
  const deadline = Date.now() + params.timeoutMs;
  return new Promise((resolve, reject) => {
    const fail = (message: string): void => {
      signal.removeEventListener('abort', onAbort);
      client.close();
      reject(new Error(message));
    };
    const onAbort = (): void => fail('context canceled');
    signal.addEventListener('abort', onAbort, { once: true });
    const watch = (): void => {
      const state = channel.getConnectivityState(true);
      if (state === grpc.connectivityState.READY) {
        signal.removeEventListener('abort', onAbort);
        resolve(client);
        return;
      }
      if (state === grpc.connectivityState.TRANSIENT_FAILURE) {
        const [host, port] = splitAddress(address);
        if (handshakeError !== undefined) {
          fail(`connection error: desc = "transport: authentication handshake failed: ${dialErrorText(handshakeError, host, port)}"`);
          return;
        }
        // grpc-js does not say why the connection failed: one more attempt names the cause.
        void probe(host, port).then((cause) => {
          if (!signal.aborted) fail(`connection error: desc = "transport: error while dialing: ${cause === undefined ? `dial tcp ${address}: connection failed` : dialErrorText(cause, host, port)}"`);
        });
        return;
      }
      if (state === grpc.connectivityState.SHUTDOWN) return;
      channel.watchConnectivityState(state, deadline, (err) => {
        if (signal.aborted) return;
        if (err !== undefined) {
          fail('context deadline exceeded');
          return;
        }
        watch();
      });
    };
    watch();
  });
}

function splitAddress(address: string): [host: string, port: string] {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(address) ?? /^(.*):(\d+)$/.exec(address);
  return m === null ? [address, '443'] : [m[1] ?? '', m[2] ?? ''];
}

/** The error of one TCP connection attempt to host:port (undefined when it connects). */
function probe(host: string, port: string): Promise<unknown> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    socket.setTimeout(5000, () => socket.destroy(Object.assign(new Error('i/o timeout'), { code: 'ETIMEDOUT' })));
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', resolve);
  });
}
