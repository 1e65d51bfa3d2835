import { randomBytes } from 'node:crypto';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { isArrayBuffer } from '../modules/binary-input.ts';

// How k6 encodes a request body (js/modules/k6/http/request.go): strings and binary data go as is;
// a plain object becomes application/x-www-form-urlencoded, or multipart/form-data as soon as one
// value is an http.file(). Keys are sorted, as Go's url.Values.Encode and k6's multipart writer do.

/** What `http.file(data, filename?, contentType?)` returns. */
export class FileData {
  readonly data: string | ArrayBuffer | Uint8Array;
  readonly filename: string;
  readonly content_type: string;
  constructor(data: unknown, filename?: unknown, contentType?: unknown) {
    if (typeof data === 'string' || isArrayBuffer(data) || data instanceof Uint8Array) {
      this.data = data;
    } else if (ArrayBuffer.isView(data)) {
      this.data = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } else {
      throw new TypeError('http.file: data must be a string, ArrayBuffer or typed array');
    }
    this.filename = typeof filename === 'string' && filename !== '' ? filename : `${Date.now()}000000`;
    this.content_type =
      typeof contentType === 'string' && contentType !== '' ? contentType : 'application/octet-stream';
  }
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

export function encodeBody(body: unknown): EncodedBody {
  if (body === undefined || body === null) return NO_BODY;
  if (typeof body === 'string') return { body, contentType: undefined };
  if (isArrayBuffer(body) || ArrayBuffer.isView(body)) {
    return { body: Buffer.from(toBytes(body)), contentType: undefined };
  }
  if (typeof body === 'number' || typeof body === 'boolean') return { body: String(body), contentType: undefined };
  if (typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    if (keys.some((k) => record[k] instanceof FileData)) return encodeMultipart(record, keys);
    const parts: string[] = [];
    for (const k of keys) {
      const v = record[k];
      const values = Array.isArray(v) ? v : [v];
      for (const item of values) parts.push(`${formEscape(k)}=${formEscape(formValue(item))}`);
    }
    return { body: parts.join('&'), contentType: 'application/x-www-form-urlencoded' };
  }
  throw new TypeError(`unsupported request body type ${typeof body}`);
}

function formValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
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

function encodeMultipart(record: Record<string, unknown>, keys: string[]): EncodedBody {
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
      parts.push(Buffer.from(`Content-Disposition: form-data; name="${quoteParam(k)}"\r\n\r\n${formValue(v)}`));
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
  let out = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
  const applied: string[] = [];
  for (const raw of algorithms.split(',')) {
    const alg = raw.trim().toLowerCase();
    if (alg === '') continue;
    if (alg === 'gzip') out = gzipSync(out);
    else if (alg === 'deflate') out = deflateSync(out);
    else if (alg === 'br') out = brotliCompressSync(out);
    else throw new TypeError(`unknown compression algorithm ${alg}, supported algorithms are gzip, deflate, br`);
    applied.push(alg);
  }
  return { body: out, encoding: applied.join(', ') };
}

export function bodyByteLength(body: string | Uint8Array | null): number {
  if (body === null) return 0;
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}
