// k6/experimental/fs: `await open(path)` in the init context gives a File over the file's bytes (read
// once per worker through the same file source as open(), so later VUs get what VU 0 read); each File
// has its own offset for read(), seek() and stat(). Failures reject with k6's fs errors, objects with
// a `name` (NotFoundError, InvalidResourceError, ForbiddenError, TypeError) and a `message`.
import * as posix from 'node:path/posix';
import { resolveOpenPath } from '../vu/open-file.ts';
import type { VuHost } from '../vu/vu-host.ts';
import type { FileSource } from '../vu/vu-services.ts';

export const SeekMode = Object.freeze({ Start: 0, Current: 1, End: 2 });

export interface FsError {
  readonly name: string;
  readonly message: string;
}

/** k6's fsError: `name` and `message` fields, and as a string its Go Error() text (sobek's toString of a Go error). */
function fsError(name: string, message: string): FsError {
  const e = { name, message };
  Object.defineProperty(e, 'toString', { value: () => `${name}: ${message}`, enumerable: false });
  return e;
}

function isUint8Array(v: unknown): v is Uint8Array {
  return Object.prototype.toString.call(v) === '[object Uint8Array]';
}

/** What open() resolves to: k6's File (path, stat, read, seek). */
export class FsFile {
  readonly path: string;
  // Private, so scripts (and console.log(file)) see the path and the methods only, as in k6.
  readonly #data: Uint8Array;
  #offset = 0;

  constructor(path: string, data: Uint8Array) {
    this.path = path;
    this.#data = data;
  }

  /** @internal The bytes from the offset on (where k6/experimental/csv starts reading). */
  unread(): Uint8Array {
    return this.#data.subarray(this.#offset);
  }

  stat(): Promise<{ name: string; size: number }> {
    return Promise.resolve({ name: posix.basename(this.path), size: this.#data.length });
  }

  /** Fills `into` from the offset: the bytes read, or null at the end of the file. */
  read(into: unknown): Promise<number | null> {
    if (into === undefined || into === null) return Promise.reject(fsError('TypeError', 'read() failed; reason: into argument cannot be null or undefined'));
    if (!isUint8Array(into)) return Promise.reject(fsError('TypeError', 'read() failed; reason: into argument must be a Uint8Array'));
    // k6 reads into the whole underlying buffer, from its start.
    const target = new Uint8Array(into.buffer);
    // null only when the offset is at the end already (k6's EOF with nothing read); an empty buffer reads 0.
    const atEnd = this.#offset === this.#data.length;
    const end = Math.min(this.#offset + target.length, this.#data.length);
    const n = end - this.#offset;
    const chunk = this.#data.subarray(this.#offset, end);
    this.#offset = end;
    // k6 copies the bytes into the script's buffer when the promise resolves (on the event loop), so
    // writes the script makes to it before then are overwritten by the read.
    return Promise.resolve().then(() => {
      target.set(chunk);
      return atEnd ? null : n;
    });
  }

  seek(offset: unknown, whence: unknown): Promise<number> {
    const int = (v: unknown, what: string): number | FsError => {
      if (v === undefined || v === null) return fsError('TypeError', `seek() failed; reason: the ${what} argument cannot be null or undefined`);
      if (typeof v !== 'number' || !Number.isInteger(v)) return fsError('TypeError', `seek() failed; reason: the ${what} argument must be a number`);
      return v;
    };
    const off = int(offset, 'offset');
    if (typeof off !== 'number') return Promise.reject(off);
    const mode = int(whence, 'whence');
    if (typeof mode !== 'number') return Promise.reject(mode);
    let next = this.#offset;
    if (mode === SeekMode.Start) {
      if (off < 0) return Promise.reject(fsError('TypeError', 'offset cannot be negative when using SeekModeStart'));
      next = off;
    } else if (mode === SeekMode.Current) {
      next += off;
    } else if (mode === SeekMode.End) {
      if (off > 0) return Promise.reject(fsError('TypeError', 'offset cannot be positive when using SeekModeEnd'));
      next = this.#data.length - 1 + off; // k6 counts from the last byte
    } else {
      return Promise.reject(fsError('TypeError', 'seek() failed; reason: the whence argument must be a SeekMode'));
    }
    if (next < 0) return Promise.reject(fsError('TypeError', 'seeking before start of file'));
    if (next > this.#data.length) return Promise.reject(fsError('TypeError', 'seeking beyond end of file'));
    this.#offset = next;
    return Promise.resolve(next);
  }
}

export interface FsDeps {
  readonly files: FileSource;
  /** Directory relative paths resolve from (the main script's). */
  readonly scriptDir: string;
}

export function createFsModule(host: VuHost, deps: FsDeps): Record<string, unknown> {
  async function open(path: unknown): Promise<FsFile> {
    if (host.state.phase !== 'init') throw fsError('ForbiddenError', 'open() failed; reason: opening a file is allowed only in the Init context');
    if (path === undefined || path === null) throw fsError('TypeError', 'open() failed; reason: path cannot be null or undefined');
    const given = String(path);
    if (given === '') throw fsError('TypeError', 'open() failed; reason: path cannot be empty');
    const abs = resolveOpenPath(deps.scriptDir, given.replace(/^file:\/\//, ''));
    let bytes: Uint8Array;
    // The read keeps the VU's event loop open, as k6's promise does (promises.New registers a
    // callback): VU 0's init waits for it even when the script does not await open(), so the file is
    // among those later VUs may open.
    const release = host.keepAlive();
    try {
      bytes = await deps.files.read(abs);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'EISDIR') throw fsError('InvalidResourceError', `cannot open "${abs}": opening a directory is not supported`);
      if (code === 'ENOENT') throw fsError('NotFoundError', `no such file or directory "${abs}"`);
      throw new Error(`open() failed, unable to verify if "${abs}" exists; reason: ${(e as Error).message}`);
    } finally {
      release();
    }
    return new FsFile(abs, bytes);
  }
  const mod = { open, SeekMode };
  return { ...mod, default: mod };
}
