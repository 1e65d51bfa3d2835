import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { md4 } from '../modules/md4.ts';
import { createFakeHost, type FakeHost } from './fake-vu-host.test-helper.ts';
import { createHttpModule } from './http-module.ts';
import { ntlmV2Hash, offeredScheme, splitDomain } from './ntlm-auth.ts';
import type { Response } from './response.ts';

describe('NTLM pieces', () => {
  it('NTOWFv2 of MS-NLMP 4.2.4 (User, Domain, Password)', () => {
    expect(ntlmV2Hash('Password', 'User', 'Domain').toString('hex')).toBe('0c868a403bfd7a93a3001ef22ef02e3f');
  });
  it('reads the offered scheme and a DOMAIN\\user name', () => {
    expect(offeredScheme(['Negotiate', 'NTLM'])).toBe('NTLM');
    expect(offeredScheme(['Negotiate'])).toBe('Negotiate');
    expect(offeredScheme(['Basic realm="x"'])).toBeUndefined();
    expect(splitDomain('CORP\\ann')).toEqual({ user: 'ann', domain: 'CORP' });
    expect(splitDomain('ann')).toEqual({ user: 'ann', domain: '' });
  });
});

// A server that checks the handshake as a Windows server would: on one connection, a NEGOTIATE
// message, then an AUTHENTICATE message whose NTLMv2 proof matches the password.
const SERVER_CHALLENGE = Buffer.from('0123456789abcdef', 'hex');
const utf16 = (s: string): Buffer => Buffer.from(s, 'utf16le');

function challengeMessage(): Buffer {
  const target = utf16('CORP');
  const info = Buffer.concat([
    Buffer.from([2, 0, target.length, 0]), target, // MsvAvNbDomainName
    Buffer.from([0, 0, 0, 0]), // MsvAvEOL
  ]);
  const head = Buffer.alloc(56);
  head.write('NTLMSSP\0', 0, 'latin1');
  head.writeUInt32LE(2, 8);
  head.writeUInt16LE(target.length, 12); head.writeUInt16LE(target.length, 14); head.writeUInt32LE(56, 16);
  head.writeUInt32LE((0x1 | 0x200 | 0x80000 | 0x800000) >>> 0, 20);
  SERVER_CHALLENGE.copy(head, 24);
  head.writeUInt16LE(info.length, 40); head.writeUInt16LE(info.length, 42); head.writeUInt32LE(56 + target.length, 44);
  return Buffer.concat([head, target, info]);
}

function field(msg: Buffer, at: number): Buffer {
  const len = msg.readUInt16LE(at);
  const off = msg.readUInt32LE(at + 4);
  return msg.subarray(off, off + len);
}

function verifies(type3: Buffer, password: string): string | undefined {
  if (type3.toString('latin1', 0, 8) !== 'NTLMSSP\0' || type3.readUInt32LE(8) !== 3) return undefined;
  const nt = field(type3, 20);
  const domain = field(type3, 28).toString('utf16le');
  const user = field(type3, 36).toString('utf16le');
  const hash = createHmac('md5', md4(utf16(password))).update(utf16(user.toUpperCase() + domain)).digest();
  const blob = nt.subarray(16);
  const proof = createHmac('md5', hash).update(SERVER_CHALLENGE).update(blob).digest();
  return proof.equals(nt.subarray(0, 16)) ? `${domain}\\${user}` : undefined;
}

let server: ReturnType<typeof createServer> | undefined;
const opened: FakeHost[] = [];
afterEach(async () => {
  for (const h of opened.splice(0)) await h.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

async function ntlmServer(offer: string[]): Promise<{ url: string; seen: { auth: string; socket: Socket }[] }> {
  const seen: { auth: string; socket: Socket }[] = [];
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const auth = req.headers.authorization ?? '';
    seen.push({ auth, socket: req.socket });
    const token = /^(?:NTLM|Negotiate) (.+)$/.exec(auth)?.[1];
    const msg = token === undefined ? undefined : Buffer.from(token, 'base64');
    if (msg !== undefined && msg.readUInt32LE(8) === 1) {
      res.writeHead(401, { 'WWW-Authenticate': `${auth.split(' ')[0]} ${challengeMessage().toString('base64')}` }).end();
    } else if (msg !== undefined && msg.readUInt32LE(8) === 3) {
      const who = verifies(msg, 'S3cret');
      res.writeHead(who === undefined ? 401 : 200).end(who === undefined ? 'denied' : `hello ${who}`);
    } else if (auth.startsWith('Basic ')) {
      res.writeHead(200).end(`basic ${Buffer.from(auth.slice(6), 'base64').toString()}`);
    } else {
      res.writeHead(401, offer.map((o) => ['WWW-Authenticate', o]).flat() as unknown as Record<string, string>).end();
    }
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function vu(): { host: FakeHost; get: (url: string, params?: unknown) => Promise<Response> } {
  const host = createFakeHost({});
  opened.push(host);
  const http = createHttpModule(host);
  host.startIteration();
  return { host, get: (url, params) => (http.get as (u: string, p?: unknown) => Promise<Response>)(url, params) };
}

describe("params.auth 'ntlm'", () => {
  it('negotiates on one connection with the URL credentials, DOMAIN\\user naming the domain', async () => {
    const srv = await ntlmServer(['NTLM', 'Negotiate']);
    const { host, get } = vu();
    const res = await get(srv.url.replace('http://', 'http://CORP%5Cann:S3cret@') + '/doc', { auth: 'ntlm' });
    expect([res.status, res.body]).toEqual([200, 'hello CORP\\ann']);
    expect(srv.seen.map((s) => s.auth.split(' ')[0])).toEqual(['', 'NTLM', 'NTLM']);
    expect(new Set(srv.seen.map((s) => s.socket)).size).toBe(1);
    // Three round trips, three samples: k6 forgives only the first 401.
    expect(host.samplesOf('http_reqs').map((s) => s.tags.status)).toEqual(['401', '401', '200']);
    expect(host.samplesOf('http_req_failed').map((s) => s.value)).toEqual([0, 1, 0]);
  });

  it('a wrong password ends with the server\'s 401; a 401 without NTLM is retried with Basic', async () => {
    const srv = await ntlmServer(['NTLM']);
    const { get } = vu();
    const bad = await get(srv.url.replace('http://', 'http://ann:nope@') + '/', { auth: 'ntlm' });
    expect([bad.status, bad.body]).toEqual([401, 'denied']);
    await new Promise((r) => server?.close(r));
    const basic = await ntlmServer(['Basic realm="x"']);
    const res = await vu().get(basic.url.replace('http://', 'http://ann:pw@') + '/', { auth: 'ntlm' });
    expect([res.status, res.body]).toEqual([200, 'basic ann:pw']);
    expect(basic.seen.map((s) => s.auth.split(' ')[0])).toEqual(['', 'Basic']);
  });

  it('without URL credentials the request goes as it is', async () => {
    const srv = await ntlmServer(['NTLM']);
    const res = await vu().get(`${srv.url}/`, { auth: 'ntlm' });
    expect(res.status).toBe(401);
    expect(srv.seen).toHaveLength(1);
  });
});
