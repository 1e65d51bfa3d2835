// The local 127.0.0.1 site the k6-compatibility corpus (test/scripts/compat/) talks to: the kind of
// endpoints documentation examples use (JSON APIs, echo, cookies, a form login, statuses, delays,
// a multipart/form-data parser).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocal } from './local-listen.ts';

export interface CompatTarget {
  readonly url: string;
  /** JSON bodies POSTed to /record, in arrival order. */
  readonly recorded: unknown[];
  close(): Promise<void>;
}

const USERS = [{ id: 1, name: 'ann', roles: ['admin', 'dev'] }, { id: 2, name: 'bob', roles: ['dev'] }];

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
}

function cookiesOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** A multipart/form-data body as Node's (undici's) FormData parser reads it: each part in order. */
async function multipartParts(req: IncomingMessage, raw: Buffer): Promise<unknown[]> {
  const form = await new Request('http://x', {
    method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: raw,
  }).formData();
  const parts: unknown[] = [];
  for (const [name, value] of form) {
    if (typeof value === 'string') parts.push({ name, value });
    else parts.push({ name, filename: value.name, type: value.type, base64: Buffer.from(await value.arrayBuffer()).toString('base64') });
  }
  return parts;
}

function route(req: IncomingMessage, raw: Buffer, res: ServerResponse, recorded: unknown[]): void {
  const body = raw.toString();
  const url = new URL(req.url ?? '/', 'http://x');
  const p = url.pathname;
  if (p === '/record') {
    recorded.push(JSON.parse(body || 'null'));
    res.writeHead(204).end();
  } else if (p === '/empty') {
    res.writeHead(200).end();
  } else if (p.startsWith('/status/')) {
    res.writeHead(Number(p.slice(8))).end('status');
  } else if (p.startsWith('/delay/')) {
    setTimeout(() => res.writeHead(200).end('late'), Number(p.slice(7)));
  } else if (p === '/api/users') {
    json(res, 200, { count: USERS.length, users: USERS, meta: { page: 1 } });
  } else if (p.startsWith('/api/users/')) {
    const user = USERS.find((u) => u.id === Number(p.slice(11)));
    if (user) json(res, 200, user);
    else json(res, 404, { error: 'no such user' });
  } else if (p === '/api/broken') {
    // A JSON API with a typo (an unquoted string on line 3).
    res.writeHead(200, { 'content-type': 'application/json' }).end('{\n  "id": 1,\n  "name": ann\n}');
  } else if (p === '/echo') {
    json(res, 200, {
      method: req.method, query: Object.fromEntries(url.searchParams), headers: req.headers, body,
      contentType: req.headers['content-type'] ?? null,
    });
  } else if (p === '/multipart') {
    // 400 with the parser's message when the body is not valid multipart/form-data.
    multipartParts(req, raw).then(
      (parts) => json(res, 200, { parts }),
      (e: unknown) => json(res, 400, { error: String(e) }),
    );
  } else if (p === '/cookies/set') {
    const set = [...url.searchParams].map(([k, v]) => `${k}=${v}; Path=/`);
    json(res, 200, { set: Object.fromEntries(url.searchParams) }, { 'set-cookie': set });
  } else if (p === '/cookies') {
    json(res, 200, cookiesOf(req));
  } else if (p === '/login' && req.method === 'POST') {
    const form = new URLSearchParams(body);
    if (form.get('user') === 'ann' && form.get('password') === 'secret') {
      json(res, 200, { token: 'tok-ann' }, { 'set-cookie': 'session=s-ann; Path=/; HttpOnly' });
    } else {
      json(res, 401, { error: 'bad credentials' });
    }
  } else if (p === '/me') {
    const auth = req.headers.authorization;
    const session = cookiesOf(req).session;
    if (auth === 'Bearer tok-ann' && session === 's-ann') json(res, 200, { name: 'ann' });
    else json(res, 403, { error: 'forbidden', auth: auth ?? null, session: session ?? null });
  } else {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>Stampede target</title></head><body>hello</body></html>');
  }
}

export async function startCompatTarget(): Promise<CompatTarget> {
  const recorded: unknown[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => route(req, Buffer.concat(chunks), res, recorded));
  });
  const { url, close } = await listenLocal(server);
  return {
    url,
    recorded,
    close,
  };
}
