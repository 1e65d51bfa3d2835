// `new grpc.Stream(client, method, params)` (internal/js/modules/k6/grpc/stream.go): client, server
// and bidirectional streaming. The stream starts at once; its events run as callbacks on the VU's
// event loop (never while the VU is inside a blocking call), and it keeps the loop open until it
// closed, so an iteration ends only when its streams did (k6's task queue does the same).
//
// Events as k6 fires them: 'data' (message, { ts }) per received message; when the server ends the
// call, 'end'; when it ends with an error status (or a message cannot be written), 'error' ({ code,
// details, message }) and then 'end'. 'status' listeners may be registered but k6 never calls them.
// end() half-closes the sending side; write() after it is ignored. For a method that takes one request
// (server streaming) the first write() half-closes, as grpc-go's clientStream.SendMsg does. A stream of an interrupted VU is
// cancelled without events.
import { performance } from 'node:perf_hooks';
import type * as GrpcJs from '@grpc/grpc-js';
import { isBlocking, markBlocking } from '../vu/blocking.ts';
import { goError } from '../vu/go-error.ts';
import type { VuHost } from '../vu/vu-host.ts';
import type { VuEventLoop } from '../vu/vu-event-loop.ts';
import { runHandlers } from '../ws/ws-script-calls.ts';
import { callOptions, peerIp, toMetadata } from './grpc-call.ts';
import { codeName, statusText } from './grpc-status.ts';
import { requestJson, type GrpcClientState, type PreparedCall } from './grpc-client.ts';
import { emitRpcDuration } from './grpc-metrics.ts';

const EVENTS = ['data', 'error', 'end', 'status'] as const;
type EventType = (typeof EVENTS)[number];
type Listener = (value: unknown, meta: unknown) => unknown;

const identity = (b: Buffer): Buffer => b;

export interface StreamDeps {
  readonly host: VuHost;
  readonly loop: VuEventLoop;
  readonly parseJson: (text: string) => unknown;
  readonly systemTags: (tag: string) => boolean;
}

export function createStreamClass(deps: StreamDeps, clients: WeakMap<object, GrpcClientState>, live: Set<{ abandon(): void }>): new (client: unknown, method: unknown, params?: unknown) => object {
  const { host, loop } = deps;
  const onLoop = (fn: () => unknown): void => {
    loop.setTimer(fn, 0, false);
  };
  const meta = (): unknown => deps.parseJson(JSON.stringify({ ts: Math.floor(Date.now() / 1000) }));

  class StreamState {
    readonly listeners = new Map<EventType, Listener[]>();
    readonly #client: GrpcClientState;
    readonly #prepared: PreparedCall;
    readonly #call: GrpcJs.ClientDuplexStream<Buffer, Buffer>;
    readonly #release: () => void;
    readonly #started = performance.now();
    #writing = true;
    #done = false;
    #status: GrpcJs.StatusObject | undefined;
    #sendError: string | undefined;
    /** Size of the last message written (grpc-go names it when maxSendSize refuses it). */
    #lastSent: number | undefined;

    constructor(client: GrpcClientState, conn: GrpcJs.Client, prepared: PreparedCall) {
      this.#client = client;
      this.#prepared = prepared;
      this.#release = loop.keepAlive();
      this.#call = conn.makeBidiStreamRequest(prepared.method, identity, identity, toMetadata(prepared.params.metadata), callOptions(prepared.params.timeoutMs));
      live.add(this);
      if (!host.signal.aborted) host.samples.add('grpc_streams', prepared.tags, 1);
      this.#call.on('data', (buf: Buffer) => this.#received(buf));
      this.#call.on('status', (status: GrpcJs.StatusObject) => {
        this.#status = status;
        emitRpcDuration(host, prepared.tags, status.code, performance.now() - this.#started, deps.systemTags, peerIp(this.#call.getPeer()));
      });
      // grpc-js emits 'error' for a non-OK status; the status event carries the same.
      this.#call.on('error', () => undefined);
      this.#call.on('end', () => onLoop(() => this.#finished()));
    }

    #received(buf: Buffer): void {
      if (this.#done) return;
      if (!host.signal.aborted) host.samples.add('grpc_streams_msgs_received', this.#prepared.tags, 1);
      const timestamp = meta();
      onLoop(() => {
        if (this.#done) return undefined;
        const msg = this.#prepared.params.discardResponseMessage
          ? deps.parseJson('{}')
          : this.#client.decode(this.#prepared.def.responseType, buf);
        return this.#fire('data', msg, timestamp);
      });
    }

    #fire(type: EventType, value: unknown, metadata: unknown = meta()): unknown {
      const list = this.listeners.get(type) ?? [];
      return list.length === 0 ? undefined : runHandlers(list as Array<(...args: unknown[]) => unknown>, [value, metadata]);
    }

    /** The server ended the call: 'error' unless it was OK (or cancelled by the client), then 'end'. */
    #finished(): unknown {
      if (this.#done) return undefined;
      this.#finish();
      const status = this.#status;
      const code = this.#sendError !== undefined ? 2 : status?.code ?? 0;
      const details = this.#sendError ?? statusText(code, status?.details ?? '', this.#lastSent);
      const end = (): unknown => this.#fire('end', deps.parseJson('{}'));
      if (code === 0 || code === 1) return end();
      const error = deps.parseJson(JSON.stringify({ code, details: [], message: details }));
      if ((this.listeners.get('error') ?? []).length === 0) {
        host.log.warn(`no handlers for error registered, but an error happened: rpc error: code = ${codeName(code)} desc = ${details}`);
      }
      const r = this.#fire('error', error);
      return isBlocking(r) ? markBlocking(r.then(end)) : end();
    }

    #finish(): void {
      this.#done = true;
      this.#writing = false;
      live.delete(this);
      this.#release();
    }

    write(input: unknown): void {
      if (!this.#writing) return;
      if (input === undefined || input === null) {
        host.log.warn("can't send empty message");
        return;
      }
      let body: Buffer;
      try {
        body = this.#client.encode(this.#prepared.def.requestType, requestJson(input), "can't serialise request object to protocol buffer");
      } catch (e) {
        // k6 fails the stream with the error (code Unknown) and cancels it.
        this.#sendError = e instanceof Error ? e.message : String(e);
        this.#writing = false;
        this.#call.cancel();
        return;
      }
      const tags = this.#prepared.tags;
      this.#lastSent = body.length;
      this.#call.write(body, () => {
        if (!host.signal.aborted) host.samples.add('grpc_streams_msgs_sent', tags, 1);
      });
      // grpc-go half-closes a call whose method takes a single request right after sending it.
      if (!this.#prepared.def.clientStreaming) this.end();
    }

    end(): void {
      if (!this.#writing) return;
      this.#writing = false;
      this.#call.end();
    }

    /** The iteration ended or was interrupted with this stream open: cancel it without events. */
    abandon(): void {
      if (this.#done) return;
      this.#finish();
      this.#call.cancel();
    }
  }

  const streams = new WeakMap<object, StreamState>();
  const stateOf = (self: unknown): StreamState => {
    const s = streams.get(self as object);
    if (s === undefined) throw new TypeError('Illegal invocation');
    return s;
  };

  class Stream {
    constructor(client: unknown, method: unknown, params?: unknown) {
      if (client === undefined || client === null) throw goError("invalid GRPC Stream's client: empty gRPC client");
      const c = clients.get(client as object);
      if (c === undefined) throw goError("invalid GRPC Stream's client: not a gRPC client");
      const conn = c.conn;
      if (conn === undefined) throw goError("invalid GRPC Stream's client: no gRPC connection, you must call connect first");
      let prepared: PreparedCall;
      try {
        c.method(String(method));
      } catch (e) {
        throw goError(`invalid GRPC Stream's method: ${(e as Error).message}`);
      }
      try {
        prepared = c.prepare(String(method), params, 'Stream');
      } catch (e) {
        throw goError((e as Error).message.replace("invalid GRPC's Stream parameters", "invalid GRPC Stream's parameters"));
      }
      streams.set(this, new StreamState(c, conn, prepared));
    }

    on(event: unknown, handler: unknown): void {
      const s = stateOf(this);
      const type = String(event);
      if (typeof handler !== 'function') throw goError(`handler for ${JSON.stringify(type)} event isn't a callable function`);
      if (!(EVENTS as readonly string[]).includes(type)) {
        host.log.warn(`can't register ${type} event handler: unknown GRPC stream's event type: ${type}`);
        return;
      }
      const list = s.listeners.get(type as EventType);
      if (list === undefined) s.listeners.set(type as EventType, [handler as Listener]);
      else list.push(handler as Listener);
    }

    write(message: unknown): void {
      stateOf(this).write(message);
    }

    end(): void {
      stateOf(this).end();
    }
  }
  return Stream;
}
