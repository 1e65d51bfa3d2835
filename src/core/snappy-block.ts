// Snappy's block format (https://github.com/google/snappy/blob/main/format_description.txt), the
// compression k6's cloud output and its Prometheus remote-write output apply to every push
// (`Content-Encoding: snappy`, one block, not the framing format). Decoding and a greedy encoder are a
// few dozen lines each, so they are written here rather than pulled in.

export class SnappyError extends Error {}

function readVarint(buf: Uint8Array, pos: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  for (let i = pos; i < buf.length && shift < 35; i++) {
    const b = buf[i] as number;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return { value, next: i + 1 };
    shift += 7;
  }
  throw new SnappyError('snappy: bad length preamble');
}

function readLE(buf: Uint8Array, pos: number, bytes: number): number {
  if (pos + bytes > buf.length) throw new SnappyError('snappy: truncated input');
  let v = 0;
  for (let i = bytes - 1; i >= 0; i--) v = v * 256 + (buf[pos + i] as number);
  return v;
}

/** The uncompressed bytes of one snappy block; SnappyError when it is malformed or longer than `maxLength`. */
export function decodeSnappyBlock(input: Uint8Array, maxLength: number): Uint8Array {
  const { value: length, next } = readVarint(input, 0);
  if (length > maxLength) throw new SnappyError(`snappy: the uncompressed body (${length} bytes) is over the limit of ${maxLength} bytes`);
  const out = new Uint8Array(length);
  let o = 0;
  let p = next;
  while (p < input.length) {
    const tag = input[p++] as number;
    let len: number;
    let offset: number;
    switch (tag & 3) {
      case 0: {
        len = tag >> 2;
        if (len >= 60) {
          const extra = len - 59;
          len = readLE(input, p, extra);
          p += extra;
        }
        len += 1;
        if (p + len > input.length || o + len > length) throw new SnappyError('snappy: literal runs past the end');
        out.set(input.subarray(p, p + len), o);
        p += len;
        o += len;
        continue;
      }
      case 1:
        len = 4 + ((tag >> 2) & 7);
        offset = ((tag >> 5) << 8) | readLE(input, p, 1);
        p += 1;
        break;
      case 2:
        len = 1 + (tag >> 2);
        offset = readLE(input, p, 2);
        p += 2;
        break;
      default:
        len = 1 + (tag >> 2);
        offset = readLE(input, p, 4);
        p += 4;
        break;
    }
    if (offset === 0 || offset > o || o + len > length) throw new SnappyError('snappy: bad copy');
    // Copies may overlap their own output (a run): byte by byte.
    for (let i = 0; i < len; i++, o++) out[o] = out[o - offset] as number;
  }
  if (o !== length) throw new SnappyError(`snappy: ${o} bytes decoded, the preamble announced ${length}`);
  return out;
}

/** Snappy's worst case for `n` input bytes (snappy.MaxEncodedLen). */
function maxEncodedLength(n: number): number {
  return 32 + n + Math.ceil(n / 6);
}

/**
 * One snappy block of `data`: literals, and a 2-byte-offset copy wherever the 4 bytes at a position
 * were last seen at most 65,535 bytes back (a hash table of 4-byte prefixes, as snappy's encoder).
 */
export function compressSnappyBlock(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(maxEncodedLength(data.length));
  let o = 0;
  for (let v = data.length; ; v = Math.floor(v / 128)) {
    if (v < 128) {
      out[o++] = v;
      break;
    }
    out[o++] = (v % 128) | 128;
  }
  const literal = (from: number, to: number): void => {
    const n = to - from - 1;
    if (n < 0) return;
    if (n < 60) out[o++] = n << 2;
    else {
      const bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
      out[o++] = (59 + bytes) << 2;
      for (let b = 0; b < bytes; b++) out[o++] = Math.floor(n / 2 ** (8 * b)) & 0xff;
    }
    out.set(data.subarray(from, to), o);
    o += to - from;
  };
  const table = new Int32Array(1 << 14).fill(-1);
  const at = (i: number): number => ((data[i] as number) | ((data[i + 1] as number) << 8) | ((data[i + 2] as number) << 16) | ((data[i + 3] as number) << 24)) >>> 0;
  let lit = 0;
  let i = 0;
  while (i + 4 <= data.length) {
    const word = at(i);
    const h = Math.imul(word, 0x1e35a7bd) >>> 18;
    const candidate = table[h] as number;
    table[h] = i;
    if (candidate < 0 || i - candidate > 0xffff || at(candidate) !== word) {
      i++;
      continue;
    }
    literal(lit, i);
    let len = 4;
    while (i + len < data.length && data[candidate + len] === data[i + len]) len++;
    const offset = i - candidate;
    for (let left = len; left > 0;) {
      const n = Math.min(64, left);
      out[o++] = ((n - 1) << 2) | 2;
      out[o++] = offset & 0xff;
      out[o++] = offset >> 8;
      left -= n;
    }
    i += len;
    lit = i;
  }
  literal(lit, data.length);
  return out.slice(0, o);
}
