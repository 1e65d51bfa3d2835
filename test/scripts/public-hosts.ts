// A local stand-in for the public hosts k6's examples/ call and the feature-tour scripts
// (test/scripts/compat/feature-tour/) call too (httpbin.org, quickpizza.grafana.com,
// echo.websocket.org): one plain HTTP port and one TLS port (h2 and HTTP/1.1 by ALPN, with the test
// certificate), routed by the Host header. A script written for those hosts runs unchanged
// with `hosts` (K6_HOSTS) sending those names' port 80 and 443 here and insecureSkipTLSVerify, so
// `res.url`, cookie domains and redirects keep the public names. Run it alone with
// `node bin/run-ts.js test/scripts/public-hosts.ts` to get the K6_HOSTS line for a manual run.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { TEST_TLS_CERT, TEST_TLS_KEY } from '../../src/engine/http/test-tls-cert.test-helper.ts';

export const PUBLIC_HOSTS = ['httpbin.org', 'quickpizza.grafana.com', 'echo.websocket.org'] as const;

export interface PublicHosts {
  /** The `hosts` option sending the public names' ports 80 and 443 to the stand-in. */
  readonly hosts: Record<string, string>;
  /** The same as the K6_HOSTS environment variable's JSON. */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

type Req = IncomingMessage | Http2ServerRequest;
type Res = ServerResponse | Http2ServerResponse;

/** httpbin's header names: Go-canonical (X-Test, Content-Type), without HTTP/2 pseudo-headers. */
function canonicalHeaders(req: Req): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (k.startsWith(':') || v === undefined) continue;
    out[k.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase())] = Array.isArray(v) ? v.join(',') : v;
  }
  return out;
}

/** httpbin's multi-dict: one value as a string, repeated keys as an array. */
function multiDict(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const k of new Set(params.keys())) {
    const all = params.getAll(k);
    out[k] = all.length === 1 ? (all[0] ?? '') : all;
  }
  return out;
}

function send(res: Res, status: number, body: string, headers: Record<string, string | string[]> = {}): void {
  (res as ServerResponse).writeHead(status, headers);
  res.end(body);
}

function json(res: Res, status: number, value: unknown, headers: Record<string, string | string[]> = {}): void {
  send(res, status, JSON.stringify(value, null, 2), { 'content-type': 'application/json', ...headers });
}

function html(res: Res, body: string): void {
  send(res, 200, body, { 'content-type': 'text/html; charset=utf-8' });
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

function digestAuth(req: Req, res: Res, user: string, pass: string): void {
  const h = req.headers.authorization ?? '';
  if (h.startsWith('Digest ')) {
    const f: Record<string, string> = {};
    for (const m of h.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) f[m[1] ?? ''] = m[2] ?? m[3] ?? '';
    const ha1 = md5(`${f.username}:${f.realm}:${pass}`);
    const ha2 = md5(`${req.method}:${f.uri}`);
    const want = md5(`${ha1}:${f.nonce}:${f.nc}:${f.cnonce}:${f.qop}:${ha2}`);
    if (f.username === user && f.response === want) {
      json(res, 200, { authenticated: true, user });
      return;
    }
  }
  send(res, 401, '', {
    'www-authenticate': `Digest realm="me@kennethreitz.com", nonce="${randomBytes(16).toString('hex')}", qop="auth", opaque="${md5('o')}", algorithm=MD5, stale=FALSE`,
  });
}

function httpbin(req: Req, body: string, res: Res, scheme: string): void {
  const url = new URL(req.url ?? '/', `${scheme}://httpbin.org`);
  const p = url.pathname;
  const base = { args: multiDict(url.searchParams), headers: canonicalHeaders(req), origin: '127.0.0.1', url: url.href };
  const ctype = req.headers['content-type'] ?? '';
  let m: RegExpExecArray | null;
  if (p === '/') {
    html(res, '<!DOCTYPE html><html><head><title>httpbin.org</title></head><body><h2>httpbin.org</h2></body></html>');
  } else if (p === '/get' || p === '/headers') {
    json(res, 200, p === '/get' ? base : { headers: base.headers });
  } else if (['/post', '/put', '/patch', '/delete'].includes(p)) {
    if (req.method !== p.slice(1).toUpperCase()) return send(res, 405, 'Method Not Allowed');
    const form = ctype.startsWith('application/x-www-form-urlencoded') ? multiDict(new URLSearchParams(body)) : {};
    let parsed: unknown = null;
    try {
      parsed = ctype.startsWith('application/json') ? JSON.parse(body) : null;
    } catch {
      parsed = null;
    }
    json(res, 200, { ...base, data: ctype.startsWith('application/x-www-form-urlencoded') ? '' : body, files: {}, form, json: parsed });
  } else if (p === '/cookies') {
    const cookies: Record<string, string> = {};
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0) cookies[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
    json(res, 200, { cookies });
  } else if (p === '/cookies/set') {
    const set = [...url.searchParams].map(([k, v]) => `${k}=${v}; Path=/`);
    send(res, 302, '', { location: '/cookies', 'set-cookie': set });
  } else if ((m = /^\/basic-auth\/([^/]+)\/([^/]+)$/.exec(p)) !== null) {
    const want = `Basic ${Buffer.from(`${m[1]}:${m[2]}`).toString('base64')}`;
    if (req.headers.authorization === want) json(res, 200, { authenticated: true, user: m[1] });
    else send(res, 401, '', { 'www-authenticate': 'Basic realm="Fake Realm"' });
  } else if ((m = /^\/digest-auth\/auth\/([^/]+)\/([^/]+)$/.exec(p)) !== null) {
    digestAuth(req, res, m[1] ?? '', m[2] ?? '');
  } else if ((m = /^\/(?:relative-)?redirect\/(\d+)$/.exec(p)) !== null) {
    const n = Number(m[1]);
    send(res, 302, '', { location: n <= 1 ? '/get' : `/relative-redirect/${n - 1}` });
  } else if ((m = /^\/status\/(\d+)$/.exec(p)) !== null) {
    send(res, Number(m[1]), '');
  } else {
    send(res, 404, 'not found');
  }
}

const TEST_K6_IO = `<!DOCTYPE html><html><head><title>Demo website for load testing</title>
<link href="/test.k6.io/static/css/site.css" rel="stylesheet"></head><body>
<h1>Welcome to the k6.io demo site!</h1>
<p class="description">This is a replacement of the service test.k6.io, a site that was used for k6 examples.</p>
<a href="/test.k6.io/my_messages.php">My messages</a></body></html>`;

function quickpizza(req: Req, res: Res): void {
  const p = new URL(req.url ?? '/', 'http://quickpizza.grafana.com').pathname;
  if (p === '/') html(res, '<!DOCTYPE html><html><head><title>QuickPizza</title></head><body><h1>Looking to break out of your pizza routine?</h1></body></html>');
  else if (p === '/test.k6.io' || p === '/test.k6.io/') html(res, TEST_K6_IO);
  else if (p === '/pi.php') send(res, 200, '3.14', { 'content-type': 'text/html; charset=UTF-8' });
  else if (p.startsWith('/test.k6.io/static/')) send(res, 200, 'static', { 'content-type': 'text/plain' });
  else send(res, 404, 'not found');
}

function route(req: Req, body: string, res: Res, scheme: string): void {
  const host = (req.headers.host ?? req.headers[':authority'] ?? '').toString().replace(/:\d+$/, '');
  if (host === 'httpbin.org') httpbin(req, body, res, scheme);
  else if (host === 'quickpizza.grafana.com') quickpizza(req, res);
  else send(res, 404, `unknown host ${host}`);
}

function handler(scheme: string) {
  return (req: Req, res: Res): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => route(req, Buffer.concat(chunks).toString(), res, scheme));
  };
}

/** WebSockets: echo.websocket.org echoes (after its greeting, as the real one); quickpizza's /ws is a chat room. */
function upgrades(wss: WebSocketServer) {
  const room = new Set<WebSocket>();
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (host === 'echo.websocket.org') {
        ws.send('Request served by 0123456789abcd');
        ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
        return;
      }
      let name = 'anonymous';
      room.add(ws);
      ws.on('close', () => room.delete(ws));
      ws.on('message', (data) => {
        const msg = JSON.parse(data.toString()) as { event?: string; new_name?: string; message?: string };
        const all = (v: unknown): void => room.forEach((c) => c.send(JSON.stringify(v)));
        if (msg.event === 'SET_NAME') all({ event: 'USER_JOINED', user: (name = msg.new_name ?? name), message: 'joined' });
        else if (msg.event === 'SAY') all({ event: 'CHAT_MSG', user: name, message: msg.message });
        else if (msg.event === 'LEAVE') all({ event: 'USER_LEFT', user: name, message: 'left' });
        else ws.send(JSON.stringify({ event: 'ERROR', message: `unknown event ${String(msg.event)}` }));
      });
    });
  };
}

async function listen(server: Server | ReturnType<typeof createSecureServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

export async function startPublicHosts(): Promise<PublicHosts> {
  const wss = new WebSocketServer({ noServer: true });
  const plain = createServer(handler('http'));
  const secure = createSecureServer({ cert: TEST_TLS_CERT, key: TEST_TLS_KEY, allowHTTP1: true }, handler('https'));
  plain.on('upgrade', upgrades(wss));
  secure.on('upgrade', upgrades(wss));
  const sockets = new Set<Duplex>();
  for (const s of [plain, secure]) {
    s.on('connection', (c: Duplex) => {
      sockets.add(c);
      c.on('close', () => sockets.delete(c));
    });
  }
  const httpPort = await listen(plain);
  const tlsPort = await listen(secure);
  const hosts: Record<string, string> = {};
  for (const h of PUBLIC_HOSTS) {
    hosts[`${h}:80`] = `127.0.0.1:${httpPort}`;
    hosts[`${h}:443`] = `127.0.0.1:${tlsPort}`;
  }
  return {
    hosts,
    env: { K6_HOSTS: JSON.stringify(hosts), K6_INSECURE_SKIP_TLS_VERIFY: 'true' },
    async close() {
      for (const c of wss.clients) c.terminate();
      for (const s of sockets) s.destroy();
      await Promise.all([plain, secure].map((s) => new Promise((r) => s.close(r))));
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ph = await startPublicHosts();
  process.stdout.write(`K6_HOSTS='${ph.env.K6_HOSTS}' K6_INSECURE_SKIP_TLS_VERIFY=true\n`);
}
