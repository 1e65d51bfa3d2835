import * as net from 'node:net';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeHost } from '../../http/fake-vu-host.test-helper.ts';
import { VuEventLoop } from '../../vu/vu-event-loop.ts';
import { createTlsModule } from './tls-module.ts';
import { CHAIN_CA_CERT, CHAIN_LEAF_CERT, CHAIN_LEAF_EXPIRES, CHAIN_LEAF_FINGERPRINT, CHAIN_LEAF_ISSUED, CHAIN_LEAF_KEY } from './test-tls-chain.test-helper.ts';

type Tls = { getCertificate: (target?: unknown) => Promise<unknown> };

function setup(phase: 'init' | 'vu' = 'vu', options = {}): { host: ReturnType<typeof createFakeHost>; mod: Tls } {
  const host = createFakeHost(options);
  host.stateRef.phase = phase;
  return { host, mod: createTlsModule(host, new VuEventLoop()) as Tls };
}

const failure = (p: Promise<unknown>): Promise<string> => p.then(() => 'resolved', (e: unknown) => String(e));

const servernames: string[] = [];
const conns = new Set<net.Socket>();
const track = (c: net.Socket): void => {
  conns.add(c);
  c.on('close', () => conns.delete(c));
};
let secure: tls.Server;
let plain: net.Server;
let hangup: net.Server;
const port = (s: net.Server): number => (s.address() as net.AddressInfo).port;

beforeAll(async () => {
  secure = tls.createServer({
    key: CHAIN_LEAF_KEY,
    cert: CHAIN_LEAF_CERT + CHAIN_CA_CERT,
    // Called only for a ClientHello that names a server.
    SNICallback: (name, cb) => {
      servernames.push(name);
      cb(null, undefined);
    },
  });
  secure.on('connection', track);
  secure.on('tlsClientError', () => undefined);
  plain = net.createServer((c) => {
    track(c);
    c.on('error', () => undefined);
    c.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  });
  hangup = net.createServer((c) => c.destroy());
  for (const s of [secure, plain, hangup]) await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const c of conns) c.destroy();
  for (const s of [secure, plain, hangup]) await new Promise((resolve) => s.close(resolve));
});

describe('k6/x/tls getCertificate', () => {
  it('refuses the init context and bad targets before dialling', async () => {
    expect(await failure(setup('init').mod.getCertificate('127.0.0.1:1'))).toBe('getCertificate is not allowed to run from the Init Context');
    const { host, mod } = setup();
    expect(await failure(mod.getCertificate())).toBe('target address was not provided');
    expect(await failure(mod.getCertificate('a.test:x'))).toBe('the provided target does not contain a valid port "x"');
    await host.endIteration();
    expect(host.recorded).toEqual([]);
  });

  it('reads the leaf of an untrusted chain without verifying it or sending SNI, and counts the bytes', async () => {
    const { host, mod } = setup('vu', { hosts: { 'tls.test': '127.0.0.1' } });
    const before = servernames.length;
    const cert = await mod.getCertificate(`tls.test:${port(secure)}`);
    expect(cert).toEqual({
      subject: { common_name: 'tls.test' },
      issuer: { common_name: 'Stampede Test CA' },
      issued: CHAIN_LEAF_ISSUED,
      expires: CHAIN_LEAF_EXPIRES,
      fingerprint: CHAIN_LEAF_FINGERPRINT,
    });
    expect(Object.keys(cert as object)).toEqual(['subject', 'issuer', 'issued', 'expires', 'fingerprint']);
    expect(servernames.slice(before)).toEqual([]);
    // What a client naming the server is seen as.
    const named = tls.connect({ host: '127.0.0.1', port: port(secure), servername: 'tls.test', rejectUnauthorized: false });
    await new Promise((resolve) => named.once('secureConnect', resolve));
    named.destroy();
    expect(servernames.slice(before)).toEqual(['tls.test']);
    await host.endIteration();
    const sent = host.samplesOf('data_sent')[0]?.value ?? 0;
    const received = host.samplesOf('data_received')[0]?.value ?? 0;
    expect(sent).toBeGreaterThan(100);
    // The server's chain (two certificates) is in what was read.
    expect(received).toBeGreaterThan(CHAIN_LEAF_CERT.length / 2);
  });

  it('dials through the dialer rules: blockHostnames, blacklistIPs', async () => {
    const { mod } = setup('vu', { blockHostnames: ['*.blocked.test'], blacklistIPs: ['127.0.0.0/8'] });
    expect(await failure(mod.getCertificate('a.blocked.test'))).toBe('hostname (a.blocked.test) is in a blocked pattern (*.blocked.test)');
    expect(await failure(mod.getCertificate(`127.0.0.1:${port(secure)}`))).toBe('IP (127.0.0.1) is in a blacklisted range (127.0.0.0/8)');
  });

  it('fails as Go words it: refused, hung up, not TLS', async () => {
    const { mod } = setup();
    const gone = net.createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const closed = port(gone);
    await new Promise((resolve) => gone.close(resolve));
    expect(await failure(mod.getCertificate(`127.0.0.1:${closed}`))).toBe(`dial tcp 127.0.0.1:${closed}: connect: connection refused`);
    expect(await failure(mod.getCertificate(`127.0.0.1:${port(hangup)}`))).toMatch(/^(EOF|read tcp 127\.0\.0\.1:\d+->127\.0\.0\.1:\d+: read: connection reset by peer)$/);
    expect(await failure(mod.getCertificate(`127.0.0.1:${port(plain)}`))).toBe('tls: first record does not look like a TLS handshake');
  });
});
