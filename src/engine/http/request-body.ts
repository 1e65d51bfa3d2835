import { randomBytes } from 'node:crypto';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import { isArrayBuffer } from '../modules/binary-input.ts';
import { goError } from '../vu/go-error.ts';

// How k6 encodes a request body (js/modules/k6/http/request.go): strings and binary data go as is;
// a plain object becomes application/x-www-form-urlencoded, or multipart/form-data as soon as one
// value is an http.file(). Keys are sorted, as Go's url.Values.Encode and k6's multipart writer do.

/** What `http.file(data, filename?, contentType?)` returns. */
export class FileData {
  readonly data: string | ArrayBuffer | Uint8Array;
  readonly filename: string;
  readonly content_type: string;
  /** k6's `file(data any, args ...string)`: a filename or content type given replaces its default, even "". */
  constructor(data: unknown, ...args: unknown[]) {
    if (typeof data === 'string' || isArrayBuffer(data) || data instanceof Uint8Array) {
      this.data = data;
    } else if (ArrayBuffer.isView(data)) {
      this.data = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } else {
      // k6's message (Go's %T of the exported value); typed arrays are accepted here besides.
      throw goError(`invalid type ${goTypeName(data)}, expected string or ArrayBuffer`);
    }
    // sobek hands a Go string parameter "" for null and undefined.
    const goString = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
    this.filename = args.length > 0 ? goString(args[0]) : `${Date.now()}000000`;
    this.content_type = args.length > 1 ? goString(args[1]) : 'application/octet-stream';
  }
}

/** Go's %T of a JS value as sobek exports it. */
function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'object') return 'map[string]interface {}';
  return typeof v;
}

export interface EncodedBody {
  readonly body: string | Uint8Array | null;
  /** Set when the encoding implies a content type (form, multipart). */
  readonly contentType: string | undefined;
}

const NO_BODY: EncodedBody = { body: null, contentType: undefined };

export function toBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (isArrayBuffer(data)) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * `warn` hears about form values that cannot be urlencoded (nested objects and arrays): k6 sends
 * them as empty values and logs a warning (grafana/k6#6238, TestRequestFormBodyEncoding).
 */
export function encodeBody(body: unknown, warn: (msg: string) => void = noWarn): EncodedBody {
  if (body === undefined || body === null) return NO_BODY;
  if (typeof body === 'string') return { body, contentType: undefined };
  if (isArrayBuffer(body) || ArrayBuffer.isView(body)) {
    return { body: Buffer.from(toBytes(body)), contentType: undefined };
  }
  if (typeof body === 'number' || typeof body === 'boolean') return { body: String(body), contentType: undefined };
  if (typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    if (keys.some((k) => record[k] instanceof FileData)) return encodeMultipart(record, keys, warn);
    const parts: string[] = [];
    for (const k of keys) {
      const v = record[k];
      const values = Array.isArray(v) ? v : [v];
      for (const item of values) parts.push(`${formEscape(k)}=${formEscape(formValue(item, warn))}`);
    }
    return { body: parts.join('&'), contentType: 'application/x-www-form-urlencoded' };
  }
  throw new TypeError(`unsupported request body type ${typeof body}`);
}

function noWarn(): void {}

/** k6's formatFormVal: null and undefined are empty, a nested object or array is empty with a warning. */
function formValue(v: unknown, warn: (msg: string) => void): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') {
    const goType = Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';
    warn(
      `cannot urlencode a nested ${goType} value in a request form body; encoding it as an empty value, use JSON.stringify() to send structured data`,
    );
    return '';
  }
  return String(v);
}

/** Go's url.QueryEscape: like encodeURIComponent, but space is '+' and !'()* are escaped too. */
export function formEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function quoteParam(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function encodeMultipart(record: Record<string, unknown>, keys: string[], warn: (msg: string) => void): EncodedBody {
  const boundary = randomBytes(30).toString('hex');
  const parts: Buffer[] = [];
  for (const k of keys) {
    const v = record[k];
    parts.push(Buffer.from(`--${boundary}\r\n`));
    if (v instanceof FileData) {
      parts.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${quoteParam(k)}"; filename="${quoteParam(v.filename)}"\r\n` +
            `Content-Type: ${v.content_type}\r\n\r\n`,
        ),
      );
      parts.push(typeof v.data === 'string' ? Buffer.from(v.data) : Buffer.from(toBytes(v.data)));
    } else {
      parts.push(Buffer.from(`Content-Disposition: form-data; name="${quoteParam(k)}"\r\n\r\n${formValue(v, warn)}`));
    }
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * The `compression` param: compresses the body with each listed algorithm in turn and gives the
 * Content-Encoding to send (k6 supports gzip, deflate, br and zstd; zstd needs a newer Node).
 */
export function compressBody(body: string | Uint8Array, algorithms: string): { body: Buffer; encoding: string } {
  let out: Buffer = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
  const applied: string[] = [];
  for (const raw of algorithms.split(',')) {
    const alg = raw.trim();
    if (alg === '') continue;
    if (alg === 'gzip') out = gzipSync(out);
    else if (alg === 'deflate') out = deflateSync(out);
    else if (alg === 'br') out = brotliCompressSync(out);
    else if (alg === 'zstd') {
      const zstd = (zlib as unknown as { zstdCompressSync?: (b: Buffer) => Buffer }).zstdCompressSync;
      if (!zstd) throw new TypeError('compression "zstd" is not supported by this Node.js version (it needs Node.js 22.15 or later)');
      out = zstd(out);
    } else throw new TypeError(`unknown compression algorithm ${alg}, supported algorithms are [gzip deflate zstd br]`);
    applied.push(alg);
  }
  return { body: out, encoding: applied.join(', ') };
}

export function bodyByteLength(body: string | Uint8Array | null): number {
  if (body === null) return 0;
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}
