// The metrics xk6-mqtt emits (mqtt/metrics.go, client_metrics.go): four counters, plus data_sent and
// data_received samples of each message's payload size (the extension's client dials outside k6's
// dialer, so no socket bytes are counted). Tags as the extension builds them: the VU's current tags,
// `proto`, `client_id` and `url` once connected, the client's and the connection's `tags`, then the
// call's `method`, its own `tags` and `topic`. Like k6's PushIfNotDone, nothing is emitted once the
// VU's call was interrupted.
import type { Tags, VuHost } from '../../vu/vu-host.ts';
import type { TagMap } from './mqtt-options.ts';

export const MQTT_CALLS = 'mqtt_calls';
export const MQTT_ERRORS = 'mqtt_errors';
export const MQTT_MESSAGES_SENT = 'mqtt_messages_sent';
export const MQTT_MESSAGES_RECEIVED = 'mqtt_messages_received';

const PROTO = 'MQTT/3.1.1';

export function defineMqttMetrics(host: VuHost): void {
  for (const name of [MQTT_MESSAGES_SENT, MQTT_MESSAGES_RECEIVED, MQTT_ERRORS, MQTT_CALLS]) {
    if (host.metrics.get(name) === undefined) host.metrics.define(name, 'counter', 'default');
  }
  for (const name of ['data_sent', 'data_received']) {
    if (host.metrics.get(name) === undefined) host.metrics.define(name, 'counter', 'data');
  }
}

/** What a client's tags are made of. */
export interface ClientTagSource {
  /** Set once a connection was made (paho's client exists): adds `client_id` (when given) and `url`. */
  readonly connection: { readonly clientId: string; readonly url: string } | undefined;
  readonly clientTags: TagMap;
  readonly connectTags: TagMap;
}

export class MqttMetrics {
  readonly #host: VuHost;
  readonly #source: ClientTagSource;

  constructor(host: VuHost, source: ClientTagSource) {
    this.#host = host;
    this.#source = source;
  }

  /** The client's tags (the extension's `tags()`). */
  #clientTags(): Record<string, string> {
    const out: Record<string, string> = { ...this.#host.state.tags, proto: PROTO };
    const conn = this.#source.connection;
    if (conn !== undefined) {
      if (conn.clientId !== '') out.client_id = conn.clientId;
      if (conn.url !== '') out.url = conn.url;
    }
    return Object.assign(out, this.#source.clientTags, this.#source.connectTags);
  }

  #methodTags(method: string, tags: TagMap | undefined, topic: string | undefined): Tags {
    const out = Object.assign(this.#clientTags(), { method }, tags);
    if (topic !== undefined) out.topic = topic;
    return out;
  }

  #live(): boolean {
    return !this.#host.signal.aborted;
  }

  call(method: string, tags?: TagMap, topic?: string): void {
    if (this.#live()) this.#host.samples.add(MQTT_CALLS, this.#methodTags(method, tags, topic), 1);
  }

  error(method: string, tags?: TagMap, extra?: { readonly [k: string]: string }): void {
    if (!this.#live()) return;
    this.#host.samples.add(MQTT_ERRORS, Object.assign(this.#methodTags(method, tags, undefined), extra), 1);
  }

  published(topic: string, tags: TagMap, bytes: number): void {
    if (!this.#live()) return;
    this.#host.samples.add(MQTT_CALLS, this.#methodTags('publish', tags, topic), 1);
    this.#host.samples.add(MQTT_MESSAGES_SENT, { ...this.#clientTags(), topic }, 1);
    this.#host.samples.add('data_sent', this.#host.state.tags, bytes);
  }

  received(topic: string, bytes: number): void {
    if (!this.#live()) return;
    this.#host.samples.add(MQTT_CALLS, this.#methodTags('message', undefined, topic), 1);
    this.#host.samples.add(MQTT_MESSAGES_RECEIVED, { ...this.#clientTags(), topic }, 1);
    this.#host.samples.add('data_received', this.#host.state.tags, bytes);
  }
}
