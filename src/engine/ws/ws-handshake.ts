// The opening handshake of a WebSocket, as k6 does it with gorilla/websocket's Dialer: the VU's
// cookie jar adds its cookies and stores the answer's, redirects are not followed, a status other
// than 101 is "websocket: bad handshake" with the response (body cut at 1,024 bytes), and the
// handshake times out after 60 s.
import { createRequire } from 'node:module';
import type * as WsPackage from 'ws';
import type { WebSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import { canonicalHeaderKey } from '../http/header-key.ts';
import type { CookieJar } from '../http/cookie-jar.ts';
import type { WsNetwork } from './ws-network.ts';
import { BAD_HANDSHAKE, MALFORMED_URL, dialErrorText } from './ws-errors.ts';

const HANDSHAKE_TIMEOUT_MS = 60_000;

/**
 * The ws package, loaded on the first connection: only scripts that use WebSockets pay its load
 * (tens of milliseconds per worker thread on a busy machine).
 */
let wsPackage: typeof WsPackage | undefined;
function wsClass(): typeof WebSocket {
  wsPackage ??= createRequire(import.meta.url)('ws') as typeof WsPackage;
  return wsPackage.WebSocket;
}
/** gorilla keeps this much of a failed handshake's body. */
const MAX_FAILED_BODY = 1024;

export interface HandshakeResponse {
  readonly status: number;
  /** Go-canonical names, repeated values joined with ", " (k6's `map[string]string`). */
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The Sec-WebSocket-Protocol the server chose ("" when none). */
  readonly subprotocol: string;
  readonly remoteIp: string;
}

export interface HandshakeRequest {
  readonly url: string;
  /** Header name → value; a Sec-WebSocket-Protocol entry is offered as the subprotocols. */
  readonly headers: ReadonlyMap<string, { name: string; value: string }>;
  readonly protocols: readonly string[];
  readonly compression: boolean;
  readonly jar: CookieJar | undefined;
}

/** The events of an open socket, held from the handshake on until a session takes them. */
export type WsEventName = 'message' | 'ping' | 'pong' | 'error' | 'close';
export type WsEventSink = (event: WsEventName, args: unknown[]) => void;

export class WsEvents {
  #held: Array<[WsEventName, unknown[]]> = [];
  #sink: WsEventSink | undefined = undefined;

  constructor(socket: WebSocket) {
    // Attached as 'open' fires: frames that came with the 101 answer are parsed before the
    // awaiting session runs (a server's first message or ping would be lost otherwise).
    for (const event of ['message', 'ping', 'pong', 'error', 'close'] as const) {
      socket.on(event, (...args: unknown[]) => {
        if (this.#sink === undefined) this.#held.push([event, args]);
        else this.#sink(event, args);
      });
    }
  }

  /** Delivers the held events, then every later one, to `sink`. */
  attach(sink: WsEventSink): void {
    this.#sink = sink;
    const held = this.#held;
    this.#held = [];
    for (const [event, args] of held) sink(event, args);
  }
}

export interface Handshake {
  /** The open connection, when the handshake succeeded. */
  readonly socket?: WebSocket;
  readonly events?: WsEvents;
  readonly response?: HandshakeResponse;
  readonly error?: string;
}

/** The http(s) URL of a ws(s) URL (the jar's view), or undefined for anything else. */
export function httpUrlOf(url: string): URL | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if ((u.protocol !== 'ws:' && u.protocol !== 'wss:') || u.username !== '' || u.password !== '') return undefined;
  const http = new URL(url);
  http.protocol = u.protocol === 'ws:' ? 'http:' : 'https:';
  return http;
}

function responseOf(res: IncomingMessage, body: string): HandshakeResponse {
  const headers: Record<string, string> = {};
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = canonicalHeaderKey(raw[i] as string);
    const value = raw[i + 1] as string;
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
  }
  const proto = res.headers['sec-websocket-protocol'];
  return {
    status: res.statusCode ?? 0,
    headers,
    body,
    subprotocol: typeof proto === 'string' ? proto : '',
    remoteIp: res.socket?.remoteAddress ?? '',
  };
}

function setCookies(jar: CookieJar | undefined, url: URL, res: IncomingMessage): void {
  const values = res.headers['set-cookie'];
  if (jar !== undefined && values !== undefined && values.length > 0) jar.storeSetCookies(url.href, values);
}

/** Dials `req.url` and performs the handshake; never rejects (failures are in `error`). */
export function handshake(req: HandshakeRequest, network: WsNetwork, signal: AbortSignal): Promise<Handshake> {
  const httpUrl = httpUrlOf(req.url);
  if (httpUrl === undefined) return Promise.resolve({ error: MALFORMED_URL });
  const secure = httpUrl.protocol === 'https:';
  const port = httpUrl.port === '' ? (secure ? '443' : '80') : httpUrl.port;
  const headers: Record<string, string> = {};
  let protocols = [...req.protocols];
  for (const { name, value } of req.headers.values()) {
    if (name.toLowerCase() === 'sec-websocket-protocol') {
      protocols = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
    } else {
      headers[name] = value;
    }
  }
  const cookies = req.jar?.headerFor(httpUrl.href) ?? '';
  if (cookies !== '') {
    const existing = Object.keys(headers).find((k) => k.toLowerCase() === 'cookie');
    if (existing === undefined) headers.Cookie = cookies;
    else headers[existing] = `${headers[existing] as string}; ${cookies}`;
  }
  return new Promise<Handshake>((resolve) => {
    let settled = false;
    let socket: WebSocket;
    const finish = (h: Handshake): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve(h);
    };
    const onAbort = (): void => {
      socket.terminate();
      finish({ error: 'context canceled' });
    };
    try {
      const WebSocketClass = wsClass();
      socket = new WebSocketClass(req.url, protocols, {
        headers,
        perMessageDeflate: req.compression ? { clientNoContextTakeover: true, serverNoContextTakeover: true } : false,
        handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
        followRedirects: false,
        createConnection: (options: object) => network.connect(options as never, secure),
      });
    } catch (e) {
      finish({ error: e instanceof Error ? e.message : String(e) });
      return;
    }
    let upgraded: HandshakeResponse | undefined;
    socket.once('upgrade', (res) => {
      setCookies(req.jar, httpUrl, res);
      upgraded = responseOf(res, '');
      // gorilla does not check the server's choice of subprotocol; ws fails the handshake when it is
      // missing, unknown or unasked for. It reads the header after this event: make it one ws accepts
      // (the session reports the server's real answer, kept in `upgraded`).
      const chosen = res.headers['sec-websocket-protocol'];
      if (protocols.length === 0) delete res.headers['sec-websocket-protocol'];
      else if (typeof chosen !== 'string' || !protocols.includes(chosen)) res.headers['sec-websocket-protocol'] = protocols[0];
    });
    socket.once('open', () => {
      const events = new WsEvents(socket);
      finish(upgraded === undefined ? { socket, events } : { socket, events, response: upgraded });
    });
    socket.once('unexpected-response', (_request, res) => {
      setCookies(req.jar, httpUrl, res);
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (): void => {
        res.removeAllListeners('data');
        const body = Buffer.concat(chunks).subarray(0, MAX_FAILED_BODY).toString('utf8');
        finish({ response: responseOf(res, body), error: BAD_HANDSHAKE });
        socket.terminate();
      };
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= MAX_FAILED_BODY) done();
      });
      res.once('end', done);
      res.once('error', done);
    });
    // After the handshake the session owns the socket and listens for errors itself.
    socket.on('error', (err) => {
      if (!settled) finish(upgraded === undefined ? { error: dialErrorText(err, httpUrl.hostname, port) } : { response: upgraded, error: dialErrorText(err, httpUrl.hostname, port) });
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
