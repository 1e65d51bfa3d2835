// One k6/x/tcp Socket (xk6-tcp tcp/socket_*.go): its state machine disconnected → opening → open →
// destroyed, its one handler per event, its connection, idle timeout and counters.
//
// Invariants:
// - Events ('connect', 'data', 'close', 'error', 'timeout') run as zero-delay callbacks of the VU's
//   event loop, in the order they happened; an event without a handler at that moment is dropped,
//   as the extension only queues events that have one.
// - A socket made outside the init context holds the VU's event loop from construction until it is
//   destroyed (the extension's task queue registers a callback in the constructor and releases it in
//   destroy()), so an iteration ends only once every socket it made is destroyed — by destroy(), the
//   server closing, or a read error. One made in init holds it from its first connect().
// - Each pending connect()/write() promise holds the loop too, until it settled.
// - 'close' fires once, on the first destroy. A socket still alive when its iteration ends
//   (interrupted, or failed by an exception) is closed without events or samples.
import { performance } from 'node:perf_hooks';
import type { Socket as NetSocket } from 'node:net';
import type { SocketBytes } from '../../http/socket-bytes.ts';
import type { Tags, VuHost } from '../../vu/vu-host.ts';
import type { VuEventLoop } from '../../vu/vu-event-loop.ts';
import { parseConnectArgs, parseWriteOptions, writeBytes, type ConnectOptions } from './tcp-args.ts';
import { joinHostPort, type TcpDialer } from './tcp-dial.ts';
import { tcpErrorValue } from './tcp-error.ts';
import { goErrorValue } from '../../vu/go-error-value.ts';
import { socketTags, withTags } from './tcp-metrics.ts';

export type SocketState = 'disconnected' | 'opening' | 'open' | 'destroyed';

export const SOCKET_EVENTS: ReadonlySet<string> = new Set(['connect', 'data', 'close', 'error', 'timeout']);

/** The Go read buffer is 4 KiB: each read is one tcp_reads sample and one 'data' event. */
const READ_CHUNK = 4096;

export interface TcpRealm {
  readonly Promise: PromiseConstructor;
  object(entries?: Record<string, unknown>): Record<string, unknown>;
  uint8Array(bytes: Uint8Array): Uint8Array;
  typeError(message: string): TypeError;
}

export interface TcpContext {
  readonly host: VuHost;
  readonly loop: VuEventLoop;
  readonly realm: TcpRealm;
  readonly dialer: TcpDialer;
  readonly bytes: SocketBytes;
  /** Sockets that hold the loop: closed quietly when their iteration ends. */
  readonly live: Set<TcpSocket>;
}

type Handler = (...args: unknown[]) => unknown;

interface Deferred {
  readonly promise: Promise<unknown>;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class TcpSocket {
  state: SocketState = 'disconnected';
  bytesWritten = 0;
  bytesRead = 0;
  readonly #ctx: TcpContext;
  readonly #socketTags: Readonly<Record<string, string>>;
  readonly #handlers = new Map<string, Handler>();
  #connectOpts: ConnectOptions | undefined;
  #conn: NetSocket | undefined;
  #raw: NetSocket | undefined;
  #remoteIp = '';
  #remotePort = 0;
  /** What was dialled: the resolved IP with connect()'s port (endpoints.remoteAddr). */
  #remoteAddr = '';
  #localIp = '';
  #localPort = 0;
  #connectTime = 0;
  #timeoutMs = 0;
  #idle: ReturnType<typeof setTimeout> | undefined;
  #release: (() => void) | undefined;
  #signal: AbortSignal | undefined;
  #destroyed = false;
  readonly #onAbort = (): void => this.abandon();

  constructor(ctx: TcpContext, tags: Readonly<Record<string, string>>) {
    this.#ctx = ctx;
    this.#socketTags = tags;
    if (ctx.host.state.phase !== 'init') this.#holdLoop();
  }

  get connected(): boolean {
    return this.state === 'open';
  }

  /** The endpoints, readable only while a connection exists (undefined before and after). */
  get localIp(): string | undefined {
    return this.#conn === undefined ? undefined : this.#localIp;
  }

  get localPort(): number | undefined {
    return this.#conn === undefined ? undefined : this.#localPort;
  }

  get remoteIp(): string | undefined {
    return this.#conn === undefined ? undefined : this.#remoteIp;
  }

  get remotePort(): number | undefined {
    return this.#conn === undefined ? undefined : this.#remotePort;
  }

  #holdLoop(): void {
    if (this.#release !== undefined || this.#destroyed) return;
    const { host, loop, live } = this.#ctx;
    this.#release = loop.keepAlive();
    this.#signal = host.signal;
    this.#signal.addEventListener('abort', this.#onAbort, { once: true });
    live.add(this);
  }

  #letLoopGo(): void {
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#signal = undefined;
    this.#ctx.live.delete(this);
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  /** The VU's call was interrupted: samples are dropped (k6's PushIfNotDone), events too. */
  get #done(): boolean {
    return this.#ctx.host.signal.aborted;
  }

  #push(metric: string, tags: Tags, value: number): void {
    if (!this.#done) this.#ctx.host.samples.add(metric, tags, value);
  }

  #tags(): Record<string, string> {
    const c = this.#connectOpts;
    return socketTags(this.#ctx.host.state.tags, {
      socketTags: this.#socketTags,
      connect: c === undefined ? undefined : { host: c.host, port: c.port, tags: c.tags },
      remoteIp: this.#remoteIp,
    });
  }

  // ---- events ----

  on(event: string, handler: unknown): void {
    if (typeof handler !== 'function') throw this.#ctx.realm.typeError(`could not convert ${String(handler)} to a function`);
    const log = this.#ctx.host.log;
    if (!SOCKET_EVENTS.has(event)) {
      log.warn('Unknown event type', { event, module: 'tcp' });
      return;
    }
    if (this.#handlers.has(event)) log.warn('Event handler already registered, overriding', { event, module: 'tcp' });
    this.#handlers.set(event, handler as Handler);
  }

  /** Queues the event's handler on the VU's loop; false when there is none (or the VU moved on). */
  #fire(event: string, ...args: (() => unknown)[]): boolean {
    const handler = this.#handlers.get(event);
    if (handler === undefined || this.#done) return false;
    this.#ctx.loop.setTimer(() => handler.call(undefined, ...args.map((make) => make())), 0, false);
    return true;
  }

  /** A promise of the script's realm, settled from the VU's loop, holding the loop while pending. */
  #deferred(): Deferred {
    const { realm, loop } = this.#ctx;
    let resolve!: (v: unknown) => void;
    let reject!: (e: unknown) => void;
    const promise = new realm.Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const release = loop.keepAlive();
    const signal = this.#ctx.host.signal;
    const settle = (fn: () => void): void => {
      // An interrupted call's promises never settle: nothing of the script runs for them any more.
      if (!signal.aborted) loop.setTimer(fn, 0, false);
      release();
    };
    return {
      promise,
      resolve: (v) => settle(() => resolve(v)),
      reject: (e) => settle(() => reject(e)),
    };
  }

  /** handleError + rejectWithTCPError: log, tcp_errors, 'error' event, then the rejection. */
  #failWithTcpError(d: Deferred | undefined, message: string, method: string, tags: Tags): void {
    const { host, realm } = this.#ctx;
    if (!this.#done) host.log.error('Handling TCP error', { error: message, method, module: 'tcp' });
    this.#push('tcp_errors', tags, 1);
    this.#fire('error', () => tcpErrorValue(realm, method, message));
    d?.reject(tcpErrorValue(realm, method, message));
  }

  // ---- connect ----

  connect(portOrOptions: unknown, host: unknown): Promise<unknown> {
    const d = this.#deferred();
    let opts: ConnectOptions;
    try {
      opts = parseConnectArgs(portOrOptions, host);
    } catch (e) {
      this.#failWithTcpError(d, errorMessage(e), 'connect', this.#tags());
      return d.promise;
    }
    this.#connectOpts = opts;
    if (this.#ctx.host.state.phase === 'init') {
      this.#failWithTcpError(d, 'using connect in the init context is not supported', 'connect', this.#tags());
      return d.promise;
    }
    this.#holdLoop();
    this.#connectExecute(opts).then(
      () => d.resolve(undefined),
      (e: unknown) => this.#failWithTcpError(d, errorMessage(e), 'connect', this.#tags()),
    );
    return d.promise;
  }

  async #connectExecute(opts: ConnectOptions): Promise<void> {
    const { dialer, host } = this.#ctx;
    const tags = this.#tags();
    if (!this.#destroyed) this.state = 'opening';
    const signal = host.signal;
    let started = performance.now();
    let resolved;
    try {
      resolved = await dialer.resolve(opts.host, opts.port);
    } catch (e) {
      this.#push('tcp_socket_resolving', tags, Math.trunc(performance.now() - started));
      if (!this.#destroyed) this.state = 'disconnected';
      throw e;
    }
    this.#push('tcp_socket_resolving', tags, Math.trunc(performance.now() - started));
    this.#remoteIp = resolved.ip;
    this.#remotePort = resolved.port;
    this.#remoteAddr = joinHostPort(resolved.ip, opts.port);
    started = performance.now();
    let raw: NetSocket | undefined;
    let conn: NetSocket;
    try {
      // As xk6-tcp: the resolved IP with the port connect() was given.
      raw = await dialer.dial(resolved.ip, opts.port, signal);
      conn = opts.tls ? await dialer.secure(raw, opts.host) : raw;
    } catch (e) {
      this.#push('tcp_socket_connecting', tags, Math.trunc(performance.now() - started));
      if (!this.#destroyed) this.state = 'disconnected';
      throw e;
    }
    this.#push('tcp_socket_connecting', tags, Math.trunc(performance.now() - started));
    if (this.#destroyed || signal.aborted) {
      // destroy() (or the interrupt) came while connecting: the new connection is dropped at once.
      conn.destroy();
      raw.destroy();
      return;
    }
    // A second connect() replaces the connection: the first one is closed (the extension leaves it reading).
    this.#conn?.destroy();
    this.#raw?.destroy();
    this.#ctx.bytes.track(raw);
    this.#localIp = raw.localAddress ?? '';
    this.#localPort = raw.localPort ?? 0;
    this.#raw = raw;
    this.#conn = conn;
    this.state = 'open';
    this.#connectTime = performance.now();
    this.#armIdle();
    this.#fire('connect');
    this.#read(conn);
    this.#push('tcp_sockets', tags, 1);
  }

  // ---- reading ----

  #read(conn: NetSocket): void {
    const { host, realm } = this.#ctx;
    const current = (): boolean => this.state === 'open' && this.#conn === conn;
    conn.on('data', (chunk: Buffer) => {
      if (!current()) return;
      for (let off = 0; off < chunk.length; off += READ_CHUNK) {
        const piece = chunk.subarray(off, off + READ_CHUNK);
        this.#push('tcp_reads', host.state.tags, 1);
        this.bytesRead += piece.length;
        this.#fire('data', () => realm.uint8Array(piece));
      }
      this.#armIdle();
    });
    conn.on('end', () => {
      if (current()) this.destroy();
    });
    conn.on('error', (err: NodeJS.ErrnoException) => {
      if (!current()) return;
      const local = joinHostPort(this.#localIp, this.#localPort);
      const text = err.code === 'ECONNRESET' ? `read tcp ${local}->${this.#remoteAddr}: read: connection reset by peer` : err.message;
      this.#failWithTcpError(undefined, text, 'read', {});
      this.destroy();
    });
    conn.on('close', () => {
      if (current()) this.destroy();
    });
  }

  /** The read deadline: 'timeout' after `timeout` ms without data, re-armed after each read and each timeout. */
  #armIdle(): void {
    if (this.#idle !== undefined) clearTimeout(this.#idle);
    this.#idle = undefined;
    if (this.#timeoutMs <= 0 || this.state !== 'open') return;
    this.#idle = setTimeout(() => {
      this.#idle = undefined;
      if (this.state !== 'open') return;
      this.#fire('timeout');
      this.#armIdle();
    }, this.#timeoutMs);
  }

  setTimeout(ms: unknown): void {
    const n = Math.trunc(Number(ms));
    this.#timeoutMs = Number.isFinite(n) && n > 0 ? n : 0;
    if (this.#conn !== undefined) this.#armIdle();
  }

  // ---- writing ----

  write(data: unknown, rawOptions: unknown): Promise<unknown> {
    const { host, realm } = this.#ctx;
    const d = this.#deferred();
    let tags: Tags = host.state.tags;
    let bytes: Uint8Array;
    try {
      const opts = parseWriteOptions(rawOptions);
      tags = withTags(host.state.tags, opts.tags);
      bytes = writeBytes(data, opts.encoding);
    } catch (e) {
      this.#failWithTcpError(d, errorMessage(e), 'write', tags);
      return d.promise;
    }
    const conn = this.#conn;
    if (conn === undefined || conn.destroyed) {
      d.reject(goErrorValue(realm, 'no active connection'));
      return d.promise;
    }
    conn.write(bytes, (err) => {
      if (err !== undefined && err !== null) {
        const local = joinHostPort(this.#localIp, this.#localPort);
        const cause = (err as NodeJS.ErrnoException).code === 'EPIPE' ? 'broken pipe' : 'use of closed network connection';
        const text = `failed to write data after 0 bytes: write tcp ${local}->${this.#remoteAddr}: ${cause}`;
        host.log.error('TCP write failed', { error: text, module: 'tcp' });
        this.#push('tcp_writes', tags, 1);
        d.reject(goErrorValue(realm, text));
        return;
      }
      this.bytesWritten += bytes.length;
      this.#push('tcp_writes', tags, 1);
      d.resolve(undefined);
    });
    return d.promise;
  }

  // ---- closing ----

  /** Closes the connection; 'close' fires once, and the socket lets the VU's loop go. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.state = 'destroyed';
    const conn = this.#conn;
    this.#conn = undefined;
    if (this.#idle !== undefined) clearTimeout(this.#idle);
    this.#idle = undefined;
    if (conn !== undefined) {
      conn.destroy();
      this.#raw?.destroy();
      this.#push('tcp_socket_duration', this.#tags(), Math.trunc(performance.now() - this.#connectTime));
    }
    this.#fire('close');
    this.#letLoopGo();
  }

  /** The iteration ended (or was interrupted) with the socket alive: closed without events or samples. */
  abandon(): void {
    if (this.#destroyed) {
      this.#letLoopGo();
      return;
    }
    this.#destroyed = true;
    this.state = 'destroyed';
    if (this.#idle !== undefined) clearTimeout(this.#idle);
    this.#idle = undefined;
    this.#conn?.destroy();
    this.#raw?.destroy();
    this.#conn = undefined;
    this.#letLoopGo();
  }
}
