// k6/crypto: hashes, HMAC, random bytes and hex encoding, on node:crypto (md4 by hand: see md4.ts).
import { createHash, createHmac, randomBytes as nodeRandomBytes } from 'node:crypto';
import type { VuHost } from '../vu/vu-host.ts';
import { HOST_BUFFERS, goBytes, type BufferRealm } from './binary-input.ts';
import { md4 } from './md4.ts';
import { goError } from '../vu/go-error.ts';

const NODE_ALGORITHMS: Record<string, string> = {
  md5: 'md5', sha1: 'sha1', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512',
  sha512_224: 'sha512-224', sha512_256: 'sha512-256', ripemd160: 'ripemd160',
};
const ALGORITHMS = ['md4', ...Object.keys(NODE_ALGORITHMS)];

/** A Go string argument: what sobek gives Go for a JS value (undefined and null become ""). */
function goString(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

function checkAlgorithm(alg: unknown): string {
  if (typeof alg === 'string' && ALGORITHMS.includes(alg)) return alg;
  throw goError(`invalid algorithm: ${goString(alg)}`);
}

function encodeDigest(digest: Uint8Array, outputEncoding: unknown, buffers: BufferRealm): string | ArrayBuffer {
  const buf = Buffer.from(digest);
  // k6 has no default: a missing encoding is "" and fails like any unknown one.
  switch (goString(outputEncoding)) {
    case 'hex': return buf.toString('hex');
    case 'base64': return buf.toString('base64');
    case 'base64url': { const s = buf.toString('base64url'); return s + '='.repeat((4 - (s.length % 4)) % 4); }
    case 'base64rawurl': return buf.toString('base64url');
    case 'binary': return buffers.arrayBuffer(digest);
    default: throw goError(`invalid output encoding: ${goString(outputEncoding)}`);
  }
}

function digestOnce(alg: string, data: Uint8Array): Uint8Array {
  if (alg === 'md4') return md4(data);
  return createHash(NODE_ALGORITHMS[alg] as string).update(data).digest();
}

function hmacOnce(alg: string, secret: Uint8Array, data: Uint8Array): Uint8Array {
  if (alg !== 'md4') return createHmac(NODE_ALGORITHMS[alg] as string, secret).update(data).digest();
  // RFC 2104 with MD4's 64-byte block.
  let key = secret.length > 64 ? md4(secret) : secret;
  const padded = new Uint8Array(64);
  padded.set(key);
  key = padded;
  const inner = new Uint8Array(64 + data.length);
  const outer = new Uint8Array(64 + 16);
  for (let i = 0; i < 64; i++) {
    inner[i] = (key[i] as number) ^ 0x36;
    outer[i] = (key[i] as number) ^ 0x5c;
  }
  inner.set(data, 64);
  outer.set(md4(inner), 64);
  return md4(outer);
}

/**
 * What createHash/createHMAC return: accumulate with update(), finish with digest(). Its state is
 * private, as k6's Go Hasher shows none: `console.log(hasher)` or `Object.keys(hmac)` must not reveal
 * the HMAC secret.
 */
class Hasher {
  readonly #chunks: Uint8Array[] = [];
  readonly #alg: string;
  readonly #buffers: BufferRealm;
  readonly #secret: Uint8Array | undefined;
  constructor(alg: string, buffers: BufferRealm, secret?: Uint8Array) {
    this.#alg = alg;
    this.#buffers = buffers;
    this.#secret = secret;
  }
  update(input: unknown): void {
    this.#chunks.push(goBytes(input));
  }
  digest(outputEncoding?: unknown): string | ArrayBuffer {
    const data = Buffer.concat(this.#chunks);
    const out = this.#secret ? hmacOnce(this.#alg, this.#secret, data) : digestOnce(this.#alg, data);
    return encodeDigest(out, outputEncoding, this.#buffers);
  }
}

export function createCryptoModule(_host: VuHost, buffers: BufferRealm = HOST_BUFFERS): Record<string, unknown> {
  const mod: Record<string, unknown> = {
    createHash: (alg: unknown) => new Hasher(checkAlgorithm(alg), buffers),
    createHMAC: (alg: unknown, secret: unknown) => new Hasher(checkAlgorithm(alg), buffers, goBytes(secret)),
    hmac: (alg: unknown, secret: unknown, data: unknown, enc?: unknown) =>
      encodeDigest(hmacOnce(checkAlgorithm(alg), goBytes(secret), goBytes(data)), enc, buffers),
    randomBytes: (size: unknown) => {
      // k6 (crypto.go randomBytes) takes an integer and refuses sizes below 1.
      const n = Math.trunc(Number(size));
      if (!(n >= 1)) throw goError('invalid size');
      return buffers.arrayBuffer(nodeRandomBytes(n));
    },
    hexEncode: (data: unknown) => Buffer.from(goBytes(data)).toString('hex'),
  };
  for (const alg of ALGORITHMS) {
    mod[alg] = (input: unknown, enc?: unknown) => encodeDigest(digestOnce(alg, goBytes(input)), enc, buffers);
  }
  return { ...mod, default: mod };
}
