// Go's encoding/base64 and encoding/hex decoders, with their error texts: Node's decoders skip bad
// input silently, while k6/x/tcp's write() rejects it ("illegal base64 data at input byte 4",
// "encoding/hex: invalid byte: U+0067 'g'"). Both work on the string's UTF-8 bytes, as Go does.
import { TcpArgError } from './tcp-arg-error.ts';

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function decodeMap(alphabet: string): Int16Array {
  const map = new Int16Array(256).fill(-1);
  for (let i = 0; i < alphabet.length; i++) map[alphabet.charCodeAt(i)] = i;
  return map;
}

const STD_MAP = decodeMap(STD);
const URL_MAP = decodeMap(URL);
const PAD = 0x3d; // '='
const LF = 0x0a;
const CR = 0x0d;

function corrupt(at: number): TcpArgError {
  return new TcpArgError(`illegal base64 data at input byte ${at}`);
}

/** base64.StdEncoding (url false, padded), URLEncoding (url, padded) or RawURLEncoding (url, unpadded). */
export function decodeGoBase64(text: string, encoding: { url: boolean; padded: boolean }): Uint8Array {
  const src = new TextEncoder().encode(text);
  const map = encoding.url ? URL_MAP : STD_MAP;
  const out: number[] = [];
  let si = 0;
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let trailing: number | undefined;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Uint8Array.from(out);
        if (j === 1 || encoding.padded) throw corrupt(si - j);
        dlen = j;
        break;
      }
      const c = src[si] ?? 0;
      si++;
      const v = map[c] ?? -1;
      if (v >= 0) {
        dbuf[j] = v;
        continue;
      }
      if (c === LF || c === CR) {
        j--;
        continue;
      }
      if (!encoding.padded || c !== PAD) throw corrupt(si - 1);
      // Padding: the end of the data.
      if (j === 0 || j === 1) throw corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && (src[si] === LF || src[si] === CR)) si++;
        if (si === src.length) throw corrupt(src.length);
        if (src[si] !== PAD) throw corrupt(si - 1);
        si++;
      }
      while (si < src.length && (src[si] === LF || src[si] === CR)) si++;
      if (si < src.length) trailing = si;
      dlen = j;
      break;
    }
    const val = ((dbuf[0] ?? 0) << 18) | ((dbuf[1] ?? 0) << 12) | ((dbuf[2] ?? 0) << 6) | (dbuf[3] ?? 0);
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (trailing !== undefined) throw corrupt(trailing);
  }
  return Uint8Array.from(out);
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** Go's %#U of one byte read as a rune: "U+0067 'g'", or "U+0001" when not printable. */
function goRuneText(b: number): string {
  const code = `U+${b.toString(16).toUpperCase().padStart(4, '0')}`;
  const printable = (b >= 0x20 && b < 0x7f) || b >= 0xa1 && b !== 0xad;
  return printable ? `${code} '${String.fromCharCode(b)}'` : code;
}

function invalidByte(b: number): TcpArgError {
  return new TcpArgError(`encoding/hex: invalid byte: ${goRuneText(b)}`);
}

/** hex.DecodeString. */
export function decodeGoHex(text: string): Uint8Array {
  const src = new TextEncoder().encode(text);
  const out = new Uint8Array(src.length >> 1);
  let i = 0;
  let j = 1;
  for (; j < src.length; j += 2) {
    const p = src[j - 1] ?? 0;
    const q = src[j] ?? 0;
    const a = hexValue(p);
    const b = hexValue(q);
    if (a < 0) throw invalidByte(p);
    if (b < 0) throw invalidByte(q);
    out[i++] = (a << 4) | b;
  }
  if (src.length % 2 === 1) {
    const last = src[j - 1] ?? 0;
    if (hexValue(last) < 0) throw invalidByte(last);
    throw new TcpArgError('encoding/hex: odd length hex string');
  }
  return out;
}
