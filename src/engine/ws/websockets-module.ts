// `import { WebSocket } from 'k6/websockets'` (also 'k6/experimental/websockets'): k6's browser-like
// WebSocket (internal/js/modules/k6/websockets). The constructor returns at once and connects in the
// background; events run as callbacks on the VU's event loop (never while the VU is inside a
// blocking call), and each socket keeps the loop open until it is closed, so an iteration ends only
// when all its sockets did (k6's rule).
//
// Invariants:
// - readyState goes CONNECTING → OPEN → CLOSING → CLOSED, changed only inside loop callbacks (and
//   by close()); CLOSED happens once, and releases the socket's hold on the event loop.
// - A socket still open when its iteration ends (interrupted, or failed by an exception) is closed
//   with 1000 without calling the script, as k6 does when the VU's context is done.
import { performance } from 'node:perf_hooks';
import type { RawData, WebSocket as NodeWebSocket } from 'ws';
import { isBlocking, markBlocking } from '../vu/blocking.ts';
import { goError } from '../vu/go-error.ts';
import type { VuHost } from '../vu/vu-host.ts';
import type { VuEventLoop } from '../vu/vu-event-loop.ts';
import { applyUserTags } from '../modules/user-tags.ts';
import { isArrayBuffer, type BufferRealm } from '../modules/binary-input.ts';
import { CookieJar } from '../http/cookie-jar.ts';
import { wsVuContext } from './ws-vu-context.ts';
import { addParamHeaders, runHandlers, type HeaderMap } from './ws-script-calls.ts';
import { handshake, type Handshake } from './ws-handshake.ts';
import { closeErrorText } from './ws-errors.ts';
import { addHandshakeTags } from './ws-metrics.ts';
import { WsBlob, type BlobRealm } from './ws-blob.ts';

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
const EVENT_TYPES = ['open', 'message', 'error', 'close', 'ping', 'pong'] as const;

/** An event's `timestamp`: milliseconds since the epoch with their fraction, as k6's UnixNano() / 1e6 (a DOMHighResTimeStamp). */
const eventTime = (): number => performance.timeOrigin + performance.now();
type EventType = (typeof EVENT_TYPES)[number];
type Listener = (event: unknown) => unknown;
/** After a close frame the peer has this long to close the TCP connection before it is cut. */
const CLOSE_LINGER_MS = 1000;

export interface WebSocketsModuleDeps {
  readonly buffers?: BufferRealm;
  readonly vuJar?: () => CookieJar | undefined;
  /** A k6/experimental/streams ReadableStream of the script's realm, for Blob.stream(). */
  readonly readableStream?: (source: object) => unknown;
}

interface SocketParams {
  readonly headers: HeaderMap;
  readonly jar: CookieJar | undefined;
  readonly compression: boolean;
  readonly tags: Record<string, string>;
}

function then(r: unknown, next: () => unknown): unknown {
  return isBlocking(r) ? markBlocking(r.then(next)) : next();
}

export function createWebSocketsModule(host: VuHost, loop: VuEventLoop, deps: WebSocketsModuleDeps = {}): Record<string, unknown> {
  const { network, buffers, systemTags, userAgent } = wsVuContext(host, deps.buffers);
  const live = new Set<Connection>();
  host.lifecycle.onIterationEnd(() => {
    for (const c of live) c.abandon();
  });
  host.lifecycle.onClose(() => {
    for (const c of live) c.abandon();
  });

  /** Runs `fn` as a callback of the VU's event loop (a zero timer: deferred while the VU blocks). */
  const onLoop = (fn: () => unknown): void => {
    loop.setTimer(fn, 0, false);
  };

  function parseParams(raw: unknown): SocketParams {
    const headers: HeaderMap = new Map();
    headers.set('user-agent', { name: 'User-Agent', value: userAgent });
    let jar = deps.vuJar?.();
    let compression = false;
    let tags: Record<string, string> = { ...host.state.tags };
    if (raw !== undefined && raw !== null) {
      const p = Object(raw) as Record<string, unknown>;
      for (const key of Object.keys(p)) {
        const v = p[key];
        switch (key) {
          case 'headers':
            addParamHeaders(headers, v);
            break;
          case 'tags':
            try {
              tags = applyUserTags(tags, v);
            } catch (e) {
              throw goError(`invalid WebSocket tags option: ${e instanceof Error ? e.message : String(e)}`);
            }
            break;
          case 'jar':
            if (v instanceof CookieJar) jar = v;
            break;
          case 'compression': {
            const algo = String(v).trim();
            if (algo !== 'deflate') throw goError(`unsupported compression algorithm '${algo}', supported algorithm is 'deflate'`);
            compression = true;
            break;
          }
          default:
            throw goError(`unknown WebSocket's option ${key}`);
        }
      }
    }
    if (headers.get('user-agent')?.value === '') headers.delete('user-agent');
    return { headers, jar, compression, tags };
  }

  function parseUrl(raw: unknown): string {
    if (raw === undefined || raw === null) throw goError('WebSocket requires a url');
    const text = String(raw);
    let url: URL;
    try {
      url = new URL(text);
    } catch (e) {
      throw goError(`WebSocket requires valid url, but got "${text}" which resulted in ${e instanceof Error ? e.message : String(e)}`);
    }
    const scheme = url.protocol.slice(0, -1);
    if (scheme !== 'ws' && scheme !== 'wss') throw goError(`WebSocket requires url with scheme ws or wss, but got "${scheme}"`);
    if (url.hash !== '') throw goError(`WebSocket requires no url fragment, but got "${url.hash.slice(1)}"`);
    return text;
  }

  function protocolsOf(raw: unknown): string[] {
    if (raw === undefined || raw === null) return [];
    if (typeof raw === 'string') return [raw];
    if (Array.isArray(raw)) return raw.map((p) => String(p));
    return [];
  }

  /** The state behind one script-facing WebSocket. */
  class Connection {
    readonly target: WebSocket;
    readonly url: string;
    readyState = CONNECTING;
    bufferedAmount = 0;
    binaryType = 'blob';
    protocol = '';
    extensions: string[] = [];
    readonly on = new Map<EventType, Listener | null>();
    readonly lists = new Map<EventType, Listener[]>();
    #ws: NodeWebSocket | undefined = undefined;
    readonly #tags: Record<string, string>;
    readonly #signal: AbortSignal;
    readonly #release: () => void;
    #started = 0;
    #closeCode = 0;
    #closeReason = '';
    #readError: string | undefined = undefined;
    #pingCounter = 0;
    readonly #pings = new Map<string, number>();
    /** The VU's signal outlives iterations: the listener goes as soon as the socket is CLOSED. */
    readonly #onAbort = (): void => this.abandon();

    constructor(target: WebSocket, url: string, protocols: string[], params: SocketParams) {
      this.target = target;
      this.url = url;
      this.#tags = params.tags;
      this.#signal = host.signal;
      this.#release = loop.keepAlive();
      live.add(this);
      this.#signal.addEventListener('abort', this.#onAbort, { once: true });
      this.#started = performance.now();
      void handshake({ url, headers: params.headers, protocols, compression: params.compression, jar: params.jar }, network, this.#signal)
        .then((hs) => this.#connected(hs, performance.now()));
    }

    #alive(): boolean {
      return !this.#signal.aborted;
    }

    #connected(hs: Handshake, connectEnd: number): void {
      const tags = this.#tags;
      addHandshakeTags(tags, hs.response, systemTags);
      if (hs.socket !== undefined) {
        this.protocol = hs.response?.subprotocol ?? '';
        const ext = hs.response?.headers['Sec-Websocket-Extensions'];
        this.extensions = ext === undefined ? [] : ext.split(', ');
      }
      // After k6 v0.41.0 the `name` and `url` tags have the same value; a `name` tag given wins.
      const named = tags.name;
      if (named !== undefined) {
        if (systemTags('url')) tags.url = named;
      } else {
        if (systemTags('url')) tags.url = this.url;
        if (systemTags('name')) tags.name = this.url;
      }
      if (this.#alive()) host.samples.addMany(tags, [['ws_sessions', 1], ['ws_connecting', connectEnd - this.#started]]);
      if (this.readyState === CLOSED) {
        hs.socket?.terminate();
        return;
      }
      if (hs.socket === undefined || hs.events === undefined || hs.error !== undefined) {
        const error = hs.error ?? 'websocket: bad handshake';
        hs.socket?.terminate();
        onLoop(() => this.#closedWithError(error));
        return;
      }
      const ws = hs.socket;
      this.#ws = ws;
      ws.once('close', () => {
        if (this.#alive()) host.samples.add('ws_session_duration', tags, performance.now() - this.#started);
      });
      // close() while connecting: k6 sends the close frame once connected, and fires no 'open'.
      if (this.readyState === CLOSING) ws.close(this.#closeCode, '');
      // 'open' is queued before the frames held since the handshake (a server's first message can
      // come with the 101 answer), as k6 calls the open listeners before its read loop starts.
      onLoop(() => {
        if (this.readyState !== CONNECTING) return undefined;
        this.readyState = OPEN;
        return this.#guarded(() => this.#fire('open', this.#event('open')));
      });
      hs.events.attach((event, args) => {
        switch (event) {
          case 'message': {
            const received = eventTime(); // k6 stamps a message event with its arrival, not its dispatch
            onLoop(() => this.#message(args[0] as RawData, args[1] === true, received));
            break;
          }
          case 'ping':
            onLoop(() => this.#fire('ping', this.#event('ping')));
            break;
          case 'pong':
            onLoop(() => {
              this.#trackPong(String(args[0]));
              return this.#fire('pong', this.#event('pong'));
            });
            break;
          case 'error':
            this.#readError ??= args[0] instanceof Error ? args[0].message : String(args[0]);
            break;
          case 'close':
            onLoop(() => this.#closedByPeer(Number(args[0]), String(args[1])));
            break;
        }
      });
    }

    #event(type: string, extra: Record<string, unknown> = {}, timestamp = eventTime()): Record<string, unknown> {
      return { type, target: this.target, timestamp, ...extra };
    }

    /** Listeners of `type`: the on-property's first, then addEventListener's. */
    #fire(type: EventType, event: unknown): unknown {
      const on = this.on.get(type);
      const list = this.lists.get(type) ?? [];
      const all = on === undefined || on === null ? list : [on, ...list];
      return all.length === 0 ? undefined : runHandlers(all, [event]);
    }

    /** An open/message listener that throws closes the connection (no more events) and fails the call. */
    #guarded(run: () => unknown): unknown {
      let r: unknown;
      try {
        r = run();
      } catch (e) {
        return this.#failed(e);
      }
      if (isBlocking(r)) return markBlocking(r.then(undefined, (e: unknown) => this.#failed(e)));
      return r;
    }

    #failed(e: unknown): never {
      if (this.readyState !== CLOSED) this.#finish();
      this.#ws?.terminate();
      throw e;
    }

    #message(data: RawData, isBinary: boolean, received: number): unknown {
      if (this.readyState !== OPEN) return undefined;
      if (this.#alive()) host.samples.add('ws_msgs_received', this.#tags, 1);
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      let payload: unknown;
      if (!isBinary) payload = bytes.toString('utf8');
      else if (this.binaryType === 'arraybuffer') payload = buffers.arrayBuffer(bytes);
      else payload = new Blob([bytes]);
      return this.#guarded(() => this.#fire('message', this.#event('message', { data: payload, origin: this.url }, received)));
    }

    #trackPong(id: string): void {
      const sent = this.#pings.get(id);
      if (sent === undefined) {
        host.log.warn(`received pong for unknown ping ID ${id}`);
        return;
      }
      this.#pings.delete(id);
      if (this.#alive()) host.samples.add('ws_ping', this.#tags, performance.now() - sent);
    }

    #closedByPeer(code: number, reason: string): unknown {
      if (this.readyState === CLOSED) return undefined;
      if (this.#readError !== undefined) return this.#closedWithError(this.#readError);
      this.#closeCode = code;
      this.#closeReason = reason;
      // gorilla reports 1000 and 1001 as expected closes; any other code is an error event first.
      return this.#closedWithError(code === 1000 || code === 1001 ? undefined : closeErrorText(code, reason));
    }

    /** k6's connectionClosedWithError: CLOSED, 'error' (unless a normal close), then 'close'. */
    #closedWithError(error: string | undefined): unknown {
      if (this.readyState === CLOSED) return undefined;
      this.#finish();
      const closeEvent = (): unknown => this.#fire('close', this.#event('close', {
        ...(this.#closeCode === 0 ? {} : { code: this.#closeCode }),
        reason: this.#closeReason,
      }));
      if (error === undefined) return closeEvent();
      return then(this.#fire('error', this.#event('error', { error })), closeEvent);
    }

    /** CLOSED: no more events; the loop is released once the current callback is done. */
    #finish(): void {
      this.readyState = CLOSED;
      live.delete(this);
      this.#signal.removeEventListener('abort', this.#onAbort);
      // Released after this loop callback: the loop waits for the callback (and what it blocks on) anyway.
      this.#release();
    }

    /** The iteration ended or was interrupted with this socket open: close it quietly with 1000. */
    abandon(): void {
      if (this.readyState === CLOSED) return;
      this.readyState = CLOSED;
      live.delete(this);
      this.#signal.removeEventListener('abort', this.#onAbort);
      this.#release();
      const ws = this.#ws;
      if (ws === undefined) return;
      sendClose(ws, 1000, '');
    }

    assertOpen(): NodeWebSocket {
      if (this.readyState !== OPEN || this.#ws === undefined) throw goError('InvalidStateError');
      return this.#ws;
    }

    send(data: unknown): void {
      const ws = this.assertOpen();
      let payload: string | Buffer;
      if (typeof data === 'string') payload = data;
      else if (isArrayBuffer(data)) payload = Buffer.from(new Uint8Array(data.slice(0)));
      else if (data instanceof WsBlob) payload = Buffer.from(data.bytesSync());
      else if (ArrayBuffer.isView(data)) payload = Buffer.from(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
      else throw goError(`unsupported send type ${goTypeName(data)}`);
      const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
      this.bufferedAmount += size;
      ws.send(payload, { binary: typeof payload !== 'string' }, (err) => {
        this.bufferedAmount -= size;
        if (err === undefined || err === null) {
          if (this.#alive()) host.samples.add('ws_msgs_sent', this.#tags, 1);
        }
      });
    }

    ping(): void {
      const ws = this.assertOpen();
      const id = String(this.#pingCounter);
      ws.ping(id);
      this.#pings.set(id, performance.now());
      this.#pingCounter++;
    }

    close(code: unknown, reason: unknown): void {
      if (this.readyState === CLOSED || this.readyState === CLOSING) return;
      const c = code === undefined ? 0 : Math.trunc(Number(code)) || 0;
      const r = reason === undefined ? '' : String(reason);
      if (c !== 0 && c !== 1000 && !(c >= 3000 && c <= 4999)) {
        throw goError(`InvalidAccessError: Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. ${c} is neither`);
      }
      if (Buffer.byteLength(r) > 123) {
        throw goError("SyntaxError: Failed to execute 'close' on 'WebSocket': The message must not be greater than 123 bytes");
      }
      const ws = this.#ws;
      this.#closeCode = c === 0 ? 1000 : c;
      if (ws === undefined) {
        // Still connecting: k6 queues the close frame until the connection is up; the dial's end closes it.
        this.readyState = CLOSING;
        return;
      }
      this.readyState = CLOSING;
      ws.close(this.#closeCode, r);
    }
  }

  const connections = new WeakMap<object, Connection>();
  const conn = (self: unknown): Connection => {
    const c = connections.get(self as object);
    if (c === undefined) throw new TypeError('Illegal invocation');
    return c;
  };

  class WebSocket {
    static readonly CONNECTING = CONNECTING;
    static readonly OPEN = OPEN;
    static readonly CLOSING = CLOSING;
    static readonly CLOSED = CLOSED;
    declare readonly url: string;

    constructor(url: unknown, protocols?: unknown, params?: unknown) {
      if (host.state.phase === 'init') throw goError('using websockets in the init context is not supported');
      const target = parseUrl(url);
      const parsed = parseParams(params);
      Object.defineProperty(this, 'url', { value: target, enumerable: true });
      connections.set(this, new Connection(this, target, protocolsOf(protocols), parsed));
    }

    get readyState(): number {
      return conn(this).readyState;
    }
    get bufferedAmount(): number {
      return conn(this).bufferedAmount;
    }
    get protocol(): string {
      return conn(this).protocol;
    }
    get extensions(): string[] {
      return [...conn(this).extensions];
    }
    get binaryType(): string {
      return conn(this).binaryType;
    }
    set binaryType(v: unknown) {
      const s = String(v);
      if (s !== 'blob' && s !== 'arraybuffer') throw goError(`unknown binaryType ${s}, the supported ones are "blob" and "arraybuffer"`);
      conn(this).binaryType = s;
    }
    addEventListener(type: unknown, handler: unknown): void {
      const c = conn(this);
      const t = String(type);
      if (typeof handler !== 'function') throw goError(`handler for event type "${t}" isn't a callable function`);
      if (!(EVENT_TYPES as readonly string[]).includes(t)) {
        host.log.warn(`can't add event handler: unknown event type: ${t}`);
        return;
      }
      const list = c.lists.get(t as EventType);
      if (list === undefined) c.lists.set(t as EventType, [handler as Listener]);
      else list.push(handler as Listener);
    }
    send(data: unknown): void {
      conn(this).send(data);
    }
    ping(): void {
      conn(this).ping();
    }
    close(code?: unknown, reason?: unknown): void {
      conn(this).close(code, reason);
    }
  }
  // The ready-state constants on instances too (ws.readyState === ws.OPEN), as @types/k6 declares
  // them and the WebSocket standard defines them: read-only, on the prototype, so no own keys change.
  for (const [name, value] of [['CONNECTING', CONNECTING], ['OPEN', OPEN], ['CLOSING', CLOSING], ['CLOSED', CLOSED]] as const) {
    Object.defineProperty(WebSocket.prototype, name, { value, enumerable: true });
  }
  for (const type of EVENT_TYPES) {
    Object.defineProperty(WebSocket.prototype, `on${type}`, {
      configurable: true,
      get(this: WebSocket) {
        return conn(this).on.get(type) ?? null;
      },
      set(this: WebSocket, fn: unknown) {
        if (fn === undefined || fn === null) {
          conn(this).on.set(type, null);
          return;
        }
        if (typeof fn !== 'function') throw goError(`a value for 'on${type}' should be callable`);
        conn(this).on.set(type, fn as Listener);
      },
    });
  }

  const blobRealm: BlobRealm = {
    arrayBuffer: (bytes) => buffers.arrayBuffer(bytes),
    parseJson: (text) => buffers.parseJson(text),
    ...(buffers.uint8Array === undefined ? {} : { uint8Array: (bytes: Uint8Array) => buffers.uint8Array?.(bytes) ?? bytes }),
    ...(deps.readableStream === undefined ? {} : { readableStream: deps.readableStream }),
  };

  class Blob extends WsBlob {
    constructor(parts?: unknown, options?: unknown) {
      super(parts, options, blobRealm);
    }
  }

  const mod = { WebSocket, Blob };
  return { ...mod, default: mod };
}

function sendClose(ws: NodeWebSocket, code: number, reason: string): void {
  if (ws.readyState === ws.CONNECTING) {
    ws.terminate();
    return;
  }
  try {
    ws.close(code, reason);
  } catch {
    ws.terminate();
  }
  const linger = setTimeout(() => ws.terminate(), CLOSE_LINGER_MS);
  linger.unref();
  ws.once('close', () => clearTimeout(linger));
}

/** Go's %T of the exported value, as k6 names an unsupported send() argument. */
function goTypeName(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'function') return 'func(sobek.FunctionCall) sobek.Value';
  return 'map[string]interface {}';
}
