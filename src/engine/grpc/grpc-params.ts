// The params objects of k6/net/grpc (internal/js/modules/k6/grpc/params.go): connect()'s and those of
// invoke(), asyncInvoke() and new Stream(), with k6's checks and messages.
import { parseDuration } from '../../core/index.ts';
import { isArrayBuffer } from '../modules/binary-input.ts';
import { applyUserTags } from '../modules/user-tags.ts';
import type { Tags } from '../vu/vu-host.ts';
import { goTypeName } from '../vu/go-error.ts';

/** Metadata entries in the order given; `-bin` keys carry bytes. */
export type MetadataEntries = Array<[key: string, value: string | Buffer]>;

export interface CallParams {
  metadata: MetadataEntries;
  tags: Tags;
  /** 0: none given. */
  timeoutMs: number;
  discardResponseMessage: boolean;
}

export interface ConnectTls {
  cert?: string;
  key?: string;
  password?: string;
  cacerts?: string[];
}

export interface ConnectParams {
  plaintext: boolean;
  reflect: boolean;
  reflectMetadata: MetadataEntries;
  timeoutMs: number;
  maxReceiveSize: number;
  maxSendSize: number;
  tls: ConnectTls | undefined;
  authority: string;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Go's %#v of the value sobek exports (int64, float64, string, bool, map[string]interface {}, []interface {}), for the "invalid … value" messages. */
export function goValue(v: unknown, nested = false): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return nested ? 'interface {}(nil)' : '<nil>';
  if (Array.isArray(v)) return `[]interface {}{${v.map((x) => goValue(x, true)).join(', ')}}`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // Go prints a map's keys sorted.
    const keys = Object.keys(o).sort();
    return `map[string]interface {}{${keys.map((k) => `${JSON.stringify(k)}:${goValue(o[k], true)}`).join(', ')}}`;
  }
  return String(v);
}

export function parseMetadata(input: unknown): MetadataEntries {
  const md: MetadataEntries = [];
  if (input === undefined || input === null) return md;
  if (typeof input !== 'object' || Array.isArray(input)) throw new Error('must be an object with key-value pairs');
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    const key = k.toLowerCase();
    if (key.endsWith('-bin')) {
      if (isArrayBuffer(v)) md.push([key, Buffer.from(new Uint8Array(v))]);
      else if (ArrayBuffer.isView(v)) md.push([key, Buffer.from(v.buffer, v.byteOffset, v.byteLength)]);
      else throw new Error(`${JSON.stringify(k)} value must be binary`);
    } else if (typeof v === 'string') {
      md.push([key, v]);
    } else {
      throw new Error(`${JSON.stringify(k)} value must be a string`);
    }
  }
  return md;
}

function durationMs(v: unknown): number {
  // k6's types.GetDurationValue: strings and numbers only, other types named as Go's %T.
  if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`invalid timeout value: unable to use type ${goTypeName(v)} as a duration value`);
  try {
    return parseDuration(v);
  } catch (e) {
    throw new Error(`invalid timeout value: ${message(e)}`);
  }
}

export function parseCallParams(input: unknown, baseTags: Tags): CallParams {
  const out: CallParams = { metadata: [], tags: baseTags, timeoutMs: 0, discardResponseMessage: false };
  if (input === undefined || input === null) return out;
  const params = Object(input) as Record<string, unknown>;
  for (const key of Object.keys(params)) {
    const v = params[key];
    switch (key) {
      case 'metadata':
        try {
          out.metadata = parseMetadata(v);
        } catch (e) {
          throw new Error(`invalid metadata param: ${message(e)}`);
        }
        break;
      case 'tags':
        try {
          out.tags = applyUserTags(out.tags, v);
        } catch (e) {
          throw new Error(`metric tags: ${message(e)}`);
        }
        break;
      case 'timeout':
        out.timeoutMs = durationMs(v);
        break;
      case 'discardResponseMessage':
        out.discardResponseMessage = Boolean(v);
        break;
      default:
        throw new Error(`unknown param: ${JSON.stringify(key)}`);
    }
  }
  return out;
}

function stringList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return undefined;
}

function size(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`invalid ${name} value: '${goValue(v)}', it needs to be an integer`);
  if (v < 0) throw new Error(`invalid ${name} value: '${goValue(v)}, it needs to be a positive integer`);
  return v;
}

function parseTls(v: unknown): ConnectTls {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new Error(`invalid tls value: '${goValue(v)}', expected (optional) keys: cert, key, password, and cacerts`);
  }
  const t = v as Record<string, unknown>;
  const out: ConnectTls = {};
  for (const k of ['cert', 'key'] as const) {
    if (t[k] === undefined) continue;
    if (typeof t[k] !== 'string') throw new Error(`invalid tls ${k} value: '${goValue(v)}', it needs to be a PEM formatted string`);
    out[k] = t[k];
  }
  if (t.password !== undefined) {
    if (typeof t.password !== 'string') throw new Error(`invalid tls password value: '${goValue(v)}', it needs to be a string`);
    out.password = t.password;
  }
  if (t.cacerts !== undefined) {
    const list = stringList(t.cacerts);
    if (list === undefined) throw new Error(`invalid tls cacerts value: '${goValue(v)}', it needs to be a string or an array of PEM formatted strings`);
    out.cacerts = list;
  }
  return out;
}

export function parseConnectParams(input: unknown): ConnectParams {
  const out: ConnectParams = {
    plaintext: false, reflect: false, reflectMetadata: [], timeoutMs: 60_000, maxReceiveSize: 0, maxSendSize: 0, tls: undefined, authority: '',
  };
  if (input === undefined || input === null) return out;
  const params = Object(input) as Record<string, unknown>;
  for (const key of Object.keys(params)) {
    const v = params[key];
    switch (key) {
      case 'plaintext':
        if (typeof v !== 'boolean') throw new Error(`invalid plaintext value: '${goValue(v)}', it needs to be boolean`);
        out.plaintext = v;
        break;
      case 'timeout':
        out.timeoutMs = durationMs(v);
        break;
      case 'reflect':
        if (typeof v !== 'boolean') throw new Error(`invalid reflect value: '${goValue(v)}', it needs to be boolean`);
        out.reflect = v;
        break;
      case 'reflectMetadata':
        try {
          out.reflectMetadata = parseMetadata(v);
        } catch (e) {
          throw new Error(`invalid reflectMetadata param: ${message(e)}`);
        }
        break;
      case 'maxReceiveSize':
        out.maxReceiveSize = size('maxReceiveSize', v);
        break;
      case 'maxSendSize':
        out.maxSendSize = size('maxSendSize', v);
        break;
      case 'tls':
        out.tls = parseTls(v);
        break;
      case 'authority':
        if (typeof v !== 'string') throw new Error(`invalid authority value: '${goValue(v)}', it needs to be a string`);
        out.authority = v;
        break;
      default:
        throw new Error(`unknown connect param: ${JSON.stringify(key)}`);
    }
  }
  return out;
}
