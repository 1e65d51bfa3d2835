// k6/encoding: base64 in the four Go flavours k6 exposes (std, rawstd, url, rawurl).
import type { VuHost } from '../vu/vu-host.ts';
import { HOST_BUFFERS, goBytes, isArrayBuffer, type BufferRealm } from './binary-input.ts';
import { goBase64Decode, type GoBase64 } from './go-base64.ts';

const VARIANTS: readonly GoBase64[] = ['std', 'rawstd', 'url', 'rawurl'];

/** k6 falls back to std for any other encoding name (a missing one included), without an error. */
function variant(enc: unknown): GoBase64 {
  return typeof enc === 'string' && (VARIANTS as readonly string[]).includes(enc) ? (enc as GoBase64) : 'std';
}

export function b64encode(input: unknown, encoding?: unknown): string {
  const v = variant(encoding);
  const buf = Buffer.from(goBytes(input));
  if (v === 'std') return buf.toString('base64');
  if (v === 'rawstd') return buf.toString('base64').replace(/=+$/, '');
  const url = buf.toString('base64url');
  return v === 'rawurl' ? url : url + '='.repeat((4 - (url.length % 4)) % 4);
}

export function b64decode(input: unknown, encoding?: unknown, format?: unknown, buffers: BufferRealm = HOST_BUFFERS): ArrayBuffer | string {
  // k6 takes a Go string (any value converted, a missing one ""); bytes are decoded as UTF-8 here.
  const text = typeof input === 'string' ? input
    : isArrayBuffer(input) || ArrayBuffer.isView(input) ? new TextDecoder().decode(goBytes(input))
    : input === undefined || input === null ? '' : String(input);
  const bytes = Buffer.from(goBase64Decode(text, variant(encoding)));
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
