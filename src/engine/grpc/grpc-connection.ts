// One client.connect(): a grpc-js channel of its own (no subchannel shared with other VUs or
// clients, as each k6 Client dials its own connection), dialled and waited for like grpc-go's
// blocking dial (k6 grpcext.Dial with WithBlock and FailOnNonTempDialError): connect() returns once
// the connection is ready, fails when the connection attempt fails, or after `timeout`. As k6 dials
// through the VU's dialer, the address is resolved here with the VU's `hosts`, `blockHostnames`,
// `blacklistIPs` and `dns` options (grpc-js then dials the IP, with the address as authority and TLS
// server name), and TLS takes the VU's `insecureSkipTLSVerify`, `tlsVersion`, `tlsCipherSuites` and `tlsAuth`. The
// transport credentials are wrapped to see each TCP socket, whose bytes become data_sent and
// data_received.
import { lookup as dnsLookup } from 'node:dns';
import * as net from 'node:net';
import type { LookupFunction, Socket } from 'node:net';
import * as tls from 'node:tls';
import type { NetworkPolicy } from '../http/network-policy.ts';
import type { SocketBytes } from '../http/socket-bytes.ts';
import { K6HttpError } from '../http/error-codes.ts';
import { resolveHostsEntry, tlsClientOptions, type ConnectionSettings } from '../http/vu-connections.ts';
import { dialErrorText } from '../ws/ws-errors.ts';
import type * as GrpcJs from '@grpc/grpc-js';
import { grpcLib } from './grpc-packages.ts';
import type { ConnectParams } from './grpc-params.ts';
import { goTlsMaterial } from './grpc-tls-material.ts';
import { probeServerPreface } from './server-preface.ts';

export interface DialSettings {
  readonly userAgent: string;
  readonly connection: ConnectionSettings;
  readonly policy: NetworkPolicy;
  readonly sockets: SocketBytes;
}

/**
 * grpc-js names the dialled host as the TLS server name even when it is an IP address, which Node
 * takes with a DEP0123 deprecation warning printed on the user's terminal. Go sends no SNI for an IP
 * (crypto/tls hostnameInSNI), so the name is dropped: Node then checks the certificate against the
 * connection's `host`, the same IP. Reads grpc-js's connector options (1.14: `connectionOptions`).
 */
function withoutIpServername(connector: object): void {
  const options = (connector as { connectionOptions?: tls.ConnectionOptions }).connectionOptions;
  if (options !== undefined && typeof options.servername === 'string' && net.isIP(options.servername) !== 0) delete options.servername;
}

/**
 * grpc-js credentials that delegate to `inner`, hand every TCP socket to `sockets`, and report a
 * failed TLS handshake to `failed`.
 */
function countingCredentials(inner: GrpcJs.ChannelCredentials, sockets: SocketBytes, failed: (e: unknown) => void): GrpcJs.ChannelCredentials {
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
      withoutIpServername(connector);
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

function transportCredentials(params: ConnectParams, settings: DialSettings, hostname: string): GrpcJs.ChannelCredentials {
  const grpc = grpcLib();
  if (params.plaintext) return grpc.credentials.createInsecure();
  // k6 reads a non-empty tls map itself (decrypting the key, checking the pair and the CAs) before dialling.
  const t = params.tls !== undefined && Object.keys(params.tls).length > 0 ? goTlsMaterial(params.tls) : params.tls;
  const vuTls = tlsClientOptions(settings.connection, hostname);
  const own = t?.cert !== undefined && t.cert !== '' && t.key !== undefined && t.key !== '';
  const options: tls.SecureContextOptions = {
    ...(vuTls.minVersion !== undefined ? { minVersion: vuTls.minVersion } : {}),
    ...(vuTls.maxVersion !== undefined ? { maxVersion: vuTls.maxVersion } : {}),
    ...(vuTls.ciphers !== undefined ? { ciphers: vuTls.ciphers } : {}),
    // k6 appends cacerts to the system pool.
    ...(t?.cacerts !== undefined && t.cacerts.length > 0 ? { ca: [...tls.rootCertificates, ...t.cacerts] } : {}),
    ...(own
      ? { cert: t.cert, key: t.key }
      : vuTls.cert !== undefined && vuTls.key !== undefined
        ? { cert: vuTls.cert, key: vuTls.key, ...(vuTls.passphrase !== undefined ? { passphrase: vuTls.passphrase } : {}) }
        : {}),
  };
  const ctx = tls.createSecureContext(options);
  return grpc.credentials.createFromSecureContext(ctx, { rejectUnauthorized: vuTls.rejectUnauthorized });
}

interface DialTarget {
  /** What grpc-js dials: ip:port. */
  readonly target: string;
  readonly host: string;
  readonly port: string;
}

/** The address resolved as k6's dialer resolves it; rejects with the dial error's text. */
function resolveTarget(address: string, settings: DialSettings): Promise<DialTarget> {
  const [host, port] = splitAddress(address);
  const policy = settings.policy;
  const mapped = resolveHostsEntry(settings.connection.hosts, host, port);
  const refused = policy.active ? policy.check(host) ?? (mapped === undefined ? undefined : policy.check(mapped.host)) : undefined;
  if (refused !== undefined) return Promise.reject(new Error(refused.goText ?? refused.message));
  const name = mapped?.host ?? host;
  const dialPort = mapped?.port !== undefined ? String(mapped.port) : port;
  const bracket = (ip: string): string => (net.isIP(ip) === 6 ? `[${ip}]` : ip);
  if (net.isIP(name) !== 0) return Promise.resolve({ target: `${bracket(name)}:${dialPort}`, host, port });
  const lookup: LookupFunction = policy.lookup ?? settings.connection.lookup ?? dnsLookup;
  return new Promise((resolve, reject) => {
    lookup(name, {}, (err, ip) => {
      if (err !== null) {
        reject(new Error(err instanceof K6HttpError ? (err.goText ?? err.message) : dialErrorText(err, name, dialPort)));
        return;
      }
      resolve({ target: `${bracket(String(ip))}:${dialPort}`, host, port });
    });
  });
}

/** Dials `address` and resolves once the channel is READY. */
export function dial(address: string, params: ConnectParams, settings: DialSettings, signal: AbortSignal): Promise<GrpcJs.Client> {
  return resolveTarget(address, settings).then(
    (target) => dialResolved(address, target, params, settings, signal),
    (e: unknown) => {
      throw new Error(`connection error: desc = "transport: error while dialing: ${(e as Error).message}"`);
    },
  );
}

function dialResolved(address: string, resolved: DialTarget, params: ConnectParams, settings: DialSettings, signal: AbortSignal): Promise<GrpcJs.Client> {
  const grpc = grpcLib();
  const options: GrpcJs.ChannelOptions = {
    'grpc.use_local_subchannel_pool': 1,
    'grpc.primary_user_agent': settings.userAgent,
    'grpc.enable_retries': 0,
  };
  if (params.maxReceiveSize > 0) options['grpc.max_receive_message_length'] = params.maxReceiveSize;
  if (params.maxSendSize > 0) options['grpc.max_send_message_length'] = params.maxSendSize;
  if (params.authority !== '') options['grpc.default_authority'] = params.authority;
  else if (resolved.target !== address) options['grpc.default_authority'] = address;
  if (!params.plaintext && net.isIP(resolved.host) === 0) options['grpc.ssl_target_name_override'] = resolved.host;
  let client: GrpcJs.Client;
  let handshakeError: unknown;
  const onHandshakeError = (e: unknown): void => {
    handshakeError ??= e;
  };
  try {
    client = new grpc.Client(resolved.target, countingCredentials(transportCredentials(params, settings, resolved.host), settings.sockets, onHandshakeError), options);
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  const channel = client.getChannel();
  const deadline = Date.now() + params.timeoutMs;
  return new Promise((resolve, reject) => {
    /** Set once the server is known to answer without HTTP/2: the error when the deadline passes. */
    let notGrpc: string | undefined;
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
        const [host, port] = splitAddress(resolved.target);
        if (handshakeError !== undefined) {
          fail(`connection error: desc = "transport: authentication handshake failed: ${dialErrorText(handshakeError, host, port)}"`);
          return;
        }
        if (notGrpc !== undefined) {
          waitFor(state);
          return;
        }
        // grpc-js does not say why the connection failed: one more attempt names the cause.
        void probe(host, port).then(async (cause) => {
          if (signal.aborted) return;
          if (cause !== undefined) {
            fail(`connection error: desc = "transport: error while dialing: ${dialErrorText(cause, host, port)}"`);
            return;
          }
          // The TCP connection works: the server did not speak HTTP/2. grpc-go takes that as temporary
          // and retries until the deadline, then returns the last connection error.
          const reason = params.plaintext ? await probeServerPreface(host, port, deadline - Date.now()) : undefined;
          if (signal.aborted) return;
          if (reason === undefined) {
            fail(`connection error: desc = "transport: error while dialing: dial tcp ${address}: connection failed"`);
            return;
          }
          notGrpc = `connection error: desc = "${reason}"`;
          waitFor(channel.getConnectivityState(false));
        });
        return;
      }
      waitFor(state);
    };
    const waitFor = (state: GrpcJs.connectivityState): void => {
      if (state === grpc.connectivityState.SHUTDOWN) return;
      channel.watchConnectivityState(state, deadline, (err) => {
        if (signal.aborted) return;
        if (err !== undefined) {
          fail(notGrpc ?? 'context deadline exceeded');
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
