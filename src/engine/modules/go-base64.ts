// Base64 decoding as Go's encoding/base64 does it for k6/encoding's b64decode: the same accepted
// inputs (CR and LF are skipped, padding is required by std/url and refused by rawstd/rawurl,
// non-zero trailing bits are tolerated) and the same error, "illegal base64 data at input byte N",
// N being the byte offset Go reports. A port of Encoding.decodeQuantum (Go 1.22+).
import { goError } from '../vu/go-error.ts';

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function decodeMap(alphabet: string): Uint8Array {
  const map = new Uint8Array(256).fill(0xff);
  for (let i = 0; i < alphabet.length; i++) map[alphabet.charCodeAt(i)] = i;
  return map;
}

const MAPS = { std: decodeMap(STD), url: decodeMap(URL_SAFE) };
const PAD = 0x3d;
const isNewline = (c: number | undefined): boolean => c === 0x0a || c === 0x0d;

class CorruptInput extends Error {
  constructor(readonly at: number) {
    super(`illegal base64 data at input byte ${at}`);
  }
}

/** Decodes one quantum from src[si]: the next si and the bytes it gave (pushed onto out). */
function decodeQuantum(src: Uint8Array, si: number, map: Uint8Array, padded: boolean, out: number[]): number {
  const dbuf = [0, 0, 0, 0];
  let dlen = 4;
  let trailing: number | undefined;
  for (let j = 0; j < 4; j++) {
    if (si === src.length) {
      if (j === 0) return si;
      if (j === 1 || padded) throw new CorruptInput(si - j);
      dlen = j;
      break;
    }
    const c = src[si] as number;
    si++;
    const v = map[c] as number;
    if (v !== 0xff) {
      dbuf[j] = v;
      continue;
    }
    if (isNewline(c)) {
      j--;
      continue;
    }
    if (!padded || c !== PAD) throw new CorruptInput(si - 1);
    // Padding: the end of the data.
    if (j === 0 || j === 1) throw new CorruptInput(si - 1);
    if (j === 2) {
      while (si < src.length && isNewline(src[si])) si++;
      if (si === src.length) throw new CorruptInput(src.length);
      if (src[si] !== PAD) throw new CorruptInput(si - 1);
      si++;
    }
    while (si < src.length && isNewline(src[si])) si++;
    if (si < src.length) trailing = si;
    dlen = j;
    break;
  }
  const val = ((dbuf[0] as number) << 18) | ((dbuf[1] as number) << 12) | ((dbuf[2] as number) << 6) | (dbuf[3] as number);
  const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
  for (let i = 0; i < dlen - 1; i++) out.push(bytes[i] as number);
  if (trailing !== undefined) throw new CorruptInput(trailing);
  return si;
}

export type GoBase64 = 'std' | 'rawstd' | 'url' | 'rawurl';

/** The bytes of `text` (UTF-8) decoded as Go's base64 encoding `variant`; throws k6's GoError. */
export function goBase64Decode(text: string, variant: GoBase64): Uint8Array {
  const src = Buffer.from(text, 'utf8');
  const map = variant === 'std' || variant === 'rawstd' ? MAPS.std : MAPS.url;
  const padded = variant === 'std' || variant === 'url';
  const out: number[] = [];
  try {
    for (let si = 0; si < src.length;) si = decodeQuantum(src, si, map, padded, out);
  } catch (e) {
    if (e instanceof CorruptInput) throw goError(e.message);
    throw e;
  }
  return Uint8Array.from(out);
}
