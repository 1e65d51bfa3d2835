import { afterEach, describe, expect, it } from 'vitest';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { spawn } from 'node:child_process';
import { constants as h2, createSecureServer, type ServerHttp2Stream } from 'node:http2';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { VuOptions } from '../vu/vu-host.ts';
import { createHttpModule } from './http-module.ts';
import type { Response } from './response.ts';
import { createFakeHost, type FakeHost } from './fake-vu-host.test-helper.ts';
import { TEST_TLS_CERT, TEST_TLS_KEY } from './test-tls-cert.test-helper.ts';

// k6's lib/netext/httpext/error_codes_test.go, from a script's side: what a request that fails in the
// transport (HTTP/2 frames, a peer that speaks no TLS) gives as error_code, error and samples.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function vu(options: VuOptions = {}): { host: FakeHost; get: (url: string) => Promise<Response> } {
  const host = createFakeHost(options);
  closers.push(() => host.close());
  const http = createHttpModule(host);
  host.startIteration();
  return { host, get: (url) => (http.get as (u: string) => Promise<Response>)(url) };
}

async function h2Server(onStream: (stream: ServerHttp2Stream, path: string) => void): Promise<string> {
  const server = createSecureServer({ key: TEST_TLS_KEY, cert: TEST_TLS_CERT });
  server.on('session', (session) => session.on('error', () => undefined));
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    onStream(stream, String(headers[':path']));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("k6's error_codes_test.go: HTTP/2 errors", () => {
  /**
   * An h2 server that answers the first request (stream 1) with 200, some DATA and then RST_STREAM
   * with `code`, without ending the stream (node:http2's server ends a stream before resetting it).
   */
  async function resettingServer(code: number): Promise<string> {
    const frame = (type: number, flags: number, stream: number, payload: Buffer): Buffer => {
      const head = Buffer.alloc(9);
      head.writeUIntBE(payload.length, 0, 3);
      head[3] = type;
      head[4] = flags;
      head.writeUInt32BE(stream, 5);
      return Buffer.concat([head, payload]);
    };
    const sockets = new Set<TLSSocket>();
    const server = createTlsServer({ key: TEST_TLS_KEY, cert: TEST_TLS_CERT, ALPNProtocols: ['h2'] }, (socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.write(frame(4, 0, 0, Buffer.alloc(0))); // SETTINGS
      let answered = false;
      let seen = Buffer.alloc(0);
      socket.on('data', (d: Buffer) => {
        seen = Buffer.concat([seen, d]);
        // After the 24-byte preface: frames; a HEADERS frame (type 1) on stream 1 is the request.
        for (let at = 24; at + 9 <= seen.length && !answered; at += 9 + seen.readUIntBE(at, 3)) {
          if (seen[at + 3] !== 1) continue;
          answered = true;
          const rst = Buffer.alloc(4);
          rst.writeUInt32BE(code);
          // HEADERS with END_HEADERS (":status: 200" is HPACK static entry 8), DATA, RST_STREAM.
          socket.write(Buffer.concat([frame(1, 4, 1, Buffer.from([0x88])), frame(0, 0, 1, Buffer.from('x'.repeat(100)))]));
          setTimeout(() => socket.write(frame(3, 0, 1, rst)), 20);
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }));
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('a stream the server resets mid-body is 1630 + 1 + its code (TestHTTP2StreamError), with status 0 in response and samples', async () => {
    const { host, get } = vu({ insecureSkipTLSVerify: true });
    const res = await get(`${await resettingServer(h2.NGHTTP2_INTERNAL_ERROR)}/tsr`);
    expect([res.status, res.error_code, res.error]).toEqual([0, 1633, 'http2: stream error with http2 ErrCode INTERNAL_ERROR']);
    expect(host.samplesOf('http_reqs')[0]?.tags).toMatchObject({ status: '0', error_code: '1633', error: 'http2: stream error with http2 ErrCode INTERNAL_ERROR' });
    // A code RFC 9113 does not define stays on the base, named as Go prints it.
    const unknown = await get(`${await resettingServer(14)}/unknown`);
    expect([unknown.error_code, unknown.error]).toEqual([1630, 'http2: stream error with http2 ErrCode unknown error code 0xe']);
  });

  it('a GOAWAY with an error code is 1610 + 1 + the code (TestHTTP2GoAwayError)', async () => {
    const url = await h2Server((stream) => {
      stream.session?.goaway(h2.NGHTTP2_INADEQUATE_SECURITY, 0, Buffer.from('whatever'));
      stream.session?.destroy();
    });
    const { get } = vu({ insecureSkipTLSVerify: true });
    const res = await get(`${url}/goaway`);
    expect([res.status, res.error_code, res.error]).toEqual([0, 1623, 'http2: received GoAway with http2 ErrCode INADEQUATE_SECURITY']);
  });
});

describe("k6's error_codes_test.go: TLS", () => {
  it('a server whose first bytes are no TLS record is 1301, in Go\'s words (TestDefaultTLSError)', async () => {
    const server: Server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.write('not tls header');
      setTimeout(() => socket.destroy(), 500);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    const { get } = vu({ insecureSkipTLSVerify: true });
    const res = await get(`https://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect([res.status, res.error_code, res.error]).toEqual([0, 1301, 'tls: first record does not look like a TLS handshake']);
  });
});

describe("k6's request_test.go: dial timeout", () => {
  it('a connect that takes longer than undici\'s 10 s is waited for, as k6\'s 30 s dialer does: the request timeout ends it (1050)', async () => {
    // A listener that never accepts (its process blocks) with a full backlog: further SYNs are dropped.
    const child = spawn(process.execPath, ['-e', `
      const s = require('node:net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
        process.stdout.write(String(s.address().port) + '\\n');
        setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000), 200);
      });`], { stdio: ['ignore', 'pipe', 'inherit'] });
    closers.push(async () => {
      child.kill('SIGKILL');
    });
    const port = await new Promise<number>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    await new Promise((r) => setTimeout(r, 400));
    const fillers = Array.from({ length: 4 }, () => connect(port, '127.0.0.1').on('error', () => undefined));
    closers.push(async () => {
      for (const f of fillers) f.destroy();
    });
    const { host } = vu();
    const http = createHttpModule(host);
    const started = Date.now();
    const res = await (http.get as (u: string, p: unknown) => Promise<Response>)(`http://127.0.0.1:${port}/`, { timeout: '11s' });
    expect([res.status, res.error_code, res.error]).toEqual([0, 1050, 'request timeout']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(10_900);
  }, 20_000);
});

describe("k6's request_test.go: TestMakeRequestError/invalid upgrade response", () => {
  it('a 101 answer to a plain request is thrown as k6\'s error whatever `throw` says, without samples', async () => {
    const server: Server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    const { host, get } = vu();
    const thrown = await get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`).then(() => undefined, (e: Error) => e);
    expect(thrown?.message).toBe('unsupported response status: 101 Switching Protocols');
    expect(thrown?.name).toBe('GoError');
    expect(host.samplesOf('http_reqs')).toHaveLength(0);
  });
});
