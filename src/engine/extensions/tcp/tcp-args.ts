// What k6/x/tcp's Socket methods accept (xk6-tcp socket_connect.go connectPrepare, socket_write.go
// writePrepare, socket_base.go options), read the way sobek exports script values to the Go types the
// extension declares. Errors carry the extension's texts; the socket wraps them into its TCPError.
import { isArrayBuffer } from '../../modules/binary-input.ts';
import { decodeGoBase64, decodeGoHex } from './go-text-decoding.ts';
import { TcpArgError } from './tcp-arg-error.ts';

export const DEFAULT_HOST = 'localhost';

export interface ConnectOptions {
  readonly port: number;
  readonly host: string;
  readonly tls: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

export interface WriteOptions {
  readonly encoding: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** sobek's ToInteger: NaN is 0, fractions are truncated (numbers and numeric strings alike). */
function toInteger(v: unknown): number {
  const n = Number(v);
  if (Number.isNaN(n)) return 0;
  return Number.isFinite(n) ? Math.trunc(n) : n;
}

/** A value sobek exports as a Go map (a plain object, not an array, function or binary object). */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  if (isArrayBuffer(v) || ArrayBuffer.isView(v)) return false;
  const tag = Object.prototype.toString.call(v);
  return tag === '[object Object]';
}

/** A map[string]string from a script object (values as String() gives them); absent: empty. */
export function stringMap(v: unknown, what: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object') throw new TcpArgError(`${what}: expected an object, got ${typeof v}`);
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v as Record<string, unknown>)) out[k] = String(value);
  return out;
}

/** `new Socket(options)`: only `tags` is read. */
export function socketOptionTags(options: unknown): Record<string, string> {
  if (options === undefined || options === null) return {};
  return stringMap((options as Record<string, unknown>).tags, 'tags');
}

/**
 * connect(port, host) or connect(options). An integer or a string is the port (a numeric string as
 * sobek's ToInteger reads it); an object gives port, host, tls and tags (then a second argument is
 * ignored); anything else fails "invalid type: expected integer or object".
 */
export function parseConnectArgs(portOrOptions: unknown, hostArg: unknown): ConnectOptions {
  let port: number;
  let host = DEFAULT_HOST;
  let tls = false;
  let tags: Record<string, string> = {};
  if ((typeof portOrOptions === 'number' && Number.isInteger(portOrOptions)) || typeof portOrOptions === 'string') {
    port = toInteger(portOrOptions);
    if (hostArg !== undefined && hostArg !== null) host = String(hostArg);
  } else if (isPlainObject(portOrOptions)) {
    const o = portOrOptions;
    port = o.port === undefined || o.port === null ? 0 : toInteger(o.port);
    if (o.host !== undefined && o.host !== null && String(o.host) !== '') host = String(o.host);
    tls = Boolean(o.tls);
    tags = stringMap(o.tags, 'tags');
  } else {
    throw new TcpArgError('invalid type: expected integer or object');
  }
  return { port, host, tls, tags };
}

/** write()'s options: `encoding` (case-insensitive) and `tags`; anything not an object is none. */
export function parseWriteOptions(raw: unknown): WriteOptions {
  if (raw === undefined || raw === null || typeof raw !== 'object') return { encoding: '', tags: {} };
  const o = raw as Record<string, unknown>;
  const encoding = o.encoding === undefined || o.encoding === null ? '' : String(o.encoding);
  return { encoding, tags: stringMap(o.tags, 'tags') };
}

/**
 * The bytes write() sends: a string decoded with `encoding` (utf8/utf-8/ascii send its UTF-8 bytes,
 * base64, base64url, hex decode it as Go does), a Uint8Array's or an ArrayBuffer's bytes.
 */
export function writeBytes(data: unknown, encoding: string): Uint8Array {
  if (typeof data === 'string') return decodeString(data, encoding);
  if (data instanceof Uint8Array || Object.prototype.toString.call(data) === '[object Uint8Array]') {
    const view = data as Uint8Array;
    return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
  }
  if (isArrayBuffer(data)) return new Uint8Array(data.slice(0));
  throw new TcpArgError('invalid type: String or ArrayBuffer expected');
}

function decodeString(s: string, encoding: string): Uint8Array {
  switch (encoding.toLowerCase()) {
    case '':
    case 'utf8':
    case 'utf-8':
    case 'ascii':
      return new TextEncoder().encode(s);
    case 'base64':
      return decodeGoBase64(s, { url: false, padded: true });
    case 'base64url':
      // RawURLEncoding first, then URLEncoding (whose error is reported).
      try {
        return decodeGoBase64(s, { url: true, padded: false });
      } catch {
        return decodeGoBase64(s, { url: true, padded: true });
      }
    case 'hex':
      return decodeGoHex(s);
    default:
      throw new TcpArgError(`unsupported encoding ${JSON.stringify(encoding)}`);
  }
}
