// Snappy's block format (https://github.com/google/snappy/blob/main/format_description.txt), the
// compression k6's cloud output applies to every metrics push (`Content-Encoding: snappy`, one block,
// not the framing format). Decoding is a few dozen lines, so it is written here rather than pulled in.

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
