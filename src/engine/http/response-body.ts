import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import * as zlib from 'node:zlib';

// Response bodies: decompression by Content-Encoding (gzip, deflate, br; zstd where Node has it).

/**
 * A body whose Content-Encoding could not be undone, with k6's text and error code: k6 wraps the
 * decoder's error as `error decompressing response body (…)` with code 1701 when the decoder could
 * not start or failed on the data, but a stream that ends early inside the compressed data reaches
 * the request as Go's bare `unexpected EOF` (code 1000): httpext's wrapDecompressionError only wraps
 * the errors it lists (header, checksum, brotli's and zstd's), and io.ErrUnexpectedEOF is not one.
 */
export class BodyDecodeError extends Error {
  constructor(
    message: string,
    readonly code: 1000 | 1701,
  ) {
    super(message);
  }
}

const wrapped = (text: string): BodyDecodeError => new BodyDecodeError(`error decompressing response body (${text})`, 1701);
const unexpectedEof = (): BodyDecodeError => new BodyDecodeError('unexpected EOF', 1000);

/** Node's zlib error for input that stopped before the compressed stream's end. */
const isTruncation = (err: unknown): boolean => (err as { code?: string }).code === 'Z_BUF_ERROR';

/** Node's zlib error for a trailer whose checksum does not match the data (Go's ErrChecksum). */
const isChecksum = (err: unknown): boolean => (err as Error).message === 'incorrect data check';

/** A Node zlib decoder's failure in the words of Go's reader `name`: a cut stream, a bad checksum, else its own text. */
function runZlibDecoder(decode: (input: Buffer) => Buffer, input: Buffer, name: 'gzip' | 'zlib'): Buffer {
  try {
    return decode(input);
  } catch (err) {
    if (isTruncation(err)) throw unexpectedEof();
    if (isChecksum(err)) throw wrapped(`${name}: invalid checksum`);
    throw wrapped((err as Error).message);
  }
}

/**
 * gzip as Go's compress/gzip reads it: the 10-byte header first (none at all is io.EOF, part of one
 * io.ErrUnexpectedEOF, a wrong magic or method `gzip: invalid header`), then the data.
 */
function gunzip(input: Buffer): Buffer {
  if (input.length === 0) throw wrapped('EOF');
  if (input.length < 10) throw wrapped('unexpected EOF');
  if (input[0] !== 0x1f || input[1] !== 0x8b || input[2] !== 8) throw wrapped('gzip: invalid header');
  return runZlibDecoder(gunzipSync, input, 'gzip');
}

/**
 * deflate as k6 reads it: the zlib format (RFC 1950) through Go's compress/zlib, whose reader checks
 * the 2-byte header as it is made (fewer bytes: io.ErrUnexpectedEOF; a wrong method, window or check
 * bits: `zlib: invalid header`). Raw deflate data without that header is not accepted (grafana/k6#419).
 */
function inflateZlib(input: Buffer): Buffer {
  if (input.length < 2) throw wrapped('unexpected EOF');
  const cmf = input[0] as number;
  const flg = input[1] as number;
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) throw wrapped('zlib: invalid header');
  return runZlibDecoder(inflateSync, input, 'zlib');
}

/**
 * The response body as bytes, with its Content-Encoding undone (k6 decompresses automatically).
 * Throws a BodyDecodeError when a coding cannot be undone.
 */
export function decodeBody(chunks: readonly Buffer[], length: number, encoding: string | undefined): Buffer {
  const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks as Buffer[], length);
  if (encoding === undefined) return raw;
  let out = raw;
  // Encodings are listed in the order they were applied, so undo them from the last one. Like k6
  // (httpext readResponseBody), only gzip, deflate, br and zstd are undone, named exactly so; any
  // other coding ("identity", "custom", "x-gzip") is left as it is. An empty body is decoded too:
  // k6 skips the decoders only for 1xx, 204 and 304 (grafana/k6#3438), so an empty gzip or deflate
  // body fails as Go's readers do, while br and zstd readers end cleanly on no input.
  const steps = encoding.split(',').reverse();
  for (const raw of steps) {
    const step = raw.trim();
    if (step === 'gzip') out = gunzip(out);
    else if (step === 'deflate') out = inflateZlib(out);
    else if (step === 'br') {
      if (out.length === 0) continue;
      try {
        out = brotliDecompressSync(out);
      } catch (err) {
        throw wrapped(`brotli: ${(err as Error).message}`);
      }
    } else if (step === 'zstd') {
      if (out.length === 0) continue;
      const zstd = (zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;
      if (!zstd) throw wrapped('zstd is not supported by this Node.js version');
      try {
        out = zstd(out);
      } catch (err) {
        throw wrapped((err as Error).message);
      }
    }
  }
  return out;
}
