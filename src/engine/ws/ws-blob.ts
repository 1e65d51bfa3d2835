// k6/websockets' `Blob` (internal/js/modules/k6/websockets/blob.go): immutable bytes with a MIME
// type, made from strings, ArrayBuffers, views and other Blobs; what binary messages arrive as while
// `binaryType` is "blob". Its bytes are readable synchronously, so `send(blob)` can write them.
import { isArrayBuffer, type BufferRealm } from '../modules/binary-input.ts';

/** What a Blob makes in the script's realm: ArrayBuffers, Uint8Arrays and (k6/experimental/streams) ReadableStreams. */
export interface BlobRealm extends BufferRealm {
  readableStream?(source: object): unknown;
}

/** k6 reads a Blob's stream() in chunks of up to 1 KiB, each enqueued as a string. */
const STREAM_CHUNK = 1024;

function partBytes(part: unknown): Uint8Array {
  if (part instanceof WsBlob) return part.bytesSync();
  if (isArrayBuffer(part)) return new Uint8Array(part.slice(0));
  if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength));
  return new TextEncoder().encode(String(part));
}

/** Position arguments of slice() as the File API clamps them. */
function clamp(pos: unknown, size: number, fallback: number): number {
  if (pos === undefined) return fallback;
  const n = Math.trunc(Number(pos)) || 0;
  return n < 0 ? Math.max(size + n, 0) : Math.min(n, size);
}

export class WsBlob {
  readonly #bytes: Uint8Array;
  readonly #type: string;
  readonly #buffers: BlobRealm;

  constructor(parts: unknown, options: unknown, buffers: BlobRealm) {
    const list: unknown[] = parts === undefined || parts === null ? [] : Array.from(parts as Iterable<unknown>);
    const chunks = list.map(partBytes);
    const size = chunks.reduce((n, c) => n + c.byteLength, 0);
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.byteLength;
    }
    this.#bytes = bytes;
    const type = options !== null && typeof options === 'object' ? (options as { type?: unknown }).type : undefined;
    this.#type = type === undefined ? '' : String(type).toLowerCase();
    this.#buffers = buffers;
  }

  get size(): number {
    return this.#bytes.byteLength;
  }

  get type(): string {
    return this.#type;
  }

  /** @internal The bytes, for send(). */
  bytesSync(): Uint8Array {
    return this.#bytes;
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#buffers.arrayBuffer(this.#bytes));
  }

  bytes(): Promise<Uint8Array> {
    const bytes = this.#buffers.uint8Array?.(this.#bytes) ?? new Uint8Array(this.#buffers.arrayBuffer(this.#bytes));
    return Promise.resolve(bytes);
  }

  text(): Promise<string> {
    return Promise.resolve(new TextDecoder().decode(this.#bytes));
  }

  /** A Blob of the same class as this one (the module's Blob: `instanceof Blob` holds in scripts). */
  slice(start?: unknown, end?: unknown, contentType?: unknown): WsBlob {
    const size = this.#bytes.byteLength;
    const from = clamp(start, size, 0);
    const to = clamp(end, size, size);
    const Same = this.constructor as new (parts: unknown, options: unknown, buffers: BlobRealm) => WsBlob;
    return new Same([this.#bytes.slice(from, Math.max(from, to))], { type: contentType ?? '' }, this.#buffers);
  }

  /**
   * A k6/experimental/streams ReadableStream of the bytes, as k6 makes it from a reader: each pull
   * enqueues the next (up to) 1 KiB as a string, and the pull that finds no more bytes enqueues ""
   * and closes the stream.
   */
  stream(): unknown {
    const make = this.#buffers.readableStream;
    if (make === undefined) throw new TypeError('Blob.stream() needs k6/experimental/streams');
    const bytes = this.#bytes;
    let at = 0;
    return make({
      pull(controller: { enqueue(chunk: string): void; close(): void }) {
        const chunk = bytes.subarray(at, at + STREAM_CHUNK);
        at += chunk.byteLength;
        controller.enqueue(new TextDecoder().decode(chunk));
        if (chunk.byteLength === 0) controller.close();
      },
    });
  }
}
