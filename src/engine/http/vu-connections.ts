import { Client, buildConnector } from 'undici';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { SecureVersion } from 'node:tls';
import { NetworkPolicy } from './network-policy.ts';
import { k6CipherSuiteName } from './tls-cipher-suites.ts';
import type { KeyLogSink } from '../vu/vu-host.ts';

// Connections of one VU. Each origin gets a list of undici `Client`s (one socket each, no pipelining),
// kept across iterations for keep-alive. A request is given a client with nothing in flight (or an h2
// client with room for another stream), or a new one: so a VU's sequential requests reuse one socket,
// and batch()/asyncRequest() open more in parallel over HTTP/1.1, like Go's Transport does for k6.
// One socket per client also makes connection timings exact: the first request to use a fresh socket
// is the one that waited for its dial.

export interface TlsClientCert {
  /** Hostnames (or "*.domain") the certificate is presented to; absent: every host. */
  readonly domains?: readonly string[];
  readonly cert: string;
  readonly key: string;
  readonly password?: string;
}

export interface ConnectionSettings {
  readonly insecureSkipTLSVerify: boolean;
  /** hostname → "ip" or "ip:port"; keys may be "*.domain" wildcards. */
  readonly hosts: Readonly<Record<string, string>>;
  /** k6 names: "tls1.0" … "tls1.3". */
  readonly tlsVersion?: { readonly min?: string; readonly max?: string };
  readonly tlsAuth?: readonly TlsClientCert[];
  readonly blockHostnames?: readonly string[];
  readonly blacklistIPs?: readonly string[];
  /** Offer h2 over TLS (ALPN), as Go's transport does for k6; off with noConnectionReuse. */
  readonly allowH2?: boolean;
  /** Idle connections kept per origin (k6 sets Go's MaxIdleConnsPerHost to batchPerHost). */
  readonly maxIdlePerHost?: number;
  /** Name resolution of new connections (the `dns` option, dns-resolver.ts); Node's lookup when absent. */
  readonly lookup?: LookupFunction;
  /** The local IP new connections are bound to (the `localIPs` option: one address of the pool per VU). */
  readonly localAddress?: string;
  /** `tlsCipherSuites` as Node's `ciphers` string (TLS 1.0–1.2 suites; TLS 1.3 keeps Node's defaults). */
  readonly ciphers?: string;
  /** `SSLKEYLOGFILE`: each TLS connection's session keys go here; absent, no listener is added. */
  readonly keyLog?: KeyLogSink;
}

/** k6 js/runner.go: the VU dialer's net.Dialer Timeout. */
const DIAL_TIMEOUT_MS = 30_000;

/** Concurrent streams this VU puts on one h2 connection before opening another. */
const MAX_H2_STREAMS = 100;

/** Past this many origins, idle clients are dropped before another origin is added. */
const MAX_ORIGINS = 256;
/** Go's http.Transport default for the response header block (net/http maxHeaderResponseSize). */
const MAX_RESPONSE_HEADER_BYTES = 10 << 20;

const TLS_VERSIONS: Readonly<Record<string, SecureVersion>> = {
  'tls1.0': 'TLSv1',
  'tls1.1': 'TLSv1.1',
  'tls1.2': 'TLSv1.2',
  'tls1.3': 'TLSv1.3',
};

/**
 * The TLS options of a connection to `hostname` under these settings (verification, the tlsVersion
 * range, the tlsAuth certificate whose domains match): for sockets dialled outside undici (WebSockets).
 */
export function tlsClientOptions(settings: ConnectionSettings, hostname: string): {
  rejectUnauthorized: boolean; minVersion?: SecureVersion; maxVersion?: SecureVersion; ciphers?: string; cert?: string; key?: string; passphrase?: string;
} {
  const out: ReturnType<typeof tlsClientOptions> = { rejectUnauthorized: !settings.insecureSkipTLSVerify };
  const min = settings.tlsVersion?.min;
  const max = settings.tlsVersion?.max;
  if (min !== undefined && TLS_VERSIONS[min] !== undefined) out.minVersion = TLS_VERSIONS[min];
  if (max !== undefined && TLS_VERSIONS[max] !== undefined) out.maxVersion = TLS_VERSIONS[max];
  if (settings.ciphers !== undefined) out.ciphers = settings.ciphers;
  const entry = settings.tlsAuth?.find((e) => domainMatches(e.domains, hostname));
  if (entry !== undefined) {
    out.cert = entry.cert;
    out.key = entry.key;
    if (entry.password !== undefined) out.passphrase = entry.password;
  }
  return out;
}

function domainMatches(patterns: readonly string[] | undefined, hostname: string): boolean {
  if (patterns === undefined || patterns.length === 0) return true;
  const name = hostname.toLowerCase();
  return patterns.some((p) => {
    const pat = p.toLowerCase();
    return pat.startsWith('*.') ? name.endsWith(pat.slice(1)) : name === pat;
  });
}

type ConnectorReturningSocket = (
  opts: buildConnector.Options,
  cb: (err: Error | null, socket: Socket | null) => void,
) => Socket | undefined;

/** A request an OriginClient's timer can time out. */
export interface TimedRequest {
  timedOut(): void;
}

function connectionTimedOut(slot: OriginClient): void {
  slot.timedOut();
}

export class OriginClient {
  readonly client: Client;
  inFlight = 0;
  socket: Socket | undefined = undefined;
  /** The socket speaks h2: concurrent requests share it as streams, as Go's transport does. */
  h2 = false;
  /** True from a socket's connect until the first request on it claims the dial timings. */
  fresh = false;
  connectStart = 0;
  tcpConnected = 0;
  tlsDone = 0;
  readonly secure: boolean;

  constructor(origin: URL, connections: VuConnections) {
    this.secure = origin.protocol === 'https:';
    const base = connections.connectorFor(origin.hostname);
    const hostsTarget = resolveHostsEntry(connections.settings.hosts, origin.hostname, origin.port || (this.secure ? 443 : 80));
    const originHost = origin.hostname;
    const policy = connections.policy;
    const localAddress = connections.settings.localAddress;
    const keyLog = this.secure ? connections.settings.keyLog : undefined;
    const connect: buildConnector.connector = (opts, callback) => {
      this.connectStart = performance.now();
      if (policy.active) {
        const refused = policy.check(originHost) ?? (hostsTarget ? policy.check(hostsTarget.host) : undefined);
        if (refused !== undefined) {
          callback(refused, null);
          return;
        }
      }
      this.tcpConnected = 0;
      this.tlsDone = 0;
      const target: buildConnector.Options = hostsTarget
        ? { ...opts, hostname: hostsTarget.host, port: hostsTarget.port === undefined ? opts.port : String(hostsTarget.port) }
        : localAddress !== undefined ? { ...opts } : opts;
      // Only a copy is written to: undici's own options object stays as it was.
      if (localAddress !== undefined) target.localAddress = localAddress;
      if (hostsTarget) {
        const sni = servernameFor(originHost);
        if (sni !== undefined) target.servername = sni;
      }
      // undici's connector returns the socket it creates, though its typings say void.
      const socket = (base as unknown as ConnectorReturningSocket)(target, (err, s) => {
        if (err || !s) {
          callback(err ?? new Error('connect failed'), null);
          return;
        }
        const now = performance.now();
        if (this.tcpConnected === 0) this.tcpConnected = now;
        if (this.secure) this.tlsDone = now;
        this.socket = s as Socket;
        this.fresh = true;
        this.h2 = (s as { alpnProtocol?: string | false }).alpnProtocol === 'h2';
        connections.track(s as Socket);
        callback(null, s);
      });
      // TLS sockets emit 'connect' when TCP is up and 'secureConnect' after the handshake.
      socket?.once('connect', () => {
        this.tcpConnected = performance.now();
      });
      // Before the handshake, which emits the keys ('keylog', one NSS line each).
      if (keyLog !== undefined) socket?.on('keylog', keyLog);
    };
    this.client = new Client(origin.origin, {
      connect,
      pipelining: 1,
      headersTimeout: 0,
      bodyTimeout: 0,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      // Go's transport takes response headers up to 10 MiB (k6 sets no MaxResponseHeaderBytes); undici's
      // default, Node's 16 KiB, failed responses with big cookies or policies ("Headers Overflow Error").
      maxHeaderSize: MAX_RESPONSE_HEADER_BYTES,
    });
  }

  /**
   * One timeout timer per connection, re-armed with `refresh()` for each request that has the
   * connection to itself: a `setTimeout` per request cost ~0.5 KB and a timer-list insertion. Left
   * armed (unref'd) after a request ends; it fires for nothing if no request is timed then.
   */
  #timer: NodeJS.Timeout | undefined = undefined;
  #timerMs = 0;
  /** The request the connection's timer is armed for, if any. */
  #timed: TimedRequest | undefined = undefined;
  #tls: { socket: TLSSocket; version: string | undefined; cipherSuite: string | undefined } | undefined = undefined;

  /**
   * Arms the request timeout of `req` on this connection's timer; false when another request already
   * uses it (concurrent h2 streams, batch on one socket): the caller then times `req` on its own.
   */
  armTimeout(req: TimedRequest, ms: number): boolean {
    if (this.#timed !== undefined) return false;
    this.#timed = req;
    // Whole milliseconds (timers have no finer resolution): the remaining time of a request's deadline
    // differs by fractions from one request to the next, and each distinct fraction would need a new
    // timer, indeed a new timer list in Node.
    ms = Math.max(1, Math.ceil(ms));
    if (this.#timer !== undefined && this.#timerMs === ms) {
      this.#timer.refresh();
    } else {
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#timer = setTimeout(connectionTimedOut, ms, this);
      this.#timer.unref();
      this.#timerMs = ms;
    }
    return true;
  }

  /** Closes the connection once idle (and its timer, which would otherwise hold it until it fires). */
  close(): Promise<void> {
    this.#dropTimer();
    return this.client.close();
  }

  destroy(err?: Error): Promise<void> {
    this.#dropTimer();
    return err === undefined ? this.client.destroy() : this.client.destroy(err);
  }

  /** Forgets a connection undici already closed. */
  forget(): void {
    this.#dropTimer();
  }

  #dropTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timed = undefined;
  }

  /** `req` ended: its timeout no longer applies. */
  disarmTimeout(req: TimedRequest): void {
    if (this.#timed === req) this.#timed = undefined;
  }

  /** @internal The timer fired: times out the request it was armed for, if one still is. */
  timedOut(): void {
    const req = this.#timed;
    if (req === undefined) return;
    this.#timed = undefined;
    req.timedOut();
  }

  /** k6's name of the connection's TLS version ("tls1.0" … "tls1.3"). */
  tlsVersion(): string | undefined {
    return this.#tlsInfo()?.version;
  }

  /** k6's name of the negotiated cipher suite (Go's constant names). */
  tlsCipherSuite(): string | undefined {
    return this.#tlsInfo()?.cipherSuite;
  }

  /** Read once per connection: a socket's protocol and cipher do not change. */
  #tlsInfo(): { version: string | undefined; cipherSuite: string | undefined } | undefined {
    if (!this.secure || !this.socket) return undefined;
    const socket = this.socket as TLSSocket;
    if (this.#tls?.socket === socket) return this.#tls;
    const p = socket.getProtocol?.();
    const cipher = socket.getCipher?.() as { standardName?: string } | undefined;
    this.#tls = {
      socket,
      version: p ? (p === 'TLSv1' ? 'tls1.0' : p.replace(/^TLSv/, 'tls')) : undefined,
      cipherSuite: cipher?.standardName ? k6CipherSuiteName(cipher.standardName) : undefined,
    };
    return this.#tls;
  }
}

function servernameFor(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? undefined : bare;
}

/**
 * The `hosts` entry for a dial to hostname:port, as k6's dialer looks it up (lib/netext/dialer.go
 * getConfiguredHost): a `name:port` key first, then the bare name, whose entry without a port keeps
 * the dialled one. Keys are matched ignoring case; a key starting with `*` matches any name ending
 * with the rest, and the exact key wins over wildcards, the longest wildcard over shorter ones
 * (lib/types/trie.go).
 */
export function resolveHostsEntry(
  hosts: Readonly<Record<string, string>>,
  hostname: string,
  port?: string | number,
): { host: string; port?: number } | undefined {
  const name = hostname.toLowerCase();
  const value = (port === undefined || port === '' ? undefined : matchHostsKey(hosts, `${name}:${port}`)) ?? matchHostsKey(hosts, name);
  if (value === undefined) return undefined;
  const m = /^(\[[^\]]+\]|[^:]+|[0-9a-fA-F:]+)(?::(\d+))?$/.exec(value);
  if (!m || m[1] === undefined) return { host: value };
  const host = m[1].startsWith('[') ? m[1].slice(1, -1) : m[1];
  return m[2] === undefined ? { host } : { host, port: Number(m[2]) };
}

function matchHostsKey(hosts: Readonly<Record<string, string>>, name: string): string | undefined {
  let wildcard: { suffix: string; value: string } | undefined;
  for (const [key, value] of Object.entries(hosts)) {
    const k = key.toLowerCase();
    if (k === name) return value;
    if (k.startsWith('*')) {
      const suffix = k.slice(1);
      if (name.endsWith(suffix) && (wildcard === undefined || suffix.length > wildcard.suffix.length)) wildcard = { suffix, value };
    }
  }
  return wildcard?.value;
}

interface SocketBytes {
  readonly socket: Socket;
  read: number;
  written: number;
}

export class VuConnections {
  readonly settings: ConnectionSettings;
  readonly policy: NetworkPolicy;
  private readonly connectorOptions: buildConnector.BuildOptions;
  private readonly defaultConnector: buildConnector.connector;
  private readonly certConnectors = new Map<TlsClientCert, buildConnector.connector>();
  private readonly origins = new Map<string, OriginClient[]>();
  private readonly maxIdlePerHost: number;
  private readonly live = new Map<Socket, SocketBytes>();
  private pendingRead = 0;
  private pendingWritten = 0;

  constructor(settings: ConnectionSettings) {
    this.settings = settings;
    this.maxIdlePerHost = settings.maxIdlePerHost !== undefined && settings.maxIdlePerHost > 0 ? settings.maxIdlePerHost : 2;
    this.policy = new NetworkPolicy(settings.blockHostnames ?? [], settings.blacklistIPs ?? [], settings.lookup);
    // No TLS session cache: k6 leaves Go's ClientSessionCache unset, so every new connection does a
    // full handshake, and the load on the target should be the same here.
    const opts: buildConnector.BuildOptions = {
      rejectUnauthorized: !settings.insecureSkipTLSVerify,
      maxCachedSessions: 0,
      // k6's dialer gives up on a connect after 30 s (dial: i/o timeout, 1211); undici's default is 10 s.
      timeout: DIAL_TIMEOUT_MS,
      allowH2: settings.allowH2 === true,
    };
    const min = settings.tlsVersion?.min;
    const max = settings.tlsVersion?.max;
    if (min !== undefined && TLS_VERSIONS[min] !== undefined) opts.minVersion = TLS_VERSIONS[min];
    if (max !== undefined && TLS_VERSIONS[max] !== undefined) opts.maxVersion = TLS_VERSIONS[max];
    if (settings.ciphers !== undefined) opts.ciphers = settings.ciphers;
    const lookup = this.policy.lookup ?? settings.lookup;
    if (lookup !== undefined) opts.lookup = lookup;
    this.connectorOptions = opts;
    this.defaultConnector = buildConnector(opts);
  }

  /** The connector for a host: with the tlsAuth client certificate whose domains match, if any. */
  connectorFor(hostname: string): buildConnector.connector {
    const entry = this.settings.tlsAuth?.find((e) => domainMatches(e.domains, hostname));
    if (entry === undefined) return this.defaultConnector;
    let c = this.certConnectors.get(entry);
    if (c === undefined) {
      const withCert: buildConnector.BuildOptions = { ...this.connectorOptions, cert: entry.cert, key: entry.key };
      if (entry.password !== undefined) withCert.passphrase = entry.password;
      c = buildConnector(withCert);
      this.certConnectors.set(entry, c);
    }
    return c;
  }

  /** A client for `origin` with nothing in flight, creating one when all are busy. */
  acquire(origin: URL, key: string): OriginClient {
    let list = this.origins.get(key);
    if (list === undefined) {
      if (this.origins.size >= MAX_ORIGINS) void this.closeIdle();
      list = [];
      this.origins.set(key, list);
    }
    for (let i = 0; i < list.length; i++) {
      const c = list[i] as OriginClient;
      if ((c.inFlight === 0 || (c.h2 && c.inFlight < MAX_H2_STREAMS)) && !c.client.destroyed && !c.client.closed) return c;
    }
    for (let i = list.length - 1; i >= 0; i--) {
      const c = list[i] as OriginClient;
      if (c.client.destroyed || c.client.closed) {
        list.splice(i, 1);
        c.forget();
      }
    }
    const created = new OriginClient(origin, this);
    list.push(created);
    return created;
  }

  track(socket: Socket): void {
    const bytes: SocketBytes = { socket, read: 0, written: 0 };
    this.live.set(socket, bytes);
    socket.once('close', () => {
      this.pendingRead += socket.bytesRead - bytes.read;
      this.pendingWritten += socket.bytesWritten - bytes.written;
      this.live.delete(socket);
    });
  }

  /** Bytes received on this VU's sockets up to the last takeBytes(), since the one before. */
  takenReceived = 0;
  /** Bytes sent, as takenReceived. */
  takenSent = 0;

  /**
   * Counts the bytes moved on this VU's sockets since the previous call into takenSent/takenReceived
   * (no object per call; each socket's counters are read once: `bytesWritten` builds an array of
   * the socket's pending writes every time).
   */
  takeBytes(): void {
    let received = this.pendingRead;
    let sent = this.pendingWritten;
    this.pendingRead = 0;
    this.pendingWritten = 0;
    for (const bytes of this.live.values()) {
      const socket = bytes.socket;
      const read = socket.bytesRead;
      const written = socket.bytesWritten;
      received += read - bytes.read;
      sent += written - bytes.written;
      bytes.read = read;
      bytes.written = written;
    }
    this.takenReceived = received;
    this.takenSent = sent;
  }

  /** After a round trip on `slot`: closes it if its origin already keeps enough idle connections. */
  release(slot: OriginClient, key: string): void {
    if (slot.inFlight !== 0) return;
    const list = this.origins.get(key);
    if (list === undefined || list.length <= this.maxIdlePerHost) return;
    let idle = 0;
    for (const c of list) if (c.inFlight === 0) idle++;
    if (idle <= this.maxIdlePerHost) return;
    list.splice(list.indexOf(slot), 1);
    slot.close().catch(() => undefined);
  }

  /** Closes every connection with nothing in flight (noVUConnectionReuse, end of VU). */
  closeIdle(): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [key, list] of this.origins) {
      const keep = list.filter((c) => c.inFlight > 0);
      for (const c of list) {
        if (c.inFlight === 0) closing.push(c.close().catch(() => undefined));
      }
      if (keep.length === 0) this.origins.delete(key);
      else this.origins.set(key, keep);
    }
    return Promise.all(closing).then(() => undefined);
  }

  destroyAll(): Promise<void> {
    const all: Promise<void>[] = [];
    for (const list of this.origins.values()) {
      for (const c of list) all.push(c.destroy().catch(() => undefined));
    }
    this.origins.clear();
    return Promise.all(all).then(() => undefined);
  }
}
