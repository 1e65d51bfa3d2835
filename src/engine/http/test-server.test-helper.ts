import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { createSecureServer } from 'node:http2';
import { TEST_TLS_CERT, TEST_TLS_KEY } from './test-tls-cert.test-helper.ts';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** Checks a Digest answer for user "bob", password "secret", realm "test". */
function digestOk(req: IncomingMessage): boolean {
  const h = req.headers.authorization ?? '';
  if (!h.startsWith('Digest ')) return false;
  const f: Record<string, string> = {};
  for (const m of h.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) f[m[1] as string] = m[2] ?? m[3] ?? '';
  const ha1 = md5(`bob:test:secret`);
  const ha2 = md5(`${req.method}:${f.uri}`);
  return f.response === md5(`${ha1}:${f.nonce}:${f.nc}:${f.cnonce}:${f.qop}:${ha2}`) && f.opaque === 'op';
}

// A local target for the k6/http tests, on 127.0.0.1 and a random port.

export interface TestServer {
  readonly url: string;
  readonly server: Server;
  /** Remote ports of accepted connections, in order. */
  readonly connections: number[];
  /** Connections currently open on the server side. */
  open(): number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname;
  if (path === '/hello') {
    res.setHeader('Content-Type', 'text/plain');
    res.end('hello');
  } else if (path === '/echo') {
    const body = await readBody(req);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: body.toString('latin1') }));
  } else if (path === '/json') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ a: { b: [{ c: 1 }, { c: 2 }, { d: 3 }] }, name: 'stampede', 'dot.key': true }));
  } else if (path === '/bad-json') {
    res.end('{not json');
  } else if (path === '/delay') {
    const ms = Number(url.searchParams.get('ms') ?? '100');
    setTimeout(() => res.end('late'), ms);
  } else if (path.startsWith('/status/')) {
    res.statusCode = Number(path.slice('/status/'.length));
    res.end(`status ${res.statusCode}`);
  } else if (path.startsWith('/redirect/')) {
    const n = Number(path.slice('/redirect/'.length));
    if (n > 0) {
      res.statusCode = 302;
      res.setHeader('Location', `/redirect/${n - 1}`);
      res.setHeader('Set-Cookie', `hop${n}=yes; Path=/`);
      res.end();
    } else {
      res.end(`cookies:${req.headers.cookie ?? ''}`);
    }
  } else if (path === '/redirect-post') {
    res.statusCode = Number(url.searchParams.get('code') ?? '302');
    res.setHeader('Location', url.searchParams.get('to') ?? '/echo');
    res.end();
  } else if (path === '/set-cookie') {
    res.setHeader('Set-Cookie', [`session=abc123; Path=/; HttpOnly; Max-Age=3600`, `theme=dark; Path=/`]);
    res.end('ok');
  } else if (path === '/cookies') {
    res.end(req.headers.cookie ?? '');
  } else if (path === '/gzip') {
    res.setHeader('Content-Encoding', 'gzip');
    res.end(gzipSync(Buffer.from('compressed hello')));
  } else if (path === '/binary') {
    res.end(Buffer.from([0, 1, 2, 255]));
  } else if (path === '/multi-header') {
    res.setHeader('X-Multi', ['one', 'two']);
    res.end();
  } else if (path === '/digest') {
    if (digestOk(req)) {
      res.end('digest ok');
    } else {
      res.statusCode = 401;
      res.setHeader('WWW-Authenticate', 'Digest realm="test", qop="auth", nonce="n0nce", opaque="op"');
      res.end();
    }
  } else if (path === '/bad-location') {
    res.statusCode = 302;
    res.setHeader('Location', 'h\t:/');
    res.setHeader('Set-Cookie', 'from-bad-location=1; Path=/');
    res.end();
  } else if (path.startsWith('/redirect-status/')) {
    res.statusCode = Number(path.slice('/redirect-status/'.length));
    res.setHeader('Location', '/hello');
    res.end();
  } else if (path === '/encoded') {
    // A body that is not what its Content-Encoding says (?as=gzip), or an encoding k6 leaves alone.
    res.setHeader('Content-Encoding', url.searchParams.get('as') ?? 'custom');
    res.end('{"plain": true}');
  } else if (path === '/hang') {
    // never answers
  } else if (path === '/reset') {
    req.socket.resetAndDestroy();
  } else if (path === '/eof') {
    req.socket.destroy();
  } else {
    res.statusCode = 404;
    res.end('not found');
  }
}

/** `h2`: an HTTP/2 server over TLS that also accepts HTTP/1.1, choosing by ALPN. */
export async function startTestServer(tls: boolean | 'h2' = false): Promise<TestServer> {
  const connections: number[] = [];
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => res.destroy());
  };
  const creds = { key: TEST_TLS_KEY, cert: TEST_TLS_CERT };
  // The compatibility API of node:http2 has the (req, res) shape the handler uses.
  const server = (
    tls === 'h2'
      ? createSecureServer({ ...creds, allowHTTP1: true }, onRequest as unknown as Parameters<typeof createSecureServer>[1])
      : tls
        ? createTlsServer(creds, onRequest)
        : createServer(onRequest)
  ) as Server;
  if (tls !== 'h2') server.keepAliveTimeout = 30_000;
  let open = 0;
  server.on(tls ? 'secureConnection' : 'connection', (socket: { remotePort?: number; once: (e: 'close', f: () => void) => void }) => {
    connections.push(socket.remotePort ?? 0);
    open++;
    socket.once('close', () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    server,
    connections,
    open: () => open,
    close: () =>
      new Promise<void>((resolve) => {
        if (tls !== 'h2') server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
