// The arguments of k6/x/mqtt's Client (xk6-mqtt mqtt/client_*.go) read as the extension reads them
// with sobek's ExportTo: snake_case option names, tags as string maps, and its error texts
// ("invalid type: …"). Everything here is pure, so the unit tests cover it without a broker.
import { isArrayBuffer } from '../../modules/binary-input.ts';
import { goError } from '../../vu/go-error.ts';

export type TagMap = Readonly<Record<string, string>>;

export interface WillOptions {
  readonly topic: string;
  readonly payload: string;
  readonly qos: number;
  readonly retain: boolean;
}

/** `new Client(options)`. */
export interface ClientOptions {
  readonly clientId?: string;
  readonly username?: string;
  readonly password?: string;
  readonly credentialsProvider?: () => unknown;
  readonly will?: WillOptions;
  readonly tags: TagMap;
}

/** `client.connect(url, options)`. */
export interface ConnectOptions {
  /** Seconds; undefined: paho's default (30 s). */
  readonly keepalive?: number;
  /** Milliseconds; undefined: paho's default (30 s). */
  readonly connectTimeoutMs?: number;
  readonly servers: readonly string[];
  readonly tags: TagMap;
}

/** The error of a method's preparation: the message is the Go error's text. */
export class MqttArgumentError extends Error {}

const INVALID_TYPE = 'invalid type';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isArrayBuffer(v) && !ArrayBuffer.isView(v);
}

function isNullish(v: unknown): v is null | undefined {
  return v === undefined || v === null;
}

/** A `tags` option: every value as its string (sobek exports into map[string]string). */
export function readTags(raw: unknown): TagMap {
  if (!isPlainObject(raw)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v !== undefined && v !== null) out[k] = String(v);
  }
  return out;
}

/** A Go integer field (byte, int64) from a script number; anything else is 0. */
function integer(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
}

function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function readClientOptions(raw: unknown): ClientOptions {
  if (isNullish(raw)) return { tags: {} };
  if (!isPlainObject(raw)) throw goError(`could not convert ${String(raw)} to client options: expected an object`);
  const clientId = optionalString(raw.client_id);
  const username = optionalString(raw.username);
  const password = optionalString(raw.password);
  const provider = raw.credentials_provider;
  if (!isNullish(provider) && typeof provider !== 'function') {
    throw new TypeError('credentials_provider must be a function');
  }
  const will = isPlainObject(raw.will)
    ? {
      topic: String(raw.will.topic ?? ''),
      payload: String(raw.will.payload ?? ''),
      qos: integer(raw.will.qos),
      retain: raw.will.retain === true,
    }
    : undefined;
  return {
    ...(clientId !== undefined ? { clientId } : {}),
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(typeof provider === 'function' ? { credentialsProvider: provider as () => unknown } : {}),
    ...(will !== undefined ? { will } : {}),
    tags: readTags(raw.tags),
  };
}

/** What a credentials provider returned, as `{ username, password }`. */
export function readCredentials(value: unknown): { username: string; password: string } {
  if (!isPlainObject(value)) throw new MqttArgumentError(`credentials provider failed: could not convert ${String(value)} to credentials`);
  return { username: String(value.username ?? ''), password: String(value.password ?? '') };
}

/**
 * connect(url, options) or connect(options): the URL and the options, or the extension's errors
 * (`invalid type: expected string or object`, `invalid type: expected object`).
 */
export function readConnectArgs(urlOrOptions: unknown, options: unknown): { url: string; options: ConnectOptions } {
  let url = '';
  let raw: unknown = urlOrOptions;
  if (typeof urlOrOptions === 'string') {
    url = urlOrOptions;
    raw = options;
  } else if (!isPlainObject(urlOrOptions)) {
    throw goError(`${INVALID_TYPE}: expected string or object`);
  }
  if (isNullish(raw)) return { url, options: { servers: [], tags: {} } };
  if (!isPlainObject(raw)) throw goError(`${INVALID_TYPE}: expected object`);
  const servers = Array.isArray(raw.servers) ? raw.servers.map((s) => String(s)) : [];
  const keepalive = typeof raw.keepalive === 'number' ? Math.trunc(raw.keepalive) : undefined;
  const timeout = typeof raw.connect_timeout === 'number' && raw.connect_timeout >= 0 ? Math.trunc(raw.connect_timeout) : undefined;
  return {
    url,
    options: {
      ...(keepalive !== undefined ? { keepalive } : {}),
      ...(timeout !== undefined ? { connectTimeoutMs: timeout } : {}),
      servers,
      tags: readTags(raw.tags),
    },
  };
}

export interface PublishOptions {
  readonly qos: number;
  readonly retain: boolean;
  readonly tags: TagMap;
}

export function readPublishOptions(raw: unknown): PublishOptions {
  if (!isPlainObject(raw)) return { qos: 0, retain: false, tags: {} };
  return { qos: integer(raw.qos), retain: raw.retain === true, tags: readTags(raw.tags) };
}

/** subscribe's and unsubscribe's options: `qos` (subscribe) and `tags`. */
export function readTopicOptions(raw: unknown): { qos: number; tags: TagMap } {
  if (!isPlainObject(raw)) return { qos: 0, tags: {} };
  return { qos: integer(raw.qos), tags: readTags(raw.tags) };
}

/** end()'s options: only `tags`. */
export function readEndOptions(raw: unknown): { tags: TagMap } {
  return { tags: isPlainObject(raw) ? readTags(raw.tags) : {} };
}

/** A payload: a string (UTF-8), an ArrayBuffer or a Uint8Array (sobek exports both as []byte). */
export function payloadBytes(input: unknown): Uint8Array {
  if (typeof input === 'string') return new TextEncoder().encode(input);
  if (isArrayBuffer(input)) return new Uint8Array(input.slice(0));
  if (input instanceof Uint8Array || Object.prototype.toString.call(input) === '[object Uint8Array]') {
    const view = input as Uint8Array;
    return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
  }
  throw new MqttArgumentError(`${INVALID_TYPE}: String or ArrayBuffer expected`);
}

/** subscribe's topics: a string, an array of strings, or `{ topic: { qos } }`; each with its QoS. */
export function subscribeTopics(value: unknown, qos: number): Map<string, number> {
  const topics = new Map<string, number>();
  if (typeof value === 'string') {
    topics.set(value, qos);
  } else if (Array.isArray(value) && value.every((t) => typeof t === 'string')) {
    for (const t of value as string[]) topics.set(t, qos);
  } else if (isPlainObject(value)) {
    for (const [t, o] of Object.entries(value)) topics.set(t, isPlainObject(o) ? integer(o.qos) : 0);
  } else {
    throw new MqttArgumentError(`${INVALID_TYPE}: String or Array of String or Object expected`);
  }
  return topics;
}

/** unsubscribe's topics: a string or an array of strings. */
export function unsubscribeTopics(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((t) => typeof t === 'string')) return [...(value as string[])];
  throw new MqttArgumentError(`${INVALID_TYPE}: String or Array of String expected`);
}

/** paho's checks of a subscription before it is sent (validateTopicAndQos): its error text, or undefined. */
export function topicFilterError(topic: string, qos: number): string | undefined {
  if (topic === '') return 'invalid Topic; empty string';
  const levels = topic.split('/');
  if (levels.some((level, i) => level === '#' && i !== levels.length - 1)) {
    return 'invalid Topic; multi-level wildcard must be last level';
  }
  if (qos < 0 || qos > 2) return 'invalid QoS';
  return undefined;
}
