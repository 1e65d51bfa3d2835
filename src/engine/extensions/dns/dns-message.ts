// The DNS messages xk6-dns exchanges (miekg/dns, dns/client.go Resolve): a query with recursion
// desired and an EDNS0 OPT record (4096-byte UDP size), and the answer section of the response read
// into strings (A, AAAA as Go prints IPs, TXT joined), any other answer type failing as the extension.
import { formatGoIp } from '../../options/go-ip.ts';

export const RECORD_TYPES: Readonly<Record<string, number>> = { A: 1, TXT: 16, AAAA: 28 };

/** The miekg/dns Go type a record type unpacks to, for the extension's "unhandled DNS answer type". */
const MIEKG_TYPES: Readonly<Record<number, string>> = {
  2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 13: 'HINFO', 15: 'MX', 33: 'SRV', 35: 'NAPTR', 39: 'DNAME', 41: 'OPT',
  43: 'DS', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 52: 'TLSA', 64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 257: 'CAA',
};

export class DnsPackError extends Error {}
export class DnsUnpackError extends Error {}
export class UnhandledAnswerError extends Error {}

/** The wire form of `name` (already ending with a dot), as miekg packs it. */
function packName(name: string): number[] {
  if (name === '.') return [0];
  const labels = name.slice(0, -1).split('.');
  const out: number[] = [];
  for (const label of labels) {
    const bytes = new TextEncoder().encode(label);
    if (bytes.length === 0 || bytes.length > 63) throw new DnsPackError('dns: bad rdata');
    out.push(bytes.length, ...bytes);
  }
  out.push(0);
  if (out.length > 255) throw new DnsPackError('dns: domain name exceeded 255 wire-format octets');
  return out;
}

/** A query for `query + "."` of this type, with RD and EDNS0 (UDP size 4096, DO off). */
export function buildQuery(query: string, type: number, id: number): Uint8Array {
  const header = [id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1];
  const question = [...packName(`${query}.`), type >> 8, type & 0xff, 0, 1];
  const opt = [0, 0, 41, 0x10, 0x00, 0, 0, 0, 0, 0, 0];
  return Uint8Array.from([...header, ...question, ...opt]);
}

export interface DnsResponse {
  readonly rcode: number;
  readonly answers: string[];
}

class Reader {
  constructor(readonly buf: Uint8Array, public pos = 0) {}

  u8(): number {
    if (this.pos >= this.buf.length) throw new DnsUnpackError('dns: overflow unpacking uint8');
    return this.buf[this.pos++] ?? 0;
  }

  u16(): number {
    if (this.pos + 2 > this.buf.length) throw new DnsUnpackError('dns: overflow unpacking uint16');
    const v = ((this.buf[this.pos] ?? 0) << 8) | (this.buf[this.pos + 1] ?? 0);
    this.pos += 2;
    return v;
  }

  u32(): number {
    if (this.pos + 4 > this.buf.length) throw new DnsUnpackError('dns: overflow unpacking uint32');
    const v = (this.u16() * 0x10000) + this.u16();
    return v;
  }

  /** Skips a (possibly compressed) domain name. */
  skipName(): void {
    let jumps = 0;
    let pos = this.pos;
    let end: number | undefined;
    for (;;) {
      if (pos >= this.buf.length) throw new DnsUnpackError('dns: buffer size too small');
      const len = this.buf[pos] ?? 0;
      if (len === 0) {
        pos++;
        break;
      }
      if ((len & 0xc0) === 0xc0) {
        if (pos + 1 >= this.buf.length) throw new DnsUnpackError('dns: buffer size too small');
        if (++jumps > 100) throw new DnsUnpackError('dns: too many compression pointers');
        end ??= pos + 2;
        pos = ((len & 0x3f) << 8) | (this.buf[pos + 1] ?? 0);
        continue;
      }
      pos += len + 1;
    }
    this.pos = end ?? pos;
  }

  bytes(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new DnsUnpackError('dns: overflow unpacking rdata');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

function rdataText(type: number, rdata: Uint8Array): string {
  switch (type) {
    case 1:
    case 28:
      if (rdata.length !== (type === 1 ? 4 : 16)) throw new DnsUnpackError('dns: overflow unpacking rdata');
      return formatGoIp(rdata);
    case 16: {
      const parts: string[] = [];
      for (let i = 0; i < rdata.length;) {
        const len = rdata[i] ?? 0;
        parts.push(new TextDecoder().decode(rdata.subarray(i + 1, i + 1 + len)));
        i += len + 1;
      }
      return parts.join('');
    }
    default:
      throw new UnhandledAnswerError(`*dns.${MIEKG_TYPES[type] ?? 'RFC3597'}`);
  }
}

/** The response's rcode (extended by the OPT record) and its answers as the extension reads them. */
export function parseResponse(buf: Uint8Array): DnsResponse {
  const r = new Reader(buf);
  if (buf.length < 12) throw new DnsUnpackError('dns: overflowing header size');
  r.u16();
  const flags = r.u16();
  const qd = r.u16();
  const an = r.u16();
  const ns = r.u16();
  const ar = r.u16();
  for (let i = 0; i < qd; i++) {
    r.skipName();
    r.u16();
    r.u16();
  }
  const records = (count: number): { type: number; ttl: number; rdata: Uint8Array }[] => {
    const out = [];
    for (let i = 0; i < count; i++) {
      r.skipName();
      const type = r.u16();
      r.u16();
      const ttl = r.u32();
      const len = r.u16();
      out.push({ type, ttl, rdata: r.bytes(len) });
    }
    return out;
  };
  const answerRecords = records(an);
  records(ns);
  const extra = records(ar);
  let rcode = flags & 0x0f;
  const opt = extra.find((x) => x.type === 41);
  if (opt !== undefined) rcode |= (opt.ttl >>> 24) << 4;
  // Every answer is read (an unhandled type fails) only once the rcode says success.
  return {
    rcode,
    get answers(): string[] {
      return answerRecords.map((a) => rdataText(a.type, a.rdata));
    },
  };
}
