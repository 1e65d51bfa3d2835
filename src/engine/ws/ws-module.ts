// `import ws from 'k6/ws'`: k6's classic WebSocket API (js/modules/k6/ws/ws.go). `ws.connect(url,
// params, fn)` blocks the VU for the whole session: it dials, calls `fn(socket)`, fires 'open', then
// runs the socket's event handlers and its own setTimeout/setInterval callbacks one at a time, and
// returns the handshake response once the connection is closed (by the script, the server, an
// error or the VU's interrupt).
//
// Invariants:
// - Script callbacks of a session never overlap: events wait in a queue; a callback that blocks
//   (sleep, http.get) delays the next one, as k6's single control loop does.
// - The session ends once: `close()` (the script's, the server's or the interrupt's) marks it done,
//   fires 'close' (not on interrupt), and the queue is dropped after the running callback.
// - ws_sessions and ws_connecting are emitted when the dial ends, ws_session_duration when the
//   session ends, failed handshakes included; nothing once the VU was interrupted (k6's PushIfNotDone).
import { performance } from 'node:perf_hooks';
import type { WebSocket, RawData } from 'ws';
import { isBlocking, markBlocking } from '../vu/blocking.ts';
import { goError } from '../vu/go-error.ts';
import type { VuHost } from '../vu/vu-host.ts';
import { applyUserTags } from '../modules/user-tags.ts';
import { isArrayBuffer, type BufferRealm } from '../modules/binary-input.ts';
import { CookieJar } from '../http/cookie-jar.ts';
import { wsVuContext } from './ws-vu-context.ts';
import { addParamHeaders, runHandlers, type Handler, type HeaderMap } from './ws-script-calls.ts';
import { handshake, type HandshakeResponse, type WsEvents } from './ws-handshake.ts';
import { CLOSE_SENT, closeErrorText } from './ws-errors.ts';
import { addHandshakeTags, sessionTags } from './ws-metrics.ts';

const CLOSE_GOING_AWAY = 1001;
/** After the close frame, the server has this long to close the TCP connection before it is cut. */
const CLOSE_LINGER_MS = 1000;

type Callback = Handler;

/** What ws.connect() returns (k6's HTTPResponse: url, status, headers, body, error). */
export interface WsResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  error: string;
}

/** The error value handlers receive: a Go error, whose `error()` method gives the text. */
class WsError {
  readonly #text: string;
  constructor(text: string) {
    this.#text = text;
  }
  error(): string {
    return this.#text;
  }
  toString(): string {
    return this.#text;
  }
}

interface ConnectArgs {
  readonly setup: Callback;
  readonly headers: HeaderMap;
  readonly compression: boolean;
  readonly jar: CookieJar | undefined;
  readonly userTags: unknown;
}

export interface WsModuleDeps {
  /** Makes the ArrayBuffers of binary messages (the script realm's). */
  readonly buffers?: BufferRealm;
  /** The VU's cookie jar (k6/http's `cookieJar()`), read at each connect. */
  readonly vuJar?: () => CookieJar | undefined;
}

export function createWsModule(host: VuHost, deps: WsModuleDeps = {}): Record<string, unknown> {
  const { network, buffers, systemTags, userAgent } = wsVuContext(host, deps.buffers);

  function parseArgs(args: readonly unknown[]): ConnectArgs {
    let params: unknown;
    let fn: unknown;
    if (args.length === 2) [params, fn] = args;
    else if (args.length === 1) [fn] = args;
    else throw goError('invalid number of arguments to ws.connect');
    if (typeof fn !== 'function') throw goError('last argument to ws.connect must be a function');
    const headers: HeaderMap = new Map();
    if (userAgent !== '') headers.set('user-agent', { name: 'User-Agent', value: userAgent });
    let compression = false;
    let jar = deps.vuJar?.();
    let userTags: unknown;
    if (params !== undefined && params !== null) {
      const p = Object(params) as Record<string, unknown>;
      for (const key of Object.keys(p)) {
        const v = p[key];
        if (key === 'headers') {
          addParamHeaders(headers, v);
        } else if (key === 'tags') {
          userTags = v;
        } else if (key === 'jar') {
          if (v instanceof CookieJar) jar = v;
        } else if (key === 'compression') {
          const algo = String(v).trim();
          if (algo === '') continue;
          if (algo !== 'deflate') throw goError(`unsupported compression algorithm '${algo}', supported algorithm is 'deflate'`);
          compression = true;
        }
      }
    }
    return { setup: fn as Callback, headers, compression, jar, userTags };
  }

  function connect(url: unknown, ...args: unknown[]): Promise<WsResponse> {
    if (host.state.phase === 'init') throw goError('using websockets in the init context is not supported');
    const parsed = parseArgs(args);
    const target = String(url);
    let base;
    try {
      base = applyUserTags(host.state.tags, parsed.userTags);
    } catch (e) {
      throw goError(`invalid ws.connect() metric tags: ${e instanceof Error ? e.message : String(e)}`);
    }
    const tags = sessionTags(base, target, systemTags);
    return host.block(runConnect(target, parsed, tags));
  }

  async function runConnect(url: string, args: ConnectArgs, tags: Record<string, string>): Promise<WsResponse> {
    const signal = host.signal;
    const connectStart = performance.now();
    const hs = await handshake({ url, headers: args.headers, protocols: [], compression: args.compression, jar: args.jar }, network, signal);
    const connectEnd = performance.now();
    addHandshakeTags(tags, hs.response, systemTags);
    if (!signal.aborted) host.samples.addMany(tags, [['ws_sessions', 1], ['ws_connecting', connectEnd - connectStart]]);
    try {
      if (hs.socket === undefined || hs.events === undefined || hs.error !== undefined) {
        const error = hs.error ?? 'websocket: bad handshake';
        if (host.options.throw === true) throw goError(error);
        return hs.response === undefined ? responseObject('', undefined, error) : responseObject('', hs.response, '');
      }
      const session = new Session(host, hs.socket, hs.events, tags, buffers, signal);
      await session.run(args.setup);
      return responseObject(url, hs.response, '');
    } finally {
      // k6 pushes samples only while the VU's context is alive (PushIfNotDone): none after an interrupt.
      if (!signal.aborted) host.samples.add('ws_session_duration', tags, performance.now() - connectStart);
    }
  }

  const mod = {
    connect(url: unknown, ...args: unknown[]) {
      return connect(url, ...args);
    },
  };
  return { ...mod, default: mod };
}

function responseObject(url: string, response: HandshakeResponse | undefined, error: string): WsResponse {
  return {
    url,
    status: response?.status ?? 0,
    headers: response === undefined ? {} : { ...response.headers },
    body: response?.body ?? '',
    error,
  };
}

/** One ws.connect() session: the socket object the script sees is a `Socket` facade over it. */
class Session {
  readonly #host: VuHost;
  readonly #ws: WebSocket;
  readonly #events: WsEvents;
  readonly #tags: Record<string, string>;
  readonly #buffers: BufferRealm;
  readonly #signal: AbortSignal;
  readonly #handlers = new Map<string, Callback[]>();
  readonly #queue: Array<() => unknown> = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #pings = new Map<string, number>();
  #pingCounter = 0;
  #done = false;
  #readError = false;
  #wake: (() => void) | undefined = undefined;

  constructor(host: VuHost, ws: WebSocket, events: WsEvents, tags: Record<string, string>, buffers: BufferRealm, signal: AbortSignal) {
    this.#host = host;
    this.#ws = ws;
    this.#events = events;
    this.#tags = tags;
    this.#buffers = buffers;
    this.#signal = signal;
  }

  /** The whole session: setup, 'open', then events until closed. Rejects with a callback's error. */
  async run(setup: Callback): Promise<void> {
    const onAbort = (): void => this.#interrupt();
    this.#signal.addEventListener('abort', onAbort, { once: true });
    this.#events.attach((event, args) => {
      switch (event) {
        case 'message':
          this.#post(() => this.#received(args[0] as RawData, args[1] === true));
          break;
        case 'ping':
          this.#post(() => this.#emit('ping', []));
          break;
        case 'pong':
          this.#post(() => {
            this.#trackPong(String(args[0]));
            return this.#emit('pong', []);
          });
          break;
        case 'error':
          this.#readError = true;
          break;
        case 'close':
          this.#post(() => this.#closedByPeer(Number(args[0]), String(args[1])));
          break;
      }
    });
    try {
      const socket = new Socket(this);
      await this.#resume();
      await settle(setup(socket));
      // k6 fires 'open' after the callback even when it already closed the socket.
      await settle(this.#emit('open', []));
      while (!this.#done) {
        const task = this.#queue.shift();
        if (task === undefined) {
          await new Promise<void>((resolve) => (this.#wake = resolve));
          this.#wake = undefined;
          continue;
        }
        await this.#resume();
        await settle(task());
      }
    } catch (e) {
      // k6 closes with "going away" (its close handler still runs) and the error ends ws.connect.
      if (!this.#done) {
        try {
          await settle(this.close(CLOSE_GOING_AWAY));
        } catch {
          // the first error is the one reported
        }
      }
      throw e;
    } finally {
      this.#signal.removeEventListener('abort', onAbort);
      this.#finish();
    }
  }

  /**
   * Before script code runs again after a wait: a resumption through the host, whose reaction
   * restores the VU's seeded Math.random (other VUs of the realm drew from theirs meanwhile).
   */
  async #resume(): Promise<void> {
    if (this.#host.resumeHooks) await this.#host.blockCancellable(Promise.resolve());
  }

  #post(task: () => unknown): void {
    if (this.#done) return;
    this.#queue.push(task);
    this.#wake?.();
  }

  #received(data: RawData, isBinary: boolean): unknown {
    this.#host.samples.add('ws_msgs_received', this.#tags, 1);
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (isBinary) return this.#emit('binaryMessage', [this.#buffers.arrayBuffer(bytes)]);
    return this.#emit('message', [bytes.toString('utf8')]);
  }

  #closedByPeer(code: number, reason: string): unknown {
    if (this.#done) return undefined;
    // gorilla reports a read error that is not a close frame without an 'error' event, as 1001.
    if (this.#readError) return this.close(CLOSE_GOING_AWAY);
    if (code !== 1000 && code !== CLOSE_GOING_AWAY) {
      const r = this.#emit('error', [new WsError(closeErrorText(code, reason))]);
      if (isBlocking(r)) return markBlocking(r.then(() => this.close(code)));
    }
    return this.close(code);
  }

  #trackPong(id: string): void {
    const sent = this.#pings.get(id);
    if (sent === undefined) return;
    this.#pings.delete(id);
    this.#host.samples.add('ws_ping', this.#tags, performance.now() - sent);
  }

  /** Runs the handlers of `event`; a promise when one of them blocks. */
  #emit(event: string, args: readonly unknown[]): unknown {
    const list = this.#handlers.get(event);
    return list === undefined ? undefined : runHandlers(list, args);
  }

  #block(r: unknown): unknown {
    return isBlocking(r) ? this.#host.block(r) : r;
  }

  on(event: string, handler: unknown): void {
    if (typeof handler !== 'function') return;
    const list = this.#handlers.get(event);
    if (list === undefined) this.#handlers.set(event, [handler as Callback]);
    else list.push(handler as Callback);
  }

  #writable(): boolean {
    return !this.#done && this.#ws.readyState === this.#ws.OPEN;
  }

  send(message: unknown): unknown {
    let r: unknown;
    if (this.#writable()) this.#ws.send(message === undefined ? '' : String(message));
    else r = this.#emit('error', [new WsError(CLOSE_SENT)]);
    this.#host.samples.add('ws_msgs_sent', this.#tags, 1);
    return this.#block(r);
  }

  sendBinary(message: unknown, argc: number): unknown {
    if (argc === 0) throw goError('missing argument, expected ArrayBuffer');
    if (!isArrayBuffer(message)) {
      const type = message === null || message === undefined
        ? String(message)
        : String((Object(message) as { constructor?: { name?: unknown } }).constructor?.name);
      throw goError(`expected ArrayBuffer as argument, received: ${type}`);
    }
    let r: unknown;
    if (this.#writable()) this.#ws.send(Buffer.from(new Uint8Array(message).slice()), { binary: true });
    else r = this.#emit('error', [new WsError(CLOSE_SENT)]);
    this.#host.samples.add('ws_msgs_sent', this.#tags, 1);
    return this.#block(r);
  }

  ping(): unknown {
    if (!this.#writable()) return this.#block(this.#emit('error', [new WsError(CLOSE_SENT)]));
    const id = String(this.#pingCounter);
    this.#ws.ping(id);
    this.#pings.set(id, performance.now());
    this.#pingCounter++;
    return undefined;
  }

  schedule(fn: unknown, ms: unknown, repeat: boolean): void {
    const name = repeat ? 'setInterval' : 'setTimeout';
    if (typeof fn !== 'function') throw new TypeError(`${name}'s callback must be a function`);
    const delay = Number(ms);
    if (!(delay > 0)) throw goError(`${name} requires a >0 timeout parameter, received ${delay.toFixed(2)}`);
    if (this.#done) return;
    const run = (): void => this.#post(() => (fn as Callback)());
    const timer = repeat ? setInterval(run, delay) : setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, delay);
    this.#timers.add(timer);
  }

  /** k6's closeConnection: sends the close frame, fires 'close' and ends the session (once). */
  close(code: number): unknown {
    if (this.#done) return undefined;
    this.#done = true;
    this.#sendClose(code);
    this.#wake?.();
    return this.#block(this.#emit('close', [code]));
  }

  #sendClose(code: number): void {
    const ws = this.#ws;
    try {
      ws.close(code);
    } catch {
      // ws refuses codes a peer may not send (1005, 1006, < 1000): cut the connection instead.
      ws.terminate();
    }
    const linger = setTimeout(() => ws.terminate(), CLOSE_LINGER_MS);
    linger.unref();
    ws.once('close', () => clearTimeout(linger));
  }

  /** The VU was interrupted (gracefulStop, abort): close without running any more script code. */
  #interrupt(): void {
    if (this.#done) return;
    this.#done = true;
    this.#sendClose(CLOSE_GOING_AWAY);
    this.#wake?.();
  }

  #finish(): void {
    this.#done = true;
    this.#queue.length = 0;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    if (this.#ws.readyState === this.#ws.OPEN) this.#sendClose(CLOSE_GOING_AWAY);
  }
}

async function settle(r: unknown): Promise<void> {
  if (isBlocking(r)) await r;
}

/** The socket object ws.connect() passes to its callback (methods only, as k6's Go object shows). */
class Socket {
  readonly #session: Session;
  constructor(session: Session) {
    this.#session = session;
  }
  on(event: unknown, handler: unknown): void {
    this.#session.on(String(event), handler);
  }
  send(message?: unknown): unknown {
    return this.#session.send(message);
  }
  sendBinary(...args: unknown[]): unknown {
    return this.#session.sendBinary(args[0], args.length);
  }
  ping(): unknown {
    return this.#session.ping();
  }
  close(code?: unknown): unknown {
    return this.#session.close(code === undefined ? CLOSE_GOING_AWAY : Math.trunc(Number(code)) || 0);
  }
  setTimeout(fn: unknown, ms: unknown): void {
    this.#session.schedule(fn, ms, false);
  }
  setInterval(fn: unknown, ms: unknown): void {
    this.#session.schedule(fn, ms, true);
  }
}
