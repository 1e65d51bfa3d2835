// Request bodies sent with a Content-Encoding (RFC 9110 §8.4): gzip, deflate and br are decoded before
// the body is parsed, so a client that compresses its JSON gets the same answer as one that does not,
// and the body limit applies to the decoded bytes (a small compressed body cannot expand past it).
// Any other coding is a 415 naming the ones accepted (a 400 where the operation documents no 415), instead of bytes parsed as if they were plain.
// A route that reads its own coding (the k6 metrics push: snappy) sets `config.ownContentEncoding`.
import { PassThrough, type Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { StampedeError } from '../core/index.ts';

export const ACCEPTED_CONTENT_ENCODINGS = ['gzip', 'x-gzip', 'deflate', 'br', 'identity'] as const;

/** The codings of a Content-Encoding header, in the order they were applied (lower-cased). */
export function contentCodings(header: string | string[] | undefined): string[] {
  const text = Array.isArray(header) ? header.join(',') : header ?? '';
  return text.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
}

function decoderFor(coding: string): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      // RFC 9110's deflate is the zlib format; some clients send raw deflate: unzip-style detection.
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

const stopDecoding = new WeakMap<Readable, () => void>();

/**
 * Stops decoding what is left of a request body whose decoded stream was refused (too large): the rest
 * can then be read and dropped at the speed it arrives, instead of waiting on decoders nobody reads.
 */
export function stopDecodingBody(payload: Readable): void {
  stopDecoding.get(payload)?.();
}

/**
 * The body stream the parsers should read: `payload` itself when it is not encoded, else `payload`
 * decoded. Throws the 415 for a coding it cannot decode. `isMultipart`: such bodies are read from the
 * raw request by the multipart parser, so they cannot be decoded here and are refused when encoded.
 */
export function decodedRequestBody(payload: Readable, header: string | string[] | undefined, isMultipart: boolean): Readable {
  const codings = contentCodings(header);
  if (codings.length === 0) return payload;
  const accepted = 'Send it uncompressed, or compressed with gzip, deflate or br';
  if (isMultipart) throw new StampedeError('STAMPEDE_ERR_UNSUPPORTED_MEDIA_TYPE', `A multipart body cannot have a Content-Encoding (${codings.join(', ')}). ${accepted} as another content type`, { target: 'Content-Encoding' });
  const decoders = codings.map((c) => {
    const d = decoderFor(c);
    if (d === undefined) throw new StampedeError('STAMPEDE_ERR_UNSUPPORTED_MEDIA_TYPE', `Unsupported Content-Encoding "${c}". ${accepted}`, { target: 'Content-Encoding' });
    return d;
  });
  // The last coding applied is undone first.
  const out = new PassThrough() as PassThrough & { receivedEncodedLength: number };
  const decoding: Readable[] = [];
  out.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => {
    out.receivedEncodedLength += chunk.length;
  });
  let payloadError: unknown;
  payload.on('error', (e: Error) => {
    payloadError = e;
  });
  let stream: Readable = payload;
  for (const decoder of decoders.reverse()) {
    stream.on('error', (e: Error) => decoder.destroy(e));
    stream = stream.pipe(decoder);
    decoding.push(decoder);
  }
  stopDecoding.set(payload, () => {
    payload.unpipe();
    for (const d of decoding) d.destroy();
  });
  // What the decoders themselves raise is the body's fault: a 400; the connection's errors pass on.
  stream.on('error', (e: Error) => {
    out.destroy(e === payloadError ? e : new StampedeError('STAMPEDE_ERR_VALIDATION', `Malformed request body: it is not valid ${codings.join(', ')} data (${e.message})`, { target: 'Content-Encoding' }));
  });
  stream.pipe(out);
  // The body parser listens for errors only while it reads: once it refused the body (too large) a
  // decoder failing later on the rest (a truncated gzip) would be an unhandled 'error' event, which
  // stops the process. What comes after the refusal has no one to tell.
  out.on('error', () => {});
  return out;
}
