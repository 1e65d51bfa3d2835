// k6/crypto/x509: parse, getAltNames, getIssuer, getSubject (k6 internal/js/modules/k6/crypto/x509/x509.go).
// The certificate is read with a small DER reader (der-reader.ts) because k6's objects carry what Go's
// crypto/x509 gives and node:crypto's X509Certificate does not: every RDN with its OID in order, the
// raw public-key numbers (RSA n/e, ECDSA x/y, DSA p/q/g/y) and Go's signature-algorithm names.
// node:crypto validates the DER first, as Go's parser does.
import { createHash, X509Certificate } from 'node:crypto';
import { goError } from '../vu/go-error.ts';
import { children, DerReader, oidText, stringValue, TAG, timeValue, unsignedInt, type Tlv } from './der-reader.ts';

/** What the module needs of the script realm: its plain objects and arrays (`Array.isArray`, `instanceof`). */
export interface X509Realm {
  object(entries?: Record<string, unknown>): Record<string, unknown>;
  parseJson(text: string): unknown;
}

export interface Rdn { type: string; value: string }

export interface Name {
  commonName: string;
  country: string;
  postalCode: string;
  stateOrProvinceName: string;
  localityName: string;
  streetAddress: string;
  organizationName: string;
  organizationalUnitName: string[];
  names: Rdn[];
}

export interface Parsed {
  raw: Uint8Array;
  signatureAlgorithm: string;
  issuer: Name;
  subject: Name;
  notBefore: string;
  notAfter: string;
  spki: Tlv;
  altNames: string[];
}

const SIGNATURE_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'MD2-RSA',
  '1.2.840.113549.1.1.4': 'MD5-RSA',
  '1.2.840.113549.1.1.5': 'SHA1-RSA',
  '1.3.14.3.2.29': 'SHA1-RSA',
  '1.2.840.113549.1.1.11': 'SHA256-RSA',
  '1.2.840.113549.1.1.12': 'SHA384-RSA',
  '1.2.840.113549.1.1.13': 'SHA512-RSA',
  '1.2.840.10040.4.3': 'DSA-SHA1',
  '2.16.840.1.101.3.4.3.2': 'DSA-SHA256',
  '1.2.840.10045.4.1': 'ECDSA-SHA1',
  '1.2.840.10045.4.3.2': 'ECDSA-SHA256',
  '1.2.840.10045.4.3.3': 'ECDSA-SHA384',
  '1.2.840.10045.4.3.4': 'ECDSA-SHA512',
  '1.3.101.112': 'Ed25519',
};
const RSA_PSS = '1.2.840.113549.1.1.10';
const PSS_HASHES: Readonly<Record<string, string>> = {
  '2.16.840.1.101.3.4.2.1': 'SHA256-RSAPSS',
  '2.16.840.1.101.3.4.2.2': 'SHA384-RSAPSS',
  '2.16.840.1.101.3.4.2.3': 'SHA512-RSAPSS',
};

const CURVES: Readonly<Record<string, { name: string; bitSize: number }>> = {
  '1.2.840.10045.3.1.1': { name: 'P-192', bitSize: 192 },
  '1.3.132.0.33': { name: 'P-224', bitSize: 224 },
  '1.2.840.10045.3.1.7': { name: 'P-256', bitSize: 256 },
  '1.3.132.0.34': { name: 'P-384', bitSize: 384 },
  '1.3.132.0.35': { name: 'P-521', bitSize: 521 },
};

function malformed(what: string): Error {
  return goError(`failed to parse certificate: x509: malformed ${what}`);
}

/** Go's pem.Decode: the first PEM block of any type, its base64 body decoded. */
function pemBlock(input: string): Uint8Array | undefined {
  const m = /-----BEGIN ([^\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/.exec(input);
  if (m === null) return undefined;
  const body = (m[2] as string).split(/\r?\n/).filter((l) => !l.includes(':')).join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body.trim())) return undefined;
  return new Uint8Array(Buffer.from(body.trim(), 'base64'));
}

function goFirst(values: readonly string[]): string {
  return values[0] ?? '';
}

/** pkix.Name from an RDNSequence: every attribute in `names`, the well-known ones in their fields. */
function readName(tlv: Tlv | undefined, what: string): Name {
  const sets = tlv?.tag === TAG.sequence ? children(tlv) : undefined;
  if (sets === undefined) throw malformed(what);
  const name: Name = { commonName: '', country: '', postalCode: '', stateOrProvinceName: '', localityName: '', streetAddress: '', organizationName: '', organizationalUnitName: [], names: [] };
  const lists: Record<string, string[]> = {};
  for (const set of sets) {
    for (const atv of children(set) ?? []) {
      const [oid, value] = children(atv) ?? [];
      if (oid?.tag !== TAG.oid || value === undefined) throw malformed(what);
      const type = oidText(oid.content);
      const text = stringValue(value) ?? Buffer.from(value.raw).toString('hex');
      name.names.push({ type, value: text });
      if (type === '2.5.4.3') name.commonName = text;
      else (lists[type] ??= []).push(text);
    }
  }
  name.country = goFirst(lists['2.5.4.6'] ?? []);
  name.localityName = goFirst(lists['2.5.4.7'] ?? []);
  name.stateOrProvinceName = goFirst(lists['2.5.4.8'] ?? []);
  name.streetAddress = goFirst(lists['2.5.4.9'] ?? []);
  name.organizationName = goFirst(lists['2.5.4.10'] ?? []);
  name.organizationalUnitName = lists['2.5.4.11'] ?? [];
  name.postalCode = goFirst(lists['2.5.4.17'] ?? []);
  return name;
}

function signatureAlgorithm(alg: Tlv | undefined): string {
  const [oid, params] = alg === undefined ? [] : children(alg) ?? [];
  if (oid?.tag !== TAG.oid) return 'UnknownSignatureAlgorithm';
  const text = oidText(oid.content);
  if (text !== RSA_PSS) return SIGNATURE_ALGORITHMS[text] ?? 'UnknownSignatureAlgorithm';
  // RSASSA-PSS-params: [0] hashAlgorithm { OID … }
  const hash = params === undefined ? undefined : children(params)?.find((c) => c.tag === 0xa0);
  const hashAlg = hash === undefined ? undefined : children(hash)?.[0];
  const hashOid = hashAlg === undefined ? undefined : children(hashAlg)?.[0];
  return hashOid?.tag === TAG.oid ? PSS_HASHES[oidText(hashOid.content)] ?? 'UnknownSignatureAlgorithm' : 'UnknownSignatureAlgorithm';
}

/** net.IP.String(): dotted IPv4 (also for v4-in-v6), RFC 5952 text for IPv6. */
function ipText(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length !== 16) return `?${Buffer.from(b).toString('hex')}`;
  if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return Array.from(b.subarray(12)).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] as number) << 8) | (b[i + 1] as number));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** subjectAltName in Go's order: DNS names, e-mail addresses, IP addresses, URIs. */
function altNamesOf(extensions: Tlv | undefined): string[] {
  const groups: Record<number, string[]> = { 0x82: [], 0x81: [], 0x87: [], 0x86: [] };
  const list = extensions === undefined ? undefined : children(extensions)?.[0];
  for (const ext of (list === undefined ? undefined : children(list)) ?? []) {
    const parts = children(ext) ?? [];
    if (parts[0]?.tag !== TAG.oid || oidText(parts[0].content) !== '2.5.29.17') continue;
    const value = parts[parts.length - 1];
    const seq = value?.tag === TAG.octetString ? new DerReader(value.content).read() : undefined;
    for (const gn of (seq === undefined ? undefined : children(seq)) ?? []) {
      const bucket = groups[gn.tag];
      if (bucket === undefined) continue;
      bucket.push(gn.tag === 0x87 ? ipText(gn.content) : Buffer.from(gn.content).toString('latin1'));
    }
  }
  return [...(groups[0x82] ?? []), ...(groups[0x81] ?? []), ...(groups[0x87] ?? []), ...(groups[0x86] ?? [])];
}

/** The certificate a script passed (PEM text, or its bytes), read as Go's x509.ParseCertificate does. */
function parseCertificate(encoded: unknown): Parsed {
  const text = typeof encoded === 'string' ? encoded : encoded instanceof Uint8Array || ArrayBuffer.isView(encoded) || Object.prototype.toString.call(encoded) === '[object ArrayBuffer]'
    ? Buffer.from(ArrayBuffer.isView(encoded) ? new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength) : new Uint8Array(encoded as ArrayBuffer)).toString('latin1')
    : encoded === undefined || encoded === null ? '' : String(encoded);
  const der = pemBlock(text);
  if (der === undefined) throw goError('failed to decode certificate PEM file');
  return parseCertificateDer(der);
}

/**
 * A DER certificate read as Go's x509.ParseCertificate does (k6/x/tls reads a server's with it);
 * throws a GoError `failed to parse certificate: x509: malformed …`.
 */
export function parseCertificateDer(der: Uint8Array): Parsed {
  const cert = new DerReader(der).read();
  const [tbs, sigAlg] = cert?.tag === TAG.sequence ? children(cert) ?? [] : [];
  if (tbs?.tag !== TAG.sequence) throw malformed('certificate');
  const r = new DerReader(tbs.content);
  r.readIf(0xa0); // [0] version
  if (r.readIf(TAG.integer) === undefined) throw malformed('serial number');
  const innerSig = r.readIf(TAG.sequence);
  if (innerSig === undefined) throw malformed('signature algorithm identifier');
  const issuerTlv = r.read();
  const issuer = readName(issuerTlv, 'issuer');
  const validity = r.readIf(TAG.sequence);
  const [from, to] = validity === undefined ? [] : children(validity) ?? [];
  const notBefore = from === undefined ? undefined : timeValue(from);
  const notAfter = to === undefined ? undefined : timeValue(to);
  if (notBefore === undefined || notAfter === undefined) throw malformed('validity');
  const subject = readName(r.read(), 'subject');
  const spki = r.readIf(TAG.sequence);
  if (spki === undefined) throw malformed('spki');
  let extensions: Tlv | undefined;
  while (!r.done) {
    const t = r.read();
    if (t === undefined) throw malformed('tbs certificate');
    if (t.tag === 0xa3) extensions = t;
  }
  try {
    new X509Certificate(der); // what Go's parser also rejects (bad signature encoding, trailing data…)
  } catch {
    throw malformed('certificate');
  }
  return { raw: der, signatureAlgorithm: signatureAlgorithm(sigAlg), issuer, subject, notBefore, notAfter, spki, altNames: altNamesOf(extensions) };
}

/** k6's PublicKey: the algorithm and Go's key struct (big integers as BigInt). */
function publicKey(spki: Tlv): { algorithm: string; key: Record<string, unknown> } {
  const [alg, bits] = children(spki) ?? [];
  const [oid, params] = alg === undefined ? [] : children(alg) ?? [];
  const algOid = oid?.tag === TAG.oid ? oidText(oid.content) : '';
  const keyBytes = bits?.tag === TAG.bitString ? bits.content.subarray(1) : new Uint8Array();
  const ints = (t: Tlv | undefined): bigint[] => (t === undefined ? [] : (children(t) ?? []).map((c) => unsignedInt(c.content)));
  if (algOid === '1.2.840.113549.1.1.1') {
    const [n = 0n, e = 0n] = ints(new DerReader(keyBytes).read());
    return { algorithm: 'RSA', key: { n, e: Number(e) } };
  }
  if (algOid === '1.2.840.10040.4.1') {
    const [p = 0n, q = 0n, g = 0n] = ints(params);
    const y = new DerReader(keyBytes).read();
    return { algorithm: 'DSA', key: { parameters: { p, q, g }, y: y === undefined ? 0n : unsignedInt(y.content) } };
  }
  if (algOid === '1.2.840.10045.2.1') {
    const curve = params?.tag === TAG.oid ? CURVES[oidText(params.content)] : undefined;
    if (curve !== undefined && keyBytes[0] === 4) {
      const size = (keyBytes.length - 1) / 2;
      const x = unsignedInt(keyBytes.subarray(1, 1 + size));
      const y = unsignedInt(keyBytes.subarray(1 + size));
      const info = { name: curve.name, bitSize: curve.bitSize };
      return { algorithm: 'ECDSA', key: { curve: { params: () => ({ ...info }) }, x, y } };
    }
  }
  throw goError('unsupported public key algorithm');
}

export function createX509Module(realm: X509Realm): Record<string, unknown> {
  /** A copy of a host value made of the realm's objects and arrays (functions and bigints kept). */
  const toRealm = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      const arr = realm.parseJson('[]') as unknown[];
      for (const x of v) arr.push(toRealm(x));
      return arr;
    }
    if (v !== null && typeof v === 'object') {
      const o = realm.object();
      for (const [k, x] of Object.entries(v)) o[k] = toRealm(x);
      return o;
    }
    return v;
  };
  const issuerOf = (n: Name): Record<string, unknown> => ({
    commonName: n.commonName, country: n.country, stateOrProvinceName: n.stateOrProvinceName,
    localityName: n.localityName, organizationName: n.organizationName, names: n.names,
  });
  return {
    parse(encoded: unknown): unknown {
      const c = parseCertificate(encoded);
      const key = publicKey(c.spki);
      return toRealm({
        subject: c.subject,
        issuer: issuerOf(c.issuer),
        notBefore: c.notBefore,
        notAfter: c.notAfter,
        altNames: c.altNames,
        signatureAlgorithm: c.signatureAlgorithm,
        fingerPrint: Array.from(createHash('sha1').update(c.raw).digest()),
        publicKey: key,
      });
    },
    getAltNames: (encoded: unknown): unknown => toRealm(parseCertificate(encoded).altNames),
    getIssuer: (encoded: unknown): unknown => toRealm(issuerOf(parseCertificate(encoded).issuer)),
    getSubject: (encoded: unknown): unknown => toRealm(parseCertificate(encoded).subject),
  };
}
