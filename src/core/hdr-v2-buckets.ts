// Reading the trend histograms of the metrics wire format (docs/architecture.md): the engine encodes
// each one as hdr-histogram-js's base64 compressed V2 form with 3 significant digits and a lowest
// discernible value of 1. The control plane's store (compact storage) and results (queries) both need
// the non-empty buckets without building a histogram object, so the walk over V2's zig-zag varint
// counts lives here, once.
import { inflateSync } from 'node:zlib';

const V2_COMPRESSED_COOKIE_BASE = 0x1c849304;
const V2_COOKIE_BASE = 0x1c849303;
const V2_HEADER_BYTES = 40;
const SIGNIFICANT_DIGITS = 3;

function readZigZag(bytes: Uint8Array, at: { pos: number }): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 9; i++) {
    const b = bytes[at.pos++] ?? 0;
    if (i === 8) {
      value += b * scale;
      break;
    }
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) break;
    scale *= 128;
  }
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}

/**
 * Non-empty buckets (counts-array index, count) of a base64 compressed V2 histogram with the engine's
 * geometry; null for anything else (another geometry, another format, damaged input).
 */
export function decodeV2Buckets(base64: string): { index: number[]; count: number[] } | null {
  try {
    const raw = Buffer.from(base64, 'base64');
    if (raw.length < 8 || (raw.readInt32BE(0) & ~0xf0) !== V2_COMPRESSED_COOKIE_BASE) return null;
    const payload = inflateSync(raw.subarray(8, 8 + raw.readInt32BE(4)));
    const view = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    if (view.length < V2_HEADER_BYTES || (view.readInt32BE(0) & ~0xf0) !== V2_COOKIE_BASE) return null;
    if (view.readInt32BE(12) !== SIGNIFICANT_DIGITS || view.readBigInt64BE(16) !== 1n) return null;
    const end = V2_HEADER_BYTES + view.readInt32BE(4);
    if (end > view.length) return null;
    const at = { pos: V2_HEADER_BYTES };
    const out = { index: [] as number[], count: [] as number[] };
    let index = 0;
    while (at.pos < end) {
      const n = readZigZag(view, at);
      if (n < 0) {
        index += -n;
        continue;
      }
      if (n > 0) {
        out.index.push(index);
        out.count.push(n);
      }
      index++;
    }
    return out;
  } catch {
    return null;
  }
}
