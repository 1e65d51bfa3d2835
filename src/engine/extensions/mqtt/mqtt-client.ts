// k6/x/mqtt's Client (xk6-mqtt mqtt/client_*.go). Methods block the VU (connect, reconnect,
// publish, subscribe, unsubscribe, end) or return promises (…Async) that keep the VU's event loop
// open until they settle. Events ('connect', 'message', 'end', 'reconnect', 'error'; one listener
// each, a second replaces the first) run as callbacks of the VU's event loop, never while the VU is
// inside a blocking call.
//
// As in the extension, a client created in a VU call holds that call (the iteration) open from its
// creation until end(); one created in the init context holds it from its connect(). An operation that
// fails is counted in mqtt_errors and goes to the 'error' listener when there is one (the call then
// returns normally); without one, sync methods throw `MQTT error during <method>: <cause>` and async
// ones reject with the MQTTError object. Argument errors of async methods are thrown at once.
import { goError } from '../../vu/go-error.ts';
import type { VuHost } from '../../vu/vu-host.ts';
import type { VuEventLoop } from '../../vu/vu-event-loop.ts';
import type { BufferRealm } from '../../modules/binary-input.ts';
import type { ConnectionSettings } from '../../http/vu-connections.ts';
import { brokerAddress, checkBrokerHost } from './mqtt-address.ts';
import {
  closeSession, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_KEEPALIVE_S, openSession, RECONNECT_PERIOD_MS, type MqttSession,
} from './mqtt-connection.ts';
import { MqttMetrics, type ClientTagSource } from './mqtt-metrics.ts';
import {
  MqttArgumentError, payloadBytes, readClientOptions, readConnectArgs, readCredentials, readEndOptions, readPublishOptions,
  readTopicOptions, subscribeTopics, topicFilterError, unsubscribeTopics, type ClientOptions, type ConnectOptions, type TagMap,
} from './mqtt-options.ts';

const EVENTS = new Set(['connect', 'reconnect', 'end', 'error', 'message']);

/** paho's (un)subscribe while reconnecting, without ResumeSubs (xk6-mqtt leaves it off). */
const NO_RESUME_SUBS = 'not currently connected and ResumeSubs not set';

type Listener = (...args: unknown[]) => unknown;

export interface MqttClientDeps {
  readonly host: VuHost;
  readonly loop: VuEventLoop;
  readonly buffers: BufferRealm;
  readonly settings: ConnectionSettings;
  /** Clients holding the VU's current call open: the module abandons them when the call ends. */
  readonly live: Set<{ abandon(): void }>;
}

/** A failed operation: the extension's MQTTError. */
class MqttFailure {
  constructor(readonly method: string, readonly cause: string) {}

  get text(): string {
    return `MQTT error during ${this.method}: ${this.cause}`;
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createClientClass(deps: MqttClientDeps): new (options?: unknown) => object {
  const { host, loop, buffers, settings, live } = deps;

  /** The MQTTError the script sees (the 'error' listener's argument, an async method's rejection). */
  const scriptError = (f: MqttFailure): unknown => {
    const e = buffers.parseJson(JSON.stringify({ name: 'MQTTError', method: f.method, message: f.cause })) as object;
    Object.defineProperty(e, 'error', { value: () => f.text, enumerable: false });
    Object.defineProperty(e, 'toString', { value: () => f.text, enumerable: false });
    return e;
  };

  class ClientState implements ClientTagSource {
    readonly options: ClientOptions;
    readonly metrics: MqttMetrics;
    connection: { clientId: string; url: string } | undefined;
    connectTags: TagMap = {};
    readonly #listeners = new Map<string, Listener>();
    #url = '';
    #connectOptions: ConnectOptions = { servers: [], tags: {} };
    #session: MqttSession | undefined;
    #release: (() => void) | undefined;
    /** Events are delivered (the extension's task loop runs): from creation or connect until end. */
    #active = false;

    constructor(options: ClientOptions) {
      this.options = options;
      this.metrics = new MqttMetrics(host, this);
      if (host.state.phase !== 'init') this.#hold();
    }

    get clientTags(): TagMap {
      return this.options.tags;
    }

    /** paho's IsConnected: true while an automatic reconnect is under way too. */
    get connected(): boolean {
      const session = this.#session;
      return session !== undefined && (session.connected || session.reconnecting);
    }

    /** The connection is down and being re-established: paho's `reconnecting` status. */
    #reconnecting(session: MqttSession): boolean {
      return !session.connected && session.reconnecting;
    }

    #hold(): void {
      this.#active = true;
      if (this.#release !== undefined) return;
      this.#release = loop.keepAlive();
      live.add(this);
    }

    #unhold(): void {
      this.#active = false;
      live.delete(this);
      const release = this.#release;
      this.#release = undefined;
      release?.();
    }

    on(event: string, listener: unknown): void {
      if (!EVENTS.has(event)) {
        host.log.warn('Unknown event type', { module: 'mqtt', event });
        return;
      }
      if (typeof listener !== 'function') throw new TypeError(`the listener of the ${event} event must be a function`);
      if (this.#listeners.has(event)) host.log.warn('Event handler already registered, overriding', { module: 'mqtt', event });
      this.#listeners.set(event, listener as Listener);
    }

    /** Queues the event's listener on the VU's loop; false when there is none or events stopped. */
    #fire(event: string, ...args: unknown[]): boolean {
      if (!this.#active) return false;
      const listener = this.#listeners.get(event);
      if (listener === undefined) return false;
      loop.setTimer(() => listener(...args), 0, false);
      return true;
    }

    /** Counts and reports a failure: undefined when the 'error' listener took it, else the failure. */
    #handleError(cause: string, method: string, tags: TagMap | undefined, extra: Record<string, string>): MqttFailure | undefined {
      host.log.error('MQTT error occurred', { module: 'mqtt', error: cause, method });
      this.metrics.error(method, tags, extra);
      const failure = new MqttFailure(method, cause);
      return this.#fire('error', scriptError(failure)) ? undefined : failure;
    }

    #requireConnected(): MqttSession {
      const session = this.#session;
      if (session === undefined || !this.connected) throw new MqttArgumentError('not connected');
      return session;
    }

    // --- connect / reconnect / end ---

    prepareConnect(urlOrOptions: unknown, options: unknown): Promise<void> {
      if (host.state.phase === 'init') throw goError('connecting to an MQTT broker in the init context is not supported');
      const args = readConnectArgs(urlOrOptions, options);
      this.#dropSession();
      const checked = args.url === '' ? Promise.resolve(undefined) : checkBrokerHost(args.url, settings);
      return checked.then((refused) => {
        if (refused !== undefined) throw goError(refused);
        this.#url = args.url;
        this.#connectOptions = args.options;
        this.connectTags = args.options.tags;
      });
    }

    prepareReconnect(): void {
      if (host.state.phase === 'init') throw goError('connecting to an MQTT broker in the init context is not supported');
      this.#dropSession();
    }

    /** Connects with the current URL and options: undefined when connected or handled by 'error'. */
    async connectExecute(): Promise<MqttFailure | undefined> {
      this.#hold();
      const opts = this.#connectOptions;
      const brokers = [...(this.#url === '' ? [] : [this.#url]), ...opts.servers];
      this.connection = { clientId: this.options.clientId ?? '', url: this.#url };
      const fail = (cause: string): MqttFailure | undefined => this.#handleError(cause, 'connect', opts.tags, { url: this.#url });
      if (brokers.length === 0) return fail('no servers defined to connect to');
      let credentials: { username?: string; password?: string };
      try {
        credentials = this.#credentials();
      } catch (e) {
        return fail(messageOf(e));
      }
      let lastCause = '';
      for (const broker of brokers) {
        const address = brokerAddress(broker);
        if ('error' in address) {
          lastCause = `network Error : ${address.error}`;
          continue;
        }
        try {
          const session = await openSession(address, {
            clientId: this.options.clientId ?? '',
            ...credentials,
            ...(this.options.will !== undefined ? { will: this.options.will } : {}),
            keepaliveS: opts.keepalive ?? DEFAULT_KEEPALIVE_S,
            connectTimeoutMs: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
          }, settings);
          if (host.signal.aborted || this.connection === undefined) {
            void closeSession(session, false);
            return undefined;
          }
          this.#adopt(session);
          this.metrics.call('connect');
          this.#fire('connect');
          return undefined;
        } catch (e) {
          if (host.signal.aborted || this.connection === undefined) return undefined;
          lastCause = messageOf(e);
        }
      }
      return fail(lastCause);
    }

    #credentials(): { username?: string; password?: string } {
      const provider = this.options.credentialsProvider;
      const fixed = {
        ...(this.options.username !== undefined ? { username: this.options.username } : {}),
        ...(this.options.password !== undefined ? { password: this.options.password } : {}),
      };
      if (provider === undefined) return fixed;
      try {
        return readCredentials(provider());
      } catch (e) {
        const text = messageOf(e);
        throw new Error(text.startsWith('credentials provider failed') ? text : `credentials provider failed: ${text}`);
      }
    }

    /** A connected session: its later events become the client's. */
    #adopt(session: MqttSession): void {
      this.#session = session;
      session.options.reconnectPeriod = RECONNECT_PERIOD_MS;
      session.on('error', () => undefined);
      session.on('connect', () => {
        if (this.#session === session) this.#fire('connect');
      });
      session.on('reconnect', () => {
        if (this.#session !== session) return;
        try {
          const creds = this.#credentials();
          if (creds.username !== undefined) session.options.username = creds.username;
          if (creds.password !== undefined) session.options.password = creds.password;
        } catch (e) {
          host.log.error('MQTT error occurred', { module: 'mqtt', error: messageOf(e), method: 'reconnect' });
        }
        this.#fire('reconnect');
      });
      session.on('message', (topic: string, payload: Buffer) => {
        if (this.#session !== session) return;
        this.metrics.received(topic, payload.length);
        this.#fire('message', topic, buffers.arrayBuffer(payload));
      });
    }

    /** The extension's disconnect(): the connection goes without events. */
    #dropSession(graceful = true): Promise<void> | undefined {
      const session = this.#session;
      this.#session = undefined;
      this.connection = undefined;
      return session === undefined ? undefined : closeSession(session, graceful);
    }

    end(options: unknown): Promise<void> | undefined {
      const { tags } = readEndOptions(options);
      this.#fire('end');
      this.metrics.call('end', tags);
      const closing = this.#dropSession();
      this.#unhold();
      return closing;
    }

    /** The iteration ended (interrupted or failed) with this client open: cut it without events. */
    abandon(): void {
      this.#unhold();
      void this.#dropSession(false);
    }

    // --- publish / subscribe / unsubscribe ---

    /** Checks publish's arguments: the session, topic, bytes and options, or the preparation's error text. */
    preparePublish(topic: unknown, payload: unknown, options: unknown): { topic: string; bytes: Uint8Array; qos: number; retain: boolean; tags: TagMap; error?: string } {
      const t = String(topic);
      const opts = readPublishOptions(options);
      try {
        this.#requireConnected();
        return { topic: t, bytes: payloadBytes(payload), ...opts };
      } catch (e) {
        return { topic: t, bytes: new Uint8Array(0), ...opts, error: messageOf(e) };
      }
    }

    preparationFailed(method: string, cause: string, tags: TagMap, topic: string): MqttFailure | undefined {
      return this.#handleError(cause, method, tags, { topic });
    }

    publishExecute(topic: string, bytes: Uint8Array, qos: number, retain: boolean, tags: TagMap): Promise<MqttFailure | undefined> {
      const session = this.#session;
      const fail = (cause: string): MqttFailure | undefined => this.#handleError(cause, 'publish', tags, { topic });
      if (session === undefined || !this.connected) return Promise.resolve(fail('not connected'));
      if (qos < 0 || qos > 2) return Promise.resolve(fail('invalid QoS'));
      if (qos === 0 && this.#reconnecting(session)) {
        // paho completes a QoS 0 publish at once while reconnecting: the message is dropped.
        this.metrics.published(topic, tags, bytes.byteLength);
        return Promise.resolve(undefined);
      }
      return new Promise((resolve) => {
        session.publish(topic, Buffer.from(bytes), { qos: qos as 0 | 1 | 2, retain }, (err) => {
          // A connection dropped meanwhile (end, interrupt) settles its operations quietly.
          if (this.#session !== session) {
            resolve(undefined);
            return;
          }
          if (err) {
            resolve(fail(err.message));
            return;
          }
          this.metrics.published(topic, tags, bytes.byteLength);
          resolve(undefined);
        });
      });
    }

    prepareSubscribe(topic: unknown, options: unknown): { topics: Map<string, number>; tags: TagMap; error?: string } {
      const opts = readTopicOptions(options);
      try {
        this.#requireConnected();
        return { topics: subscribeTopics(topic, opts.qos), tags: opts.tags };
      } catch (e) {
        return { topics: new Map(), tags: opts.tags, error: messageOf(e) };
      }
    }

    async subscribeExecute(topics: Map<string, number>, tags: TagMap): Promise<MqttFailure | undefined> {
      const session = this.#session;
      for (const [t, qos] of topics) {
        const invalid = topicFilterError(t, qos);
        if (invalid !== undefined) return this.#handleError(invalid, 'subscribe', tags, { topic: t });
      }
      if (session === undefined || !this.connected) {
        return this.#handleError('not connected', 'subscribe', tags, { topic: [...topics.keys()].join(',') });
      }
      for (const [t, qos] of topics) {
        if (this.#reconnecting(session)) return this.#handleError(NO_RESUME_SUBS, 'subscribe', tags, { topic: t });
        const err = await new Promise<Error | null>((resolve) => {
          session.subscribe(t, { qos: qos as 0 | 1 | 2 }, (e) => resolve(e ?? null));
        });
        if (this.#session !== session) return undefined;
        if (err !== null) return this.#handleError(err.message, 'subscribe', tags, { topic: t });
        this.metrics.call('subscribe', tags, t);
      }
      return undefined;
    }

    prepareUnsubscribe(topic: unknown, options: unknown): { topics: string[]; tags: TagMap; error?: string } {
      const opts = readTopicOptions(options);
      try {
        this.#requireConnected();
        return { topics: unsubscribeTopics(topic), tags: opts.tags };
      } catch (e) {
        return { topics: [], tags: opts.tags, error: messageOf(e) };
      }
    }

    async unsubscribeExecute(topics: string[], tags: TagMap): Promise<MqttFailure | undefined> {
      const session = this.#session;
      if (session === undefined || !this.connected) {
        return this.#handleError('not connected', 'unsubscribe', tags, { topic: topics.join(',') });
      }
      for (const t of topics) {
        if (this.#reconnecting(session)) return this.#handleError(NO_RESUME_SUBS, 'unsubscribe', tags, { topic: t });
        const err = await new Promise<Error | null>((resolve) => {
          session.unsubscribe(t, (e?: Error) => resolve(e ?? null));
        });
        if (this.#session !== session) return undefined;
        if (err !== null) return this.#handleError(err.message, 'unsubscribe', tags, { topic: t });
        this.metrics.call('unsubscribe', tags, t);
      }
      return undefined;
    }
  }

  const states = new WeakMap<object, ClientState>();
  const stateOf = (self: unknown): ClientState => {
    const s = states.get(self as object);
    if (s === undefined) throw new TypeError('Illegal invocation');
    return s;
  };

  /** A sync method's outcome: blocks, then throws the failure as the extension's GoError. */
  const blockOn = (p: Promise<MqttFailure | undefined>): Promise<void> => host.block(p.then((f) => {
    if (f !== undefined) throw goError(f.text);
  }));

  /** An async method's promise: keeps the loop open until it settles; rejects with the MQTTError. */
  const promiseOf = (p: Promise<MqttFailure | undefined>): Promise<void> => {
    const release = loop.keepAlive();
    return p.then((f) => {
      release();
      if (f !== undefined) throw scriptError(f);
    }, (e: unknown) => {
      release();
      throw e;
    });
  };

  class Client {
    constructor(options?: unknown) {
      states.set(this, new ClientState(readClientOptions(options)));
    }

    get connected(): boolean {
      return stateOf(this).connected;
    }

    on(event: unknown, listener: unknown): void {
      stateOf(this).on(String(event), listener);
    }

    connect(urlOrOptions?: unknown, options?: unknown): Promise<void> {
      const s = stateOf(this);
      return blockOn(s.prepareConnect(urlOrOptions, options).then(() => s.connectExecute()));
    }

    connectAsync(urlOrOptions?: unknown, options?: unknown): Promise<void> {
      const s = stateOf(this);
      const prepared = s.prepareConnect(urlOrOptions, options);
      return promiseOf(prepared.then(() => s.connectExecute()));
    }

    reconnect(): Promise<void> {
      const s = stateOf(this);
      s.prepareReconnect();
      return blockOn(s.connectExecute());
    }

    reconnectAsync(): Promise<void> {
      const s = stateOf(this);
      s.prepareReconnect();
      return promiseOf(s.connectExecute());
    }

    end(options?: unknown): Promise<void> | undefined {
      const closing = stateOf(this).end(options);
      return closing === undefined ? undefined : host.block(closing);
    }

    endAsync(options?: unknown): Promise<void> {
      const closing = stateOf(this).end(options) ?? Promise.resolve();
      // Settles after the 'end' listener ran, which was queued first.
      return promiseOf(closing.then(() => new Promise<undefined>((resolve) => {
        loop.setTimer(() => resolve(undefined), 0, false);
      })));
    }

    publish(topic: unknown, payload: unknown, options?: unknown): Promise<void> | undefined {
      const s = stateOf(this);
      const p = s.preparePublish(topic, payload, options);
      if (p.error !== undefined) {
        const f = s.preparationFailed('publish', p.error, p.tags, p.topic);
        if (f !== undefined) throw goError(f.text);
        return undefined;
      }
      return blockOn(s.publishExecute(p.topic, p.bytes, p.qos, p.retain, p.tags));
    }

    publishAsync(topic: unknown, payload: unknown, options?: unknown): Promise<void> {
      const s = stateOf(this);
      const p = s.preparePublish(topic, payload, options);
      if (p.error !== undefined) throw goError(p.error);
      return promiseOf(s.publishExecute(p.topic, p.bytes, p.qos, p.retain, p.tags));
    }

    subscribe(topic: unknown, options?: unknown): Promise<void> | undefined {
      const s = stateOf(this);
      const p = s.prepareSubscribe(topic, options);
      if (p.error !== undefined) {
        const f = s.preparationFailed('subscribe', p.error, p.tags, String(topic));
        if (f !== undefined) throw goError(f.text);
        return undefined;
      }
      return blockOn(s.subscribeExecute(p.topics, p.tags));
    }

    subscribeAsync(topic: unknown, options?: unknown): Promise<void> {
      const s = stateOf(this);
      const p = s.prepareSubscribe(topic, options);
      if (p.error !== undefined) throw goError(p.error);
      return promiseOf(s.subscribeExecute(p.topics, p.tags));
    }

    unsubscribe(topic: unknown, options?: unknown): Promise<void> | undefined {
      const s = stateOf(this);
      const p = s.prepareUnsubscribe(topic, options);
      if (p.error !== undefined) {
        const f = s.preparationFailed('unsubscribe', p.error, p.tags, String(topic));
        if (f !== undefined) throw goError(f.text);
        return undefined;
      }
      return blockOn(s.unsubscribeExecute(p.topics, p.tags));
    }

    unsubscribeAsync(topic: unknown, options?: unknown): Promise<void> {
      const s = stateOf(this);
      const p = s.prepareUnsubscribe(topic, options);
      if (p.error !== undefined) throw goError(p.error);
      return promiseOf(s.unsubscribeExecute(p.topics, p.tags));
    }
  }
  return Client;
}
