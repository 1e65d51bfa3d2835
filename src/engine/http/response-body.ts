import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import * as zlib from 'node:zlib';

// Response bodies: decompression by Content-Encoding (gzip, deflate, br; zstd where Node has it).

/** The response body as bytes, with its Content-Encoding undone (k6 decompresses automatically). */
export function decodeBody(chunks: readonly Buffer[], length: number, encoding: string | undefined): Buffer {
  const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks as Buffer[], length);
  if (encoding === undefined || raw.length === 0) return raw;
  let out = raw;
  // Encodings are listed in the order they were applied, so undo them from the last one. Like k6
  // (httpext readResponseBody), only gzip, deflate, br and zstd are undone, named exactly so; any
  // other coding ("identity", "custom", "x-gzip") is left as it is.
  const steps = encoding.split(',').reverse();
  for (const raw of steps) {
    const step = raw.trim();
    if (step === 'gzip') out = gunzipSync(out);
    else if (step === 'deflate') {
      try {
        out = inflateSync(out);
      } catch {
        out = inflateRawSync(out);
      }
    } else if (step === 'br') out = brotliDecompressSync(out);
    else if (step === 'zstd') {
      const zstd = (zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;
      if (!zstd) throw new Error('zstd is not supported by this Node.js version');
      out = zstd(out);
    }
  }
  return out;
}
