import { createHmac, randomBytes } from 'node:crypto';
import { md4 } from '../modules/md4.ts';

// NTLM over HTTP as k6 does it for `params.auth: 'ntlm'` (go-ntlmssp's Negotiator): the request goes
// out without credentials; a 401 offering NTLM (or Negotiate) is answered with a NEGOTIATE message,
// the server's CHALLENGE with an NTLMv2 AUTHENTICATE message built from the URL's user and password
// (`DOMAIN\user` names a domain). MS-NLMP's message layouts, little-endian.

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

const FLAG_UNICODE = 1 << 0;
const FLAG_REQUEST_TARGET = 1 << 2;
const FLAG_NTLM = 1 << 9;
const FLAG_DOMAIN_SUPPLIED = 1 << 12;
const FLAG_ALWAYS_SIGN = 1 << 15;
const FLAG_EXTENDED_SESSION_SECURITY = 1 << 19;
const FLAG_TARGET_INFO = 1 << 23;
const FLAG_VERSION = 1 << 25;
const FLAG_128 = 1 << 29;
const FLAG_KEY_EXCH = 1 << 30;
const FLAG_56 = 2 ** 31;
const FLAG_LM_KEY = 1 << 7;

const NEGOTIATE_FLAGS =
  FLAG_UNICODE | FLAG_REQUEST_TARGET | FLAG_NTLM | FLAG_ALWAYS_SIGN | FLAG_EXTENDED_SESSION_SECURITY | FLAG_TARGET_INFO | FLAG_128;

/** Windows' FILETIME epoch (1601) is this many 100 ns ticks before Unix's. */
const FILETIME_UNIX_OFFSET = 116444736000000000n;
const AV_TIMESTAMP = 7;

export type NtlmScheme = 'NTLM' | 'Negotiate';

/** The scheme a 401's WWW-Authenticate values offer (NTLM preferred), or undefined. */
export function offeredScheme(values: readonly string[]): NtlmScheme | undefined {
  const schemes = values.flatMap((v) => v.split(',')).map((v) => v.trim().split(/\s+/)[0]?.toLowerCase());
  if (schemes.includes('ntlm')) return 'NTLM';
  if (schemes.includes('negotiate')) return 'Negotiate';
  return undefined;
}

/** The base64 token of a WWW-Authenticate value `NTLM <token>` / `Negotiate <token>`, if any. */
export function challengeToken(values: readonly string[]): Buffer | undefined {
  for (const v of values) {
    const m = /^\s*(?:NTLM|Negotiate)\s+([A-Za-z0-9+/=]+)\s*$/i.exec(v);
    if (m?.[1] !== undefined) return Buffer.from(m[1], 'base64');
  }
  return undefined;
}

/** `DOMAIN\user` → the domain and the user; any other name has no domain. */
export function splitDomain(user: string): { user: string; domain: string } {
  const i = user.indexOf('\\');
  return i < 0 ? { user, domain: '' } : { user: user.slice(i + 1), domain: user.slice(0, i) };
}

function u16(buf: Buffer, off: number, v: number): void {
  buf.writeUInt16LE(v, off);
}

/** A message's (length, max length, offset) field. */
function field(buf: Buffer, at: number, len: number, offset: number): void {
  u16(buf, at, len);
  u16(buf, at + 2, len);
  buf.writeUInt32LE(offset, at + 4);
}

/** The NEGOTIATE (type 1) message. */
export function negotiateMessage(domain: string): Buffer {
  const oemDomain = Buffer.from(domain, 'latin1');
  const head = Buffer.alloc(40);
  SIGNATURE.copy(head, 0);
  head.writeUInt32LE(1, 8);
  head.writeUInt32LE((NEGOTIATE_FLAGS | FLAG_56 | (domain === '' ? 0 : FLAG_DOMAIN_SUPPLIED)) >>> 0, 12);
  field(head, 16, oemDomain.length, 40);
  field(head, 24, 0, 40 + oemDomain.length);
  // Version: 6.1, build 7601, NTLM revision 15.
  Buffer.from([6, 1, 0xb1, 0x1d, 0, 0, 0, 15]).copy(head, 32);
  return Buffer.concat([head, oemDomain]);
}

interface Challenge {
  readonly flags: number;
  readonly serverChallenge: Buffer;
  readonly targetName: string;
  readonly targetInfo: Buffer | undefined;
  readonly timestamp: Buffer | undefined;
}

function slice(msg: Buffer, at: number): Buffer {
  const len = msg.readUInt16LE(at);
  const off = msg.readUInt32LE(at + 4);
  if (off + len > msg.length) throw new Error('NTLM challenge message is truncated');
  return msg.subarray(off, off + len);
}

export function parseChallenge(msg: Buffer): Challenge {
  if (msg.length < 32 || !msg.subarray(0, 8).equals(SIGNATURE) || msg.readUInt32LE(8) !== 2) {
    throw new Error('invalid NTLM challenge message');
  }
  const flags = msg.readUInt32LE(20);
  const name = slice(msg, 12);
  const targetName = flags & FLAG_UNICODE ? name.toString('utf16le') : name.toString('latin1');
  const targetInfo = msg.length >= 48 && msg.readUInt16LE(40) > 0 ? slice(msg, 40) : undefined;
  let timestamp: Buffer | undefined;
  for (let i = 0; targetInfo !== undefined && i + 4 <= targetInfo.length;) {
    const id = targetInfo.readUInt16LE(i);
    const len = targetInfo.readUInt16LE(i + 2);
    if (id === 0) break;
    if (id === AV_TIMESTAMP && len === 8) timestamp = targetInfo.subarray(i + 4, i + 12);
    i += 4 + len;
  }
  return { flags, serverChallenge: msg.subarray(24, 32), targetName, targetInfo, timestamp };
}

const hmacMd5 = (key: Uint8Array, ...parts: Uint8Array[]): Buffer => {
  const h = createHmac('md5', key);
  for (const p of parts) h.update(p);
  return h.digest();
};

const utf16 = (s: string): Buffer => Buffer.from(s, 'utf16le');

/** NTOWFv2: HMAC-MD5 of the MD4 password hash over the upper-cased user and the domain. */
export function ntlmV2Hash(password: string, user: string, domain: string): Buffer {
  return hmacMd5(md4(utf16(password)), utf16(user.toUpperCase() + domain));
}

/**
 * The AUTHENTICATE (type 3) message answering `challenge` (go-ntlmssp ProcessChallenge): NTLMv2 only,
 * the domain the user named (or none), no workstation, no session key.
 */
export function authenticateMessage(
  challengeMsg: Buffer, user: string, password: string, domain: string,
  now: bigint = BigInt(Date.now()) * 10000n + FILETIME_UNIX_OFFSET, clientChallenge: Buffer = randomBytes(8),
): Buffer {
  const c = parseChallenge(challengeMsg);
  if (c.flags & FLAG_LM_KEY) throw new Error('Only NTLM v2 is supported, but server requested v1 (NTLMSSP_NEGOTIATE_LM_KEY)');
  if (c.flags & FLAG_KEY_EXCH) throw new Error('Key exchange requested but not supported (NTLMSSP_NEGOTIATE_KEY_EXCH)');
  if (!(c.flags & FLAG_UNICODE)) throw new Error('Only unicode is supported');
  const target = domain === '' ? '' : c.targetName;
  let timestamp = c.timestamp;
  if (timestamp === undefined) {
    timestamp = Buffer.alloc(8);
    timestamp.writeBigUInt64LE(now);
  }
  const hash = ntlmV2Hash(password, user, target);
  const blob = Buffer.concat([
    Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]), timestamp, clientChallenge, Buffer.alloc(4), c.targetInfo ?? Buffer.alloc(0), Buffer.alloc(4),
  ]);
  const nt = Buffer.concat([hmacMd5(hash, c.serverChallenge, blob), blob]);
  const lm = c.targetInfo === undefined ? Buffer.concat([hmacMd5(hash, c.serverChallenge, clientChallenge), clientChallenge]) : Buffer.alloc(0);
  const domainBytes = utf16(target);
  const userBytes = utf16(user);
  const head = Buffer.alloc(64);
  SIGNATURE.copy(head, 0);
  head.writeUInt32LE(3, 8);
  let at = 64;
  const parts = [lm, nt, domainBytes, userBytes, Buffer.alloc(0), Buffer.alloc(0)];
  parts.forEach((p, i) => {
    field(head, 12 + i * 8, p.length, at);
    at += p.length;
  });
  head.writeUInt32LE((c.flags & ~FLAG_VERSION) >>> 0, 60);
  return Buffer.concat([head, ...parts]);
}
