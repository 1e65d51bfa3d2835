import type { Dispatcher } from 'undici';
import { performance } from 'node:perf_hooks';
import type { OriginClient, TimedRequest } from './vu-connections.ts';
import { K6HttpError, ERROR_CODE } from './error-codes.ts';

// One HTTP round trip (one redirect hop) on one undici client, as an undici handler object. The
// handler is the timing probe: undici calls onConnect when the request gets its socket (end of
// "blocked"), onRequestSent when the last byte is written, onResponseStarted on the first response
// byte, and onComplete after the body. All stamps are performance.now() in ms. When the round trip
// ended (answered, failed, timed out or cancelled) the exchange calls its `onSettled` once, from
// undici's callback, a timer or an abort listener: no promise per round trip.

export interface HopTimings {
  blocked: number;
  /** Always 0: name resolution is part of `blocked`, as in k6. */
  looking_up: number;
  connecting: number;
  tls_handshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
  duration: number;
}

/** The methods whose body undici's clients send as given (others: see Exchange.run). */
const UNDICI_PAYLOAD_METHODS = new Set(['PUT', 'POST', 'PATCH']);

export interface HopRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[]>;
  readonly body: string | Uint8Array | null;
  readonly reset: boolean;
  readonly keepBody: boolean;
}

export class Exchange implements TimedRequest {
  status = 0;
  statusText = '';
  rawHeaders: Buffer[] = [];
  chunks: Buffer[] = [];
  bodyLength = 0;
  error: unknown = undefined;
  // k6's field order (Go's ResponseTimings): JSON.stringify(res.timings) and Object.keys() match.
  readonly timings: HopTimings = {
    duration: 0,
    blocked: 0,
    looking_up: 0,
    connecting: 0,
    tls_handshaking: 0,
    sending: 0,
    waiting: 0,
    receiving: 0,
  };
  remoteIp = '';
  remotePort = 0;
  tlsVersion: string | undefined = undefined;
  tlsCipherSuite: string | undefined = undefined;
  /** The request went out on a kept-alive connection it did not dial itself. */
  reusedConnection = false;
  /** "HTTP/1.1", or "HTTP/2.0" when ALPN chose h2 (k6's proto values). */
  proto = 'HTTP/1.1';

  /** run() was called: the round trip went to undici (and `onSettled` is called when it ends). */
  started = false;
  /** Whatever the exchange belongs to (the request it is a hop of). */
  owner: unknown = undefined;

  readonly slot: OriginClient;
  private readonly keepBody: boolean;
  private tStart = 0;
  private tConnected = 0;
  private tSent = 0;
  private tFirstByte = 0;
  private settled = false;
  private abortFn: ((err: Error) => void) | undefined = undefined;
  private readonly onSettled: (ex: Exchange) => void;
  private timer: NodeJS.Timeout | undefined = undefined;

  constructor(slot: OriginClient, keepBody: boolean, onSettled: (ex: Exchange) => void) {
    this.slot = slot;
    this.keepBody = keepBody;
    this.onSettled = onSettled;
  }

  /**
   * Runs the round trip; `onSettled` is called when it ended (possibly before run() returns, when
   * undici refuses the request at once). Failures land in `error`.
   */
  run(req: HopRequest, timeoutMs: number): void {
    this.tStart = performance.now();
    this.started = true;
    this.slot.inFlight++;
    if (timeoutMs > 0 && Number.isFinite(timeoutMs) && !this.slot.armTimeout(this, timeoutMs)) {
      // Whole milliseconds: Node keeps a timer list per distinct duration.
      this.timer = setTimeout(onTimeout, Math.ceil(timeoutMs), this);
    }
    const opts: Dispatcher.DispatchOptions = {
      method: req.method as Dispatcher.HttpMethod,
      path: req.path,
      headers: req.headers,
      body: req.body,
      reset: req.reset,
    };
    if (req.body !== null && req.body.length > 0 && !UNDICI_PAYLOAD_METHODS.has(req.method)) {
      // undici's HTTP/2 client drops the length of a body on any method but PUT, POST and PATCH and
      // then fails a buffer body ("buffer body must have content length"), leaving the stream open:
      // DELETE or OPTIONS with a body never went out over h2. Given as an iterable with the length in
      // a header, the body goes as DATA frames over h2 and with that Content-Length over HTTP/1.1 (as
      // Go's transport sends both).
      const bytes = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
      opts.headers = { ...req.headers, 'content-length': String(bytes.byteLength) };
      // undici takes any iterable body at run time; its typings list only the other kinds.
      opts.body = [bytes] as unknown as Uint8Array;
    }
    try {
      this.slot.client.dispatch(opts, this as unknown as Dispatcher.DispatchHandler);
    } catch (err) {
      this.finish(err);
    }
  }

  /** Its request timeout passed (its own timer's or its connection's). */
  timedOut(): void {
    this.cancel(new K6HttpError(ERROR_CODE.requestTimeout, 'request timeout'));
  }

  /** Ends the exchange from outside (timeout, VU interrupted). */
  cancel(err: Error): void {
    if (this.settled) return;
    const abort = this.abortFn;
    this.finish(err);
    if (abort !== undefined) abort(err);
    // Not yet on a socket: if nothing else uses the client, it is still dialling for this request
    // alone, and destroying it drops the request from undici's queue. Otherwise (a busy h2 client)
    // the request stays queued and onConnect aborts it as soon as it gets its stream.
    else if (this.slot.inFlight === 0) this.slot.destroy(err).catch(() => undefined);
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.settled) {
      abort(this.error instanceof Error ? this.error : new Error('aborted'));
      return;
    }
    this.abortFn = abort;
    this.tConnected = performance.now();
    const slot = this.slot;
    const t = this.timings;
    t.blocked = this.tConnected - this.tStart;
    this.reusedConnection = !slot.fresh;
    if (slot.fresh) {
      slot.fresh = false;
      if (slot.connectStart >= this.tStart) {
        t.connecting = slot.tcpConnected - slot.connectStart;
        t.tls_handshaking = slot.tlsDone > 0 ? slot.tlsDone - slot.tcpConnected : 0;
      }
    }
    const socket = slot.socket;
    if (socket) {
      this.remoteIp = socket.remoteAddress ?? '';
      this.remotePort = socket.remotePort ?? 0;
      if (slot.secure) {
        this.tlsVersion = slot.tlsVersion();
        this.tlsCipherSuite = slot.tlsCipherSuite();
        if ((socket as { alpnProtocol?: string | false }).alpnProtocol === 'h2') this.proto = 'HTTP/2.0';
      }
    }
  }

  /** Nothing of a response arrived (no status line, no byte). */
  get unanswered(): boolean {
    return this.tFirstByte === 0;
  }

  onRequestSent(): void {
    this.tSent = performance.now();
  }

  onResponseStarted(): void {
    this.tFirstByte = performance.now();
  }

  onHeaders(status: number, rawHeaders: Buffer[], _resume: () => void, statusText: string): boolean {
    if (status < 200 && status !== 101) return true; // 1xx interim responses are not the answer
    this.status = status;
    this.statusText = statusText;
    this.rawHeaders = rawHeaders;
    if (this.tFirstByte === 0) this.tFirstByte = performance.now();
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.bodyLength += chunk.length;
    if (this.keepBody) this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.finish(undefined);
  }

  onError(err: Error): void {
    this.finish(err);
  }

  private finish(err: unknown): void {
    if (this.settled) return;
    this.settled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    else this.slot.disarmTimeout(this);
    this.slot.inFlight--;
    const now = performance.now();
    const t = this.timings;
    if (err !== undefined) this.error = err;
    if (this.tConnected === 0) {
      t.blocked = now - this.tStart;
    } else {
      const sent = this.tSent || now;
      const first = this.tFirstByte || (this.tSent ? now : 0);
      t.sending = sent - this.tConnected;
      t.waiting = first ? first - sent : 0;
      t.receiving = first ? now - first : 0;
    }
    t.duration = t.sending + t.waiting + t.receiving;
    this.onSettled(this);
  }
}

function onTimeout(ex: Exchange): void {
  ex.timedOut();
}
