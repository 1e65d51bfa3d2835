// A minimal ASN.1 DER reader: just what reading an X.509 certificate's fields needs (k6/crypto/x509).

export interface Tlv {
  /** The identifier octet (class, constructed bit and tag number; only single-octet tags). */
  readonly tag: number;
  readonly content: Uint8Array;
  /** Header and content: the element as it appears in the input. */
  readonly raw: Uint8Array;
}

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  t61String: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  universalString: 0x1c,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const;

export class DerReader {
  readonly #bytes: Uint8Array;
  #pos = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  get done(): boolean {
    return this.#pos >= this.#bytes.length;
  }

  peekTag(): number | undefined {
    return this.#bytes[this.#pos];
  }

  /** The next element; undefined when the input is malformed or exhausted. */
  read(): Tlv | undefined {
    const b = this.#bytes;
    const start = this.#pos;
    if (start + 2 > b.length) return undefined;
    const tag = b[start] as number;
    if ((tag & 0x1f) === 0x1f) return undefined; // multi-octet tags: not used by certificates
    let len = b[start + 1] as number;
    let header = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4 || start + 2 + n > b.length) return undefined;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + (b[start + 2 + i] as number);
      header += n;
    }
    const end = start + header + len;
    if (end > b.length) return undefined;
    this.#pos = end;
    return { tag, content: b.subarray(start + header, end), raw: b.subarray(start, end) };
  }

  /** The next element when it has this tag (else undefined, and nothing is consumed). */
  readIf(tag: number): Tlv | undefined {
    return this.peekTag() === tag ? this.read() : undefined;
  }
}

export function children(tlv: Tlv): Tlv[] | undefined {
  const r = new DerReader(tlv.content);
  const out: Tlv[] = [];
  while (!r.done) {
    const c = r.read();
    if (c === undefined) return undefined;
    out.push(c);
  }
  return out;
}

/** Dotted form of an OBJECT IDENTIFIER's content ("2.5.4.3"). */
export function oidText(content: Uint8Array): string {
  const parts: number[] = [];
  let v = 0;
  for (const byte of content) {
    v = v * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      parts.push(v);
      v = 0;
    }
  }
  const first = parts.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}

/** An INTEGER's content as an unsigned big integer (key material is never negative). */
export function unsignedInt(content: Uint8Array): bigint {
  let v = 0n;
  for (const byte of content) v = (v << 8n) | BigInt(byte);
  return v;
}

/** A string-typed value (PrintableString, UTF8String, IA5String, BMPString…); undefined for other types. */
export function stringValue(tlv: Tlv): string | undefined {
  switch (tlv.tag) {
    case TAG.utf8String:
    case TAG.printableString:
    case TAG.ia5String:
      return new TextDecoder().decode(tlv.content);
    case TAG.t61String:
      return Buffer.from(tlv.content).toString('latin1');
    case TAG.bmpString:
      return tlv.content.length % 2 === 0 ? Buffer.from(tlv.content).swap16().toString('utf16le') : undefined;
    case TAG.universalString: {
      let s = '';
      for (let i = 0; i + 3 < tlv.content.length; i += 4) {
        s += String.fromCodePoint(new DataView(tlv.content.buffer, tlv.content.byteOffset + i, 4).getUint32(0));
      }
      return s;
    }
    default:
      return undefined;
  }
}

/** UTCTime or GeneralizedTime as Go's time.RFC3339 in UTC ("2019-01-01T00:00:00Z"). */
export function timeValue(tlv: Tlv): string | undefined {
  const text = Buffer.from(tlv.content).toString('latin1');
  const m = tlv.tag === TAG.utcTime
    ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
    : tlv.tag === TAG.generalizedTime ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : null;
  if (m === null) return undefined;
  let year = m[1] as string;
  if (year.length === 2) year = `${Number(year) < 50 ? '20' : '19'}${year}`;
  return `${year}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
}
