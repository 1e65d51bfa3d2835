// k6/encoding: base64 in the four Go flavours k6 exposes (std, rawstd, url, rawurl).
import type { VuHost } from '../vu/vu-host.ts';
import { HOST_BUFFERS, toBytes, type BufferRealm } from './binary-input.ts';

type B64Variant = 'std' | 'rawstd' | 'url' | 'rawurl';
const VARIANTS: readonly B64Variant[] = ['std', 'rawstd', 'url', 'rawurl'];

function variant(enc: unknown): B64Variant {
  if (enc === undefined || enc === null || enc === '') return 'std';
  if (typeof enc === 'string' && (VARIANTS as readonly string[]).includes(enc)) return enc as B64Variant;
  throw new TypeError(`unsupported base64 encoding ${JSON.stringify(enc)}; use one of ${VARIANTS.join(', ')}`);
}

export function b64encode(input: unknown, encoding?: unknown): string {
  const v = variant(encoding);
  const buf = Buffer.from(toBytes(input, 'b64encode input'));
  if (v === 'std') return buf.toString('base64');
  if (v === 'rawstd') return buf.toString('base64').replace(/=+$/, '');
  const url = buf.toString('base64url');
  return v === 'rawurl' ? url : url + '='.repeat((4 - (url.length % 4)) % 4);
}

// Go's decoders are strict about the alphabet of each variant; so are we, so that a script that
// fails in k6 fails here too.
const ALPHABET: Record<B64Variant, RegExp> = {
  std: /^[A-Za-z0-9+/]*={0,2}$/,
  rawstd: /^[A-Za-z0-9+/]*$/,
  url: /^[A-Za-z0-9_-]*={0,2}$/,
  rawurl: /^[A-Za-z0-9_-]*$/,
};

export function b64decode(input: unknown, encoding?: unknown, format?: unknown, buffers: BufferRealm = HOST_BUFFERS): ArrayBuffer | string {
  const v = variant(encoding);
  const text = typeof input === 'string' ? input : new TextDecoder().decode(toBytes(input, 'b64decode input'));
  const padded = v === 'std' || v === 'url';
  if (!ALPHABET[v].test(text) || (padded && text.length % 4 !== 0) || (!padded && text.length % 4 === 1)) {
    throw new Error(`illegal base64 data for encoding "${v}"`);
  }
  const bytes = Buffer.from(text, v === 'std' || v === 'rawstd' ? 'base64' : 'base64url');
  if (format === 's') return bytes.toString('utf8');
  return buffers.arrayBuffer(bytes);
}

export function createEncodingModule(_host: VuHost, buffers: BufferRealm = HOST_BUFFERS): Record<string, unknown> {
  const mod = {
    b64encode: (input: unknown, encoding?: unknown) => b64encode(input, encoding),
    b64decode: (input: unknown, encoding?: unknown, format?: unknown) => b64decode(input, encoding, format, buffers),
  };
  return { ...mod, default: mod };
}
