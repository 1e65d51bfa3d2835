import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { VuOptions } from '../vu/vu-host.ts';
import { createHttpModule } from './http-module.ts';
import { DEFAULT_USER_AGENT } from '../options/k6-options.ts';
import type { Response } from './response.ts';
import type { CookieJar } from './cookie-jar.ts';
import { createFakeHost, type FakeHost } from './fake-vu-host.test-helper.ts';
import { formatConsoleArgs } from '../vu/vu-console.ts';
import { startTestServer, type TestServer } from './test-server.test-helper.ts';

type Fn = (...args: unknown[]) => Promise<Response>;

let srv: TestServer;
const opened: FakeHost[] = [];

beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});
afterEach(async () => {
  for (const h of opened.splice(0)) await h.close();
});

function vu(options: VuOptions = {}): { host: FakeHost; http: Record<string, unknown>; call: (name: string, ...a: unknown[]) => Promise<Response> } {
  const host = createFakeHost(options);
  opened.push(host);
  const http = createHttpModule(host);
  host.startIteration();
  return { host, http, call: (name, ...a) => (http[name] as Fn)(...a) };
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('verbs and bodies', () => {
  it('http.request() sends the method as the script wrote it, as k6 does (no upper-casing)', async () => {
    const lines: string[] = [];
    const raw = createServer((sock) => {
      sock.once('data', (d) => {
        lines.push(d.toString('latin1').split('\r\n')[0] ?? '');
        sock.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
      });
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    try {
      const { call, host } = vu();
      const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/m`;
      const res = await call('request', 'purge', url);
      expect(res.status).toBe(200);
      expect(res.request.method).toBe('purge');
      expect(lines).toEqual(['purge /m HTTP/1.1']);
      expect(host.samplesOf('http_reqs')[0]?.tags.method).toBe('purge');
    } finally {
      await new Promise<void>((r) => raw.close(() => r()));
    }
  });

  it('http.request() with an empty, null or undefined method sends a GET and records the method as "" (a Go http.Request with Method "")', async () => {
    const { call, host } = vu();
    for (const m of ['', null, undefined]) {
      const res = await call('request', m, `${srv.url}/echo`);
      expect(res.status).toBe(200);
      expect((JSON.parse(res.body as string) as { method: string }).method).toBe('GET');
      expect(res.request.method).toBe('');
    }
    expect(host.samplesOf('http_reqs').map((s) => s.tags.method)).toEqual(['', '', '']);
  });

  it('takes response headers far over 16 KiB, as Go\'s transport (up to 10 MiB)', async () => {
    // 300 headers of 60 bytes failed with "Headers Overflow Error" (undici's default, Node's 16 KiB).
    const raw = createServer((sock) => {
      sock.once('data', () => {
        const headers = Array.from({ length: 1000 }, (_, i) => `X-H-${i}: ${'v'.repeat(60)}\r\n`).join('');
        sock.end(`HTTP/1.1 200 OK\r\n${headers}Content-Length: 2\r\nConnection: close\r\n\r\nok`);
      });
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    try {
      const { call } = vu();
      const res = await call('get', `http://127.0.0.1:${(raw.address() as AddressInfo).port}/h`);
      expect(res.error).toBe('');
      expect(res.status).toBe(200);
      expect(res.headers['X-H-999']).toBe('v'.repeat(60));
      expect(res.body).toBe('ok');
    } finally {
      await new Promise<void>((r) => raw.close(() => r()));
    }
  });

  it('GET returns status, body, canonical headers and request info', async () => {
    const { call } = vu();
    const res = await call('get', `${srv.url}/hello`);
    expect(res.status).toBe(200);
    expect(res.status_text).toBe('200 OK');
    expect(res.body).toBe('hello');
    expect(res.headers['Content-Type']).toBe('text/plain');
    expect(res.proto).toBe('HTTP/1.1');
    expect(res.remote_ip).toBe('127.0.0.1');
    expect(res.remote_port).toBe(Number(new URL(srv.url).port));
    expect(res.url).toBe(`${srv.url}/hello`);
    expect(res.request.method).toBe('GET');
    expect(Object.keys(res.timings)).toEqual(['duration', 'blocked', 'looking_up', 'connecting', 'tls_handshaking', 'sending', 'waiting', 'receiving']);
    expect(res.request.headers['User-Agent']).toEqual([DEFAULT_USER_AGENT]);
    expect(DEFAULT_USER_AGENT).toMatch(/^Grafana k6\//);
    expect(res.error_code).toBe(0);
  });

  it('sends each verb with its body', async () => {
    const { call } = vu();
    for (const [fn, method] of [['post', 'POST'], ['put', 'PUT'], ['patch', 'PATCH'], ['del', 'DELETE'], ['options', 'OPTIONS']] as const) {
      const res = await call(fn, `${srv.url}/echo`, 'payload');
      const echo = res.json() as { method: string; body: string };
      expect(echo.method).toBe(method);
      expect(echo.body).toBe('payload');
    }
    const res = await call('request', 'POST', `${srv.url}/echo`, new Uint8Array([104, 105]));
    expect((res.json() as { body: string }).body).toBe('hi');
    const head = await call('head', `${srv.url}/hello`);
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('encodes objects as forms, with http.file as multipart, and drops a user Content-Length', async () => {
    const { call, http, host } = vu();
    const form = await call('post', `${srv.url}/echo`, { b: 'two words', a: '1&2' }, { headers: { 'Content-Length': '999' } });
    const echo = form.json() as { body: string; headers: Record<string, string> };
    expect(echo.body).toBe('a=1%262&b=two+words');
    expect(echo.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(echo.headers['content-length']).toBe(String(echo.body.length));
    expect(host.logs.some((l) => l.level === 'warn' && l.msg.includes('Content-Length header "999"'))).toBe(true);

    const file = (http.file as (d: unknown, n?: string, t?: string) => unknown)('file-bytes', 'a.txt', 'text/plain');
    const multi = await call('post', `${srv.url}/echo`, { field: 'v', upload: file });
    const m = multi.json() as { body: string; headers: Record<string, string> };
    expect(m.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(m.body).toContain('Content-Disposition: form-data; name="upload"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nfile-bytes');
    expect(m.body).toContain('name="field"\r\n\r\nv');
  });

  it('compresses the request body with the compression param', async () => {
    const { call } = vu();
    const res = await call('post', `${srv.url}/echo`, 'squeeze me', { compression: 'gzip' });
    const echo = res.json() as { body: string; headers: Record<string, string> };
    expect(echo.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(Buffer.from(echo.body, 'latin1')).toString()).toBe('squeeze me');
  });

  it('honours userAgent, a User-Agent header, Host override and basic auth in the URL', async () => {
    const { call } = vu({ userAgent: 'custom-agent/1' });
    const a = (await call('get', `${srv.url}/echo`)).json() as { headers: Record<string, string> };
    expect(a.headers['user-agent']).toBe('custom-agent/1');
    const b = (await call('get', `${srv.url}/echo`, { headers: { 'User-Agent': 'mine', Host: 'example.test' } })).json() as {
      headers: Record<string, string>;
    };
    expect(b.headers['user-agent']).toBe('mine');
    expect(b.headers.host).toBe('example.test');
    const withAuth = srv.url.replace('http://', 'http://user:p%40ss@');
    const res = await call('get', `${withAuth}/echo`);
    const c = res.json() as { headers: Record<string, string> };
    expect(c.headers.authorization).toBe(`Basic ${Buffer.from('user:p@ss').toString('base64')}`);
  });

  it('answers a Digest challenge with auth: "digest", both round trips measured', async () => {
    const { call, host } = vu();
    const withCreds = srv.url.replace('http://', 'http://bob:secret@');
    const res = await call('get', `${withCreds}/digest?x=1`, { auth: 'digest' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('digest ok');
    expect(host.samplesOf('http_reqs').map((s) => s.tags.status)).toEqual(['401', '200']);
    expect(host.samplesOf('http_req_failed').map((s) => s.value)).toEqual([0, 0]);
    const wrong = await call('get', `${srv.url.replace('http://', 'http://bob:nope@')}/digest`, { auth: 'digest' });
    expect(wrong.status).toBe(401);
  });

  it('any other auth value sends the URL credentials as Basic (k6 switches on "digest"/"ntlm" as written; ntlm-auth.test.ts has ntlm)', async () => {
    const { call } = vu();
    const withAuth = srv.url.replace('http://', 'http://user:pw@');
    const basic = `Basic ${Buffer.from('user:pw').toString('base64')}`;
    for (const auth of ['basic', 'Digest', 'bearer']) {
      const res = await call('get', `${withAuth}/echo`, { auth });
      expect((res.json() as { headers: Record<string, string> }).headers.authorization).toBe(basic);
    }
  });

  it('responseType binary/none and discardResponseBodies', async () => {
    const { call } = vu();
    const bin = await call('get', `${srv.url}/binary`, { responseType: 'binary' });
    expect(bin.body).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(bin.body as ArrayBuffer)]).toEqual([0, 1, 2, 255]);
    const none = await call('get', `${srv.url}/hello`, { responseType: 'none' });
    expect(none.body).toBeNull();
    const d = vu({ discardResponseBodies: true });
    expect((await d.call('get', `${srv.url}/hello`)).body).toBeNull();
    expect((await d.call('get', `${srv.url}/hello`, { responseType: 'text' })).body).toBe('hello');
  });

  it('a 204 or 304 has a null body whatever the responseType, as k6 reads none for them (grafana/k6#3438)', async () => {
    const { call } = vu();
    expect((await call('get', `${srv.url}/status/204`)).body).toBeNull();
    expect((await call('get', `${srv.url}/status/304`, { responseType: 'binary' })).body).toBeNull();
    const noContent = await call('get', `${srv.url}/status/204`);
    expect(() => noContent.json()).toThrow("the body is null so we can't transform it to JSON");
    expect((await call('get', `${srv.url}/status/200`)).body).toBe('status 200');
  });

  it('JSON.stringify and console.log of a Response walk k6’s httpext.Response fields in their order; console.log adds its methods (grafana/k6#3281, #2511)', async () => {
    const { call } = vu();
    const res = await call('get', `${srv.url}/hello`);
    expect(Object.keys(JSON.parse(JSON.stringify(res)) as object)).toEqual([
      'remote_ip', 'remote_port', 'url', 'status', 'status_text', 'proto', 'headers', 'cookies', 'body', 'timings',
      'tls_version', 'tls_cipher_suite', 'ocsp', 'error', 'error_code', 'request',
    ]);
    const text = formatConsoleArgs([res]);
    expect(text).toMatch(/^\{ remote_ip: "127\.0\.0\.1", remote_port: \d+, url: "http:\/\/127\.0\.0\.1:\d+\/hello", status: 200, status_text: "200 OK", proto: "HTTP\/1\.1", headers: \{ [^}]+ \}, cookies: \{\}, body: "hello", timings: \{ duration: /);
    expect(text).toMatch(/, error: "", error_code: 0, request: \{ method: "GET", .+ \}, clickLink: \[object Function\], html: \[object Function\], json: \[object Function\], submitForm: \[object Function\] \}$/);
  });

  it('decompresses gzip bodies and joins repeated headers', async () => {
    const { call } = vu();
    expect((await call('get', `${srv.url}/gzip`)).body).toBe('compressed hello');
    expect((await call('get', `${srv.url}/multi-header`)).headers['X-Multi']).toBe('one, two');
  });

  it('JSON.stringify(res) shows headers and cookies like the other fields, and they can be replaced', async () => {
    const { call } = vu();
    const res = await call('get', `${srv.url}/multi-header`);
    const json = JSON.parse(JSON.stringify(res)) as Record<string, unknown>;
    expect(json).toMatchObject({ status: 200, status_text: '200 OK', headers: { 'X-Multi': 'one, two' }, cookies: {} });
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['body', 'timings', 'url', 'request', 'error_code']));
    res.headers = { Mine: 'yes' };
    expect(res.headers).toEqual({ Mine: 'yes' });
  });

  it('a bad param fails the request with a warning, or throws with the throw option', async () => {
    const { call, host } = vu();
    const res = await call('get', `${srv.url}/hello`, { responseType: 'blob' });
    expect(res.status).toBe(0);
    expect(res.error).toBe('blob does not belong to ResponseType values');
    expect(host.logs.some((l) => l.level === 'warn' && l.msg === 'Request Failed' && l.fields?.error === res.error)).toBe(true);
    expect(host.samplesOf('http_reqs')).toHaveLength(0);
    const strict = vu({ throw: true });
    await expect(strict.call('get', `${srv.url}/hello`, { timeout: 'soon' })).rejects.toThrow(/^invalid timeout value: time: invalid duration "soon"$/);
  });

  it('converts params as k6: null headers are "null", null cookies and a foreign jar are skipped, object tags fail', async () => {
    const { call, host } = vu();
    const res = await call('get', `${srv.url}/cookies`, { headers: { 'X-Null': null }, cookies: { gone: null, kept: 'y' }, jar: {} });
    expect(res.request.headers['X-Null']).toEqual(['null']);
    expect(res.body).toBe('kept=y');
    const bad = await call('get', `${srv.url}/hello`, { tags: { step: { n: 1 } } });
    expect(bad.status).toBe(0);
    expect(bad.error).toBe("invalid HTTP request metric tags: invalid value for metric tag 'step': only String, Boolean and Number types are accepted as a metric tag values");
    expect(host.samplesOf('http_reqs')).toHaveLength(1);
  });

  it('drops the bytes Go does not allow in a cookie value and logs the line Go\'s net/http prints (k6: info)', async () => {
    const { call, host } = vu();
    const res = await call('get', `${srv.url}/cookies`, { cookies: { test: '"', ok: 'plain', odd: 'caf\u00e9;x' } });
    expect(res.body).toBe('test=; ok=plain; odd=cafx');
    expect(host.logs.filter((l) => l.msg.startsWith('net/http'))).toEqual([
      { level: 'info', msg: 'net/http: invalid byte \'"\' in Cookie.Value; dropping invalid bytes' },
      { level: 'info', msg: 'net/http: invalid byte \'Ã\' in Cookie.Value; dropping invalid bytes' },
    ]);
    const tab = await call('get', `${srv.url}/cookies`, { cookies: { tab: 'a\tb' } });
    expect(tab.body).toBe('tab=ab');
    expect(host.logs.at(-1)?.msg).toBe("net/http: invalid byte '\\t' in Cookie.Value; dropping invalid bytes");
  });

  it('refuses requests in the init context', async () => {
    const { host, call } = vu();
    host.stateRef.phase = 'init';
    await expect(call('get', `${srv.url}/hello`)).rejects.toThrow(/init context/);
  });
});

describe('timings', () => {
  it('measures a ~100 ms first-byte delay as waiting, and duration = sending + waiting + receiving', async () => {
    const { call, host } = vu();
    const res = await call('get', `${srv.url}/delay?ms=100`);
    const t = res.timings;
    expect(t.waiting).toBeGreaterThanOrEqual(95);
    expect(t.waiting).toBeLessThan(400);
    expect(t.duration).toBeCloseTo(t.sending + t.waiting + t.receiving, 6);
    expect(t.looking_up).toBe(0);
    const waiting = host.samplesOf('http_req_waiting');
    expect(waiting).toHaveLength(1);
    expect(waiting[0]?.value).toBe(t.waiting);
  });

  it('a reused keep-alive connection has connecting = 0; noConnectionReuse dials every time', async () => {
    const before = srv.connections.length;
    const { call } = vu();
    const first = await call('get', `${srv.url}/hello`);
    const second = await call('get', `${srv.url}/hello`);
    expect(first.timings.connecting).toBeGreaterThan(0);
    expect(second.timings.connecting).toBe(0);
    expect(srv.connections.length - before).toBe(1);

    const mid = srv.connections.length;
    const nr = vu({ noConnectionReuse: true });
    const a = await nr.call('get', `${srv.url}/hello`);
    const b = await nr.call('get', `${srv.url}/hello`);
    expect(a.timings.connecting).toBeGreaterThan(0);
    expect(b.timings.connecting).toBeGreaterThan(0);
    expect(srv.connections.length - mid).toBe(2);
  });

  it('noVUConnectionReuse closes connections between iterations, otherwise they are kept', async () => {
    const keep = vu();
    await keep.call('get', `${srv.url}/hello`);
    await keep.host.endIteration();
    keep.host.startIteration();
    expect((await keep.call('get', `${srv.url}/hello`)).timings.connecting).toBe(0);

    const drop = vu({ noVUConnectionReuse: true });
    await drop.call('get', `${srv.url}/hello`);
    await drop.host.endIteration();
    drop.host.startIteration();
    expect((await drop.call('get', `${srv.url}/hello`)).timings.connecting).toBeGreaterThan(0);
  });
});

describe('samples and tags', () => {
  it('emits every http_req_* metric with k6 tags, plus run tags and params.tags', async () => {
    const { call, host } = vu();
    host.stateRef.tags = { scenario: 'load', group: '::g', env: 'test' };
    await call('get', `${srv.url}/hello`, { tags: { team: 'a' } });
    const names = host.recorded.map((s) => s.metric);
    expect(names).toEqual([
      'http_reqs', 'http_req_duration', 'http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking',
      'http_req_sending', 'http_req_waiting', 'http_req_receiving', 'http_req_failed',
    ]);
    expect(host.recorded[0]?.tags).toEqual({
      scenario: 'load', group: '::g', env: 'test', team: 'a',
      method: 'GET', url: `${srv.url}/hello`, name: `${srv.url}/hello`, status: '200', proto: 'HTTP/1.1',
      expected_response: 'true',
    });
    expect(host.samplesOf('http_req_failed')[0]?.value).toBe(0);
    expect(host.samplesOf('http_reqs')[0]?.value).toBe(1);
  });

  it('a user name tag also sets url; http.url sets name to the template', async () => {
    const { call, http, host } = vu();
    await call('get', `${srv.url}/hello?id=1`, { tags: { name: 'hello-page' } });
    const t1 = host.samplesOf('http_reqs')[0]?.tags;
    expect(t1?.name).toBe('hello-page');
    expect(t1?.url).toBe('hello-page');
    const code = 201;
    const tagged = (http.url as (s: TemplateStringsArray, ...v: unknown[]) => unknown)`${srv.url}/status/${code}`;
    const res = await call('get', tagged);
    expect(res.status).toBe(201);
    expect(res.url).toBe(`${srv.url}/status/201`);
    const t2 = host.samplesOf('http_reqs')[1]?.tags;
    expect(t2?.name).toBe('${}/status/${}');
    expect(t2?.url).toBe('${}/status/${}');
  });

  it('error_code for status >= 400, expected_response and http_req_failed follow setResponseCallback', async () => {
    const { call, http, host } = vu();
    const res = await call('get', `${srv.url}/status/404`);
    expect(res.status).toBe(404);
    expect(res.error_code).toBe(1404);
    let tags = host.samplesOf('http_reqs')[0]?.tags;
    expect(tags?.error_code).toBe('1404');
    expect(tags?.expected_response).toBe('false');
    expect(host.samplesOf('http_req_failed')[0]?.value).toBe(1);

    const es = http.expectedStatuses as (...a: unknown[]) => unknown;
    (http.setResponseCallback as (c: unknown) => void)(es(404, { min: 200, max: 204 }));
    await call('get', `${srv.url}/status/404`);
    tags = host.samplesOf('http_reqs')[1]?.tags;
    expect(tags?.expected_response).toBe('true');
    expect(host.samplesOf('http_req_failed')[1]?.value).toBe(0);

    (http.setResponseCallback as (c: unknown) => void)(null);
    await call('get', `${srv.url}/status/500`);
    tags = host.samplesOf('http_reqs')[2]?.tags;
    expect(tags?.expected_response).toBeUndefined();
    expect(host.samplesOf('http_req_failed')).toHaveLength(2);

    await call('get', `${srv.url}/status/500`, { responseCallback: es(500) });
    expect(host.samplesOf('http_req_failed')[2]?.value).toBe(0);
    expect(() => (http.setResponseCallback as (c: unknown) => void)(() => true)).toThrow('unsupported argument, expected http.expectedStatuses');
    // Only null clears it (k6 SetResponseCallback): no argument or undefined is the same error, while an
    // undefined responseCallback param means none for that request.
    expect(() => (http.setResponseCallback as (c?: unknown) => void)()).toThrow('unsupported argument, expected http.expectedStatuses');
    expect(() => (http.setResponseCallback as (c: unknown) => void)(undefined)).toThrow('unsupported argument, expected http.expectedStatuses');
    await call('get', `${srv.url}/status/500`, { responseCallback: undefined });
    expect(host.samplesOf('http_req_failed')).toHaveLength(3);
    // k6's argument checks and messages (numbered from 1).
    expect(() => es()).toThrow('no arguments');
    expect(() => es(200, '201')).toThrow('argument number 2 to expectedStatuses was neither an integer nor an object like {min:100, max:329}');
    expect(() => es({ min: 200 })).toThrow('argument number 1 to expectedStatuses was neither');
    expect(() => es({ min: 200, max: 2.5 })).toThrow('both min and max need to be integers for argument number 1');
    expect(() => es(1.5)).toThrow('argument number 1 to expectedStatuses was neither');
  });

  it('counts data_sent/data_received per iteration', async () => {
    const { call, host } = vu();
    await call('post', `${srv.url}/echo`, 'x'.repeat(1000));
    await host.endIteration();
    const sent = host.samplesOf('data_sent');
    const received = host.samplesOf('data_received');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.value).toBeGreaterThan(1000);
    expect(received[0]?.value).toBeGreaterThan(1000);
    expect(sent[0]?.tags).toEqual(host.stateRef.tags);
    await host.endIteration();
    expect(host.samplesOf('data_sent')).toHaveLength(1);
  });

  it('respects systemTags', async () => {
    const { call, host } = vu({ systemTags: ['status', 'method'] });
    await call('get', `${srv.url}/hello`);
    expect(host.samplesOf('http_reqs')[0]?.tags).toEqual({ scenario: 'default', group: '', status: '200', method: 'GET' });
  });
});

describe('header names and values on the wire', () => {
  it("a name that is no token or a value with control bytes fails the request as Go's transport does (1000, Go's text)", async () => {
    const { call, host } = vu();
    const a = await call('get', `${srv.url}/echo`, { headers: { 'Accept;charset=UTF-8': 'text/csv' } });
    expect([a.status, a.error_code, a.error]).toEqual([0, 1000, 'net/http: invalid header field name "Accept;charset=UTF-8"']);
    const b = await call('get', `${srv.url}/echo`, { headers: { 'x-ok': 'a\nb' } });
    expect([b.status, b.error_code, b.error]).toEqual([0, 1000, 'net/http: invalid header field value for "X-Ok"']);
    expect(host.samplesOf('http_reqs').map((s) => s.tags.error_code)).toEqual(['1000', '1000']);
  });

  it('a value with characters beyond ASCII goes as its UTF-8 bytes (a Go string), not refused or sent as Latin-1', async () => {
    const { call } = vu();
    const res = await call('get', `${srv.url}/echo`, { headers: { 'X-A': 'caf\u00e9', 'X-B': '\u20ac' } });
    const headers = (res.json() as { headers: Record<string, string> }).headers;
    // node's server reads header bytes as Latin-1
    expect([headers['x-a'], headers['x-b']]).toEqual([Buffer.from('caf\u00e9').toString('latin1'), Buffer.from('\u20ac').toString('latin1')]);
  });
});

describe('redirects', () => {
  it('emits each hop as its own request, returns the final response', async () => {
    const { call, host } = vu();
    const res = await call('get', `${srv.url}/redirect/2`);
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${srv.url}/redirect/0`);
    const reqs = host.samplesOf('http_reqs');
    expect(reqs.map((s) => [s.tags.url, s.tags.status])).toEqual([
      [`${srv.url}/redirect/2`, '302'],
      [`${srv.url}/redirect/1`, '302'],
      [`${srv.url}/redirect/0`, '200'],
    ]);
    expect(res.body).toBe('cookies:hop2=yes; hop1=yes');
  });

  it('stops at the redirects param / maxRedirects and returns the last 3xx', async () => {
    const { call, host } = vu();
    const res = await call('get', `${srv.url}/redirect/3`, { redirects: 1 });
    expect(res.status).toBe(302);
    expect(res.url).toBe(`${srv.url}/redirect/2`);
    expect(host.samplesOf('http_reqs')).toHaveLength(2);
    const zero = vu({ maxRedirects: 0 });
    const r0 = await zero.call('get', `${srv.url}/redirect/1`);
    expect(r0.status).toBe(302);
    const limited = vu({ maxRedirects: 1 });
    expect((await limited.call('get', `${srv.url}/redirect/3`)).status).toBe(302);
    // A limit the script set (the option, or the param above) stops the chain silently, as in k6.
    expect([...host.logs, ...zero.host.logs, ...limited.host.logs].filter((l) => l.msg.startsWith('Stopped after'))).toEqual([]);
  });

  it("warns when k6's default limit of 10 stops a chain, counting the requests made as Go's len(via)", async () => {
    const { call, host } = vu();
    expect((await call('get', `${srv.url}/redirect/12`)).status).toBe(302);
    expect(host.samplesOf('http_reqs')).toHaveLength(11);
    const warning = host.logs.find((l) => l.level === 'warn' && l.msg.startsWith('Stopped after'));
    expect(warning?.msg).toBe(
      'Stopped after 11 redirects and returned the redirection; pass { redirects: n } in request params or set global maxRedirects to silence this',
    );
    expect(warning?.fields).toEqual({ url: `${srv.url}/redirect/12` });
  });

  it('303 turns POST into GET; 307 keeps method and body', async () => {
    const { call } = vu();
    const a = (await call('post', `${srv.url}/redirect-post?code=303`, 'data')).json() as { method: string; body: string };
    expect(a).toMatchObject({ method: 'GET', body: '' });
    const b = (await call('post', `${srv.url}/redirect-post?code=307`, 'data')).json() as { method: string; body: string };
    expect(b).toMatchObject({ method: 'POST', body: 'data' });
  });

  // Go's client copies the first request's headers to every hop (k6 put Content-Type in them), adds
  // Referer (the previous hop's URL), keeps a custom Host through relative Locations; k6's
  // CheckRedirect drops the Cookie header and sends only the jar's cookies (httpext MakeRequest).
  it("a hop carries the first request's headers and Content-Type, Referer of the previous hop, the jar's cookies only", async () => {
    const { call } = vu();
    const start = `${srv.url}/redirect-post?code=303`;
    const a = (await call('post', start, { a: '1' })).json() as { method: string; body: string; headers: Record<string, string> };
    expect(a.method).toBe('GET');
    expect(a.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(a.headers['content-length']).toBeUndefined();
    expect(a.headers.referer).toBe(start);
    const b = (await call('get', `${srv.url}/redirect-post?code=302`, { headers: { Referer: 'http://mine.test/', Cookie: 'own=1', Host: 'site.test' } })).json() as { headers: Record<string, string> };
    expect(b.headers.referer).toBe('http://mine.test/');
    expect(b.headers.cookie).toBeUndefined();
    expect(b.headers.host).toBe('site.test');
    const c = await call('get', `${srv.url}/redirect/1`, { headers: { Cookie: 'own=1' } });
    expect(c.body).toBe('cookies:hop1=yes');
  });

  // Go's shouldCopyHeaderOnRedirect: Authorization follows to the previous hop's host name (any
  // port) or its subdomains; a script Host header is not kept through an absolute Location.
  it("Authorization follows a redirect to another port of the same host name, not to another name", async () => {
    const other = await startTestServer();
    try {
      const { call } = vu();
      const port = new URL(other.url).port;
      const params = { headers: { Authorization: 'Bearer t', Host: 'site.test' } };
      const same = (await call('get', `${srv.url}/redirect-post?to=${encodeURIComponent(`http://127.0.0.1:${port}/echo`)}`, params)).json() as { headers: Record<string, string> };
      expect([same.headers.authorization, same.headers.host]).toEqual(['Bearer t', `127.0.0.1:${port}`]);
      const named = (await call('get', `${srv.url}/redirect-post?to=${encodeURIComponent(`http://localhost:${port}/echo`)}`, params)).json() as { headers: Record<string, string> };
      expect(named.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});

describe('network errors', () => {
  it('connection refused → status 0, error_code 1212, warning, sample with status 0', async () => {
    const port = await closedPort();
    const { call, host } = vu();
    const res = await call('get', `http://127.0.0.1:${port}/`);
    expect(res.status).toBe(0);
    expect(res.body).toBeNull();
    expect(res.error_code).toBe(1212);
    expect(res.error).toBe('dial: connection refused');
    const tags = host.samplesOf('http_reqs')[0]?.tags;
    expect(tags?.status).toBe('0');
    expect(tags?.error_code).toBe('1212');
    expect(tags?.expected_response).toBe('false');
    expect(host.logs.some((l) => l.level === 'warn' && l.msg.includes('Request Failed'))).toBe(true);
  });

  it('timeout → error_code 1050', async () => {
    const { call, host } = vu();
    const res = await call('get', `${srv.url}/hang`, { timeout: '150ms' });
    expect(res.error_code).toBe(1050);
    expect(res.error).toBe('request timeout');
    expect(host.samplesOf('http_reqs')[0]?.tags.error_code).toBe('1050');
  });

  it('a timeout of 0 or below is a deadline already passed: request timeout at once, with its samples (k6 hands it to context.WithTimeout)', async () => {
    const { call, host } = vu();
    for (const timeout of [0, '0', -5, '-1s']) {
      const started = performance.now();
      const res = await call('get', `${srv.url}/hello`, { timeout });
      expect([res.status, res.error_code, res.error]).toEqual([0, 1050, 'request timeout']);
      expect(performance.now() - started).toBeLessThan(100);
    }
    expect(host.samplesOf('http_reqs').map((s) => s.tags.error_code)).toEqual(['1050', '1050', '1050', '1050']);
  });

  it('each request on a kept-alive connection gets its own timeout, none left over from the last', async () => {
    const { call } = vu();
    expect((await call('get', `${srv.url}/hello`, { timeout: '100ms' })).status).toBe(200);
    // The connection's timer, armed for the first request, passes while nothing is in flight.
    await new Promise((r) => setTimeout(r, 150));
    const started = performance.now();
    expect((await call('get', `${srv.url}/hello`, { timeout: '100ms' })).status).toBe(200);
    const slow = await call('get', `${srv.url}/hang`, { timeout: '300ms' });
    expect(slow.error_code).toBe(1050);
    // Timed from its own start with its own 300 ms, not the 100 ms of the requests before it.
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect((await call('get', `${srv.url}/hello`)).status).toBe(200);
  });

  it('reset by peer → 1220, closed without answer → EOF 1000; a URL Go parses but cannot send → 1000 with samples (k6 TestErrorCodes "Missing protocol")', async () => {
    const { call, host } = vu();
    expect((await call('get', `${srv.url}/reset`)).error_code).toBe(1220);
    const eof = await call('get', `${srv.url}/eof`);
    expect([eof.error_code, eof.error]).toEqual([1000, 'EOF']);
    const bad = await call('get', 'not a url');
    expect([bad.status, bad.error_code, bad.error, bad.body]).toEqual([0, 1000, 'unsupported protocol scheme ""', null]);
    const ftp = await call('get', 'ftp://127.0.0.1/');
    expect([ftp.error_code, ftp.error]).toEqual([1000, 'unsupported protocol scheme "ftp"']);
    expect((await call('get', 'http://')).error).toBe('http: no Host in request URL');
    const reqs = host.samplesOf('http_reqs');
    expect(reqs).toHaveLength(5);
    expect(reqs[3]?.tags).toMatchObject({ url: 'ftp://127.0.0.1/', status: '0', error_code: '1000', error: 'unsupported protocol scheme "ftp"' });
    expect(host.logs.filter((l) => l.msg === 'Request Failed').map((l) => l.fields?.error)).toContain(
      'Get "ftp://127.0.0.1/": unsupported protocol scheme "ftp"',
    );
    expect((await call('get', `${srv.url}/hello`)).status).toBe(200);
  });

  it('retries a GET once when a kept-alive connection was closed under it (as Go does), not a POST', async () => {
    // Answers the first request of each connection and drops the connection on the second.
    let accepted = 0;
    const flaky = createServer((socket) => {
      accepted++;
      let seen = 0;
      socket.on('data', () => {
        seen++;
        if (seen === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
        else socket.destroy();
      });
    });
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
    const { port } = flaky.address() as AddressInfo;
    try {
      const { call, host } = vu();
      expect((await call('get', `http://127.0.0.1:${port}/`)).body).toBe('ok');
      const second = await call('get', `http://127.0.0.1:${port}/`);
      expect([second.status, second.body]).toEqual([200, 'ok']);
      expect(accepted).toBe(2);
      expect(host.samplesOf('http_reqs')).toHaveLength(2);
      const post = await call('post', `http://127.0.0.1:${port}/`, 'x');
      expect(post.status).toBe(0);
      expect(post.error_code).toBe(1000);
    } finally {
      flaky.close();
    }
  });

  it('interrupting the VU cancels requests in flight without emitting samples', async () => {
    const { call, host } = vu();
    await call('get', `${srv.url}/hello`);
    await host.endIteration();
    host.startIteration();
    const pending = call('get', `${srv.url}/hang`);
    setTimeout(() => host.abort(), 50);
    const res = await pending;
    expect(res.status).toBe(0);
    expect(res.error).toBe('context canceled');
    expect(host.samplesOf('http_reqs')).toHaveLength(1);
  });

  it('throw option and per-request throw param raise instead of returning', async () => {
    const port = await closedPort();
    const t = vu({ throw: true });
    await expect(t.call('get', `http://127.0.0.1:${port}/`)).rejects.toThrow(/connection refused/);
    // A GoError, as sobek throws the error k6's request returns: String(e) reads "GoError: Get …".
    await expect(t.call('get', `http://127.0.0.1:${port}/`)).rejects.toThrow(expect.objectContaining({ name: 'GoError' }));
    expect(t.host.samplesOf('http_reqs')).toHaveLength(2);
    const p = vu();
    await expect(p.call('get', `http://127.0.0.1:${port}/`, { throw: true })).rejects.toThrow(/connection refused/);
    expect((await t.call('get', `http://127.0.0.1:${port}/`, { throw: false })).error_code).toBe(1212);
  });

  it('blockHostnames → 1111 and blacklistIPs → 1110, with samples', async () => {
    const port = new URL(srv.url).port;
    const { call, host } = vu({
      hosts: { 'blocked.stampede.test': '127.0.0.1', 'ok.stampede.test': '127.0.0.1' },
      blockHostnames: ['*.blocked.stampede.test', 'blocked.stampede.test'],
    });
    const res = await call('get', `http://blocked.stampede.test:${port}/hello`);
    expect([res.status, res.error_code, res.error]).toEqual([0, 1111, 'hostname is blocked']);
    expect(host.samplesOf('http_reqs')[0]?.tags.error_code).toBe('1111');
    expect((await call('get', `http://ok.stampede.test:${port}/hello`)).status).toBe(200);
    const bl = vu({ blacklistIPs: ['127.0.0.0/8'] });
    expect((await bl.call('get', `${srv.url}/hello`)).error_code).toBe(1110);
    expect((await bl.call('get', `http://localhost:${port}/hello`)).error_code).toBe(1110);
  });

  it("k6's dialer_test.go: a refused dial throws the dialer's text, naming the pattern or the range; res.error keeps k6's short message", async () => {
    const port = await closedPort();
    const t = vu({
      throw: true,
      hosts: { 'mapped.stampede.test': '10.1.2.3' },
      blockHostnames: ['*blocked.stampede.test', '*.blocked.stampede.test', 'exact.stampede.test'],
      blacklistIPs: ['10.0.0.0/8', '::1/24'],
    });
    const thrown = (url: string): Promise<string> => t.call('get', url).then(() => 'no error', (e: Error) => e.message);
    expect(await thrown('http://a.blocked.stampede.test/')).toBe(
      'Get "http://a.blocked.stampede.test/": hostname (a.blocked.stampede.test) is in a blocked pattern (*.blocked.stampede.test)',
    );
    expect(await thrown('http://EXACT.stampede.test/')).toBe('Get "http://EXACT.stampede.test/": hostname (exact.stampede.test) is in a blocked pattern (exact.stampede.test)');
    expect(await thrown('http://10.1.2.3/')).toBe('Get "http://10.1.2.3/": IP (10.1.2.3) is in a blacklisted range (10.0.0.0/8)');
    // `::1/24` is the IPv6 range ::/24, as Go's IPNet prints it.
    expect(await thrown(`http://[::1]:${port}/`)).toBe(`Get "http://[::1]:${port}/": IP (::1) is in a blacklisted range (::/24)`);
    // An IPv4 address is never inside an IPv6 range (Go's IPNet.Contains): 127.0.0.1 is dialled.
    expect(await thrown(`http://127.0.0.1:${port}/`)).toMatch(/connection refused$/);
    // A `hosts` entry is checked where it points (the IP); the Request Failed line carries the dialer's text.
    const mapped = await t.call('get', 'http://mapped.stampede.test/', { throw: false });
    expect([mapped.status, mapped.error_code, mapped.error]).toEqual([0, 1110, 'ip is blacklisted']);
    expect(t.host.logs.filter((l) => l.msg === 'Request Failed').map((l) => l.fields?.error)).toEqual([
      'Get "http://mapped.stampede.test/": IP (10.1.2.3) is in a blacklisted range (10.0.0.0/8)',
    ]);
    expect(t.host.samplesOf('http_reqs').map((s) => s.tags.error)).toContain('hostname is blocked');
  });

  it('dns policy decides which address of a name is dialled (localhost here: 127.0.0.1, maybe ::1)', async () => {
    const port = new URL(srv.url).port;
    const v4 = vu({ dns: { ttl: '5m', select: 'first', policy: 'onlyIPv4' } });
    const res = await v4.call('get', `http://localhost:${port}/hello`);
    expect([res.status, res.remote_ip]).toEqual([200, '127.0.0.1']);
    // The server listens on 127.0.0.1 only: IPv6 only finds no address (1101) or dials ::1 and is refused (1212).
    const v6 = vu({ dns: { ttl: '5m', select: 'first', policy: 'onlyIPv6' } });
    const failed = await v6.call('get', `http://localhost:${port}/hello`);
    expect(failed.status).toBe(0);
    expect([1101, 1212]).toContain(failed.error_code);
  });

  it('hosts option maps a name to the local server', async () => {
    const port = new URL(srv.url).port;
    const { call } = vu({ hosts: { 'api.stampede.test': '127.0.0.1' } });
    const res = await call('get', `http://api.stampede.test:${port}/echo`);
    expect(res.status).toBe(200);
    expect((res.json() as { headers: Record<string, string> }).headers.host).toBe(`api.stampede.test:${port}`);
    const withPort = vu({ hosts: { '*.stampede.test': `127.0.0.1:${port}` } });
    expect((await withPort.call('get', 'http://x.stampede.test/hello')).body).toBe('hello');
  });

  it('hosts keys with a port apply to that port only, before the bare name (the docs\' `test.k6.io:443` form)', async () => {
    const port = new URL(srv.url).port;
    const { call } = vu({
      hosts: {
        'api.stampede.test:80': `127.0.0.1:${port}`,
        'API.stampede.test': '127.0.0.9',
        '*.stampede.test': '127.0.0.9',
        '*.deep.stampede.test': `127.0.0.1:${port}`,
      },
    });
    // The port key wins over the bare name (case ignored) for :80, the implicit port of http://.
    expect((await call('get', 'http://api.stampede.test/hello')).body).toBe('hello');
    // The longest wildcard wins over a shorter one, whatever their order.
    expect((await call('get', 'http://a.deep.stampede.test/hello')).body).toBe('hello');
    // Another port falls back to the bare name's entry (127.0.0.9, where nothing listens).
    const other = await call('get', `http://api.stampede.test:${port}/hello`, { timeout: '2s' });
    expect(other.status).toBe(0);
    expect(other.remote_ip === '127.0.0.1').toBe(false);
  });
});

describe('TLS', () => {
  let tlsSrv: TestServer;
  beforeAll(async () => {
    tlsSrv = await startTestServer(true);
  });
  afterAll(async () => {
    await tlsSrv.close();
  });

  it('a TLS handshake that never completes times out with 1050', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as AddressInfo;
    try {
      const { call, host } = vu({ insecureSkipTLSVerify: true });
      const res = await call('get', `https://127.0.0.1:${port}/`, { timeout: 150 });
      expect(res.error_code).toBe(1050);
      expect(res.timings.blocked).toBeGreaterThanOrEqual(140);
      expect(host.samplesOf('http_reqs')[0]?.tags.error_code).toBe('1050');
      expect((await call('get', `${tlsSrv.url}/hello`)).status).toBe(200);
    } finally {
      silent.close();
    }
  });

  it('an untrusted certificate fails with 1310 unless insecureSkipTLSVerify', async () => {
    const strict = vu();
    const bad = await strict.call('get', `${tlsSrv.url}/hello`);
    expect(bad.status).toBe(0);
    expect(bad.error_code).toBe(1310);
    expect(bad.error).toBe('x509: unknown authority');

    const { call, host } = vu({ insecureSkipTLSVerify: true });
    const res = await call('get', `${tlsSrv.url}/hello`);
    expect(res.status).toBe(200);
    expect(res.body).toBe('hello');
    expect(res.tls_version).toMatch(/^tls1\.[23]$/);
    expect(res.timings.tls_handshaking).toBeGreaterThan(0);
    expect(res.timings.connecting).toBeGreaterThan(0);
    expect(res.timings.blocked).toBeGreaterThanOrEqual(res.timings.connecting + res.timings.tls_handshaking - 0.001);
    expect(host.samplesOf('http_reqs')[0]?.tags.tls_version).toBe(res.tls_version);
    // k6 netext.OCSP: every field, "unknown" when the server staples no OCSP response.
    expect(res.ocsp).toEqual({ produced_at: 0, this_update: 0, next_update: 0, revoked_at: 0, revocation_reason: '', status: 'unknown' });
    expect((await call('get', `${srv.url}/hello`)).ocsp).toEqual({
      produced_at: 0, this_update: 0, next_update: 0, revoked_at: 0, revocation_reason: '', status: '',
    });
    const again = await call('get', `${tlsSrv.url}/hello`);
    expect(again.timings.tls_handshaking).toBe(0);
  });

  it('noConnectionReuse over TLS handshakes again on every request', async () => {
    const { call } = vu({ insecureSkipTLSVerify: true, noConnectionReuse: true });
    const a = await call('get', `${tlsSrv.url}/hello`);
    const b = await call('get', `${tlsSrv.url}/hello`);
    expect(a.timings.tls_handshaking).toBeGreaterThan(0);
    expect(b.timings.tls_handshaking).toBeGreaterThan(0);
  });

  it('speaks HTTP/2 when the server offers it, HTTP/1.1 with noConnectionReuse', async () => {
    const h2 = await startTestServer('h2');
    try {
      const { call, host, http } = vu({ insecureSkipTLSVerify: true });
      const res = await call('post', `${h2.url}/echo`, 'over h2');
      expect(res.proto).toBe('HTTP/2.0');
      expect(res.status_text).toBe('200 OK');
      expect(res.headers['Content-Type']).toBe('application/json');
      expect((res.json() as { body: string }).body).toBe('over h2');
      expect(host.samplesOf('http_reqs')[0]?.tags.proto).toBe('HTTP/2.0');
      expect(res.timings.waiting).toBeGreaterThan(0);
      const again = await call('get', `${h2.url}/hello`);
      expect([again.body, again.timings.connecting]).toEqual(['hello', 0]);
      const batch = (await (http.batch as (r: unknown) => Promise<Response[]>)(
        Array.from({ length: 4 }, () => `${h2.url}/delay?ms=30`),
      ));
      expect(batch.map((r) => r.proto)).toEqual(['HTTP/2.0', 'HTTP/2.0', 'HTTP/2.0', 'HTTP/2.0']);
      expect(h2.connections.length).toBe(1);
      const h1 = vu({ insecureSkipTLSVerify: true, noConnectionReuse: true });
      expect((await h1.call('get', `${h2.url}/hello`)).proto).toBe('HTTP/1.1');
      await host.close();
      await h1.host.close();
    } finally {
      await h2.close();
    }
  });

  it('DELETE and OPTIONS with a body go out over HTTP/2 and HTTP/1.1, with its Content-Length on HTTP/1.1; h2 status texts are Go\'s', async () => {
    const h2 = await startTestServer('h2');
    try {
      for (const opts of [{ insecureSkipTLSVerify: true }, { insecureSkipTLSVerify: true, noConnectionReuse: true }]) {
        const { call, host } = vu(opts);
        const del = await call('del', `${h2.url}/echo`, '{"id":7}', { headers: { 'Content-Type': 'application/json' } });
        const echoed = del.json() as { method: string; body: string; headers: Record<string, string> };
        expect([del.error, echoed.method, echoed.body]).toEqual(['', 'DELETE', '{"id":7}']);
        if (del.proto === 'HTTP/1.1') expect(echoed.headers['content-length']).toBe('8');
        const opt = await call('options', `${h2.url}/echo`, 'x=1');
        expect([opt.status, (opt.json() as { body: string }).body]).toEqual([200, 'x=1']);
        if (del.proto === 'HTTP/2.0') {
          // No reason phrase in HTTP/2: Go's http.StatusText, not Node's table.
          const texts = await Promise.all([418, 413, 416, 509].map(async (c) => (await call('get', `${h2.url}/status/${c}`)).status_text));
          expect(texts).toEqual(["418 I'm a teapot", '413 Request Entity Too Large', '416 Requested Range Not Satisfiable', '509 ']);
        }
        // The connection is still usable (a failed h2 write used to leave it stuck).
        expect((await call('get', `${h2.url}/hello`)).body).toBe('hello');
        expect(del.request.body).toBe('{"id":7}');
        expect(del.request.headers['Content-Length']).toBeUndefined();
        await host.close();
      }
    } finally {
      await h2.close();
    }
  });

  it('tlsVersion bounds the negotiated version', async () => {
    const { call } = vu({ insecureSkipTLSVerify: true, tlsVersion: { min: 'tls1.2', max: 'tls1.2' } });
    expect((await call('get', `${tlsSrv.url}/hello`)).tls_version).toBe('tls1.2');
  });

  it('tlsCipherSuites picks the TLS 1.2 suite (the test certificate is ECDSA), and res.tls_cipher_suite names it as k6 does', async () => {
    const tls13 = await vu({ insecureSkipTLSVerify: true }).call('get', `${tlsSrv.url}/hello`);
    expect(tls13.tls_cipher_suite).toMatch(/^TLS_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)$/);
    for (const suite of ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA']) {
      const { call } = vu({ insecureSkipTLSVerify: true, tlsVersion: 'tls1.2', tlsCipherSuites: [suite] });
      const res = await call('get', `${tlsSrv.url}/hello`);
      expect([res.status, res.tls_version, res.tls_cipher_suite]).toEqual([200, 'tls1.2', suite]);
    }
    // Like Go, the list does not touch TLS 1.3: a TLS 1.3 connection still negotiates.
    const only13 = await vu({ insecureSkipTLSVerify: true, tlsCipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] }).call('get', `${tlsSrv.url}/hello`);
    expect([only13.status, only13.tls_version]).toEqual([200, 'tls1.3']);
  });
});

describe('cookies', () => {
  it('stores response cookies, sends them back, and resets the jar each iteration', async () => {
    const { call, host, http } = vu();
    const res = await call('get', `${srv.url}/set-cookie`);
    expect(res.cookies.session?.[0]).toMatchObject({ name: 'session', value: 'abc123', http_only: true, max_age: 3600, path: '/' });
    // No Expires: k6 shows Go's zero time in ms (an int64 overflow), not 0.
    expect(res.cookies.theme?.[0]).toMatchObject({ max_age: 0, expires: -6795364578871 });
    expect((await call('get', `${srv.url}/cookies`)).body).toBe('session=abc123; theme=dark');
    const jar = (http.cookieJar as () => CookieJar)();
    expect(jar.cookiesForURL(`${srv.url}/`)).toEqual({ session: ['abc123'], theme: ['dark'] });
    await host.endIteration();
    host.startIteration();
    expect((await call('get', `${srv.url}/cookies`)).body).toBe('');
  });

  it('noCookiesReset keeps the jar; params.cookies merge, replace wins', async () => {
    const { call, host } = vu({ noCookiesReset: true });
    await call('get', `${srv.url}/set-cookie`);
    await host.endIteration();
    host.startIteration();
    expect((await call('get', `${srv.url}/cookies`)).body).toBe('session=abc123; theme=dark');
    const res = await call('get', `${srv.url}/cookies`, { cookies: { extra: '1', theme: { value: 'light', replace: true } } });
    expect(res.body).toBe('extra=1; theme=light; session=abc123');
    // What the Cookie header carried, params and jar alike (Go's Request.Cookies()): replace is always false.
    expect(res.request.cookies).toEqual({
      extra: [{ name: 'extra', value: '1', replace: false }],
      theme: [{ name: 'theme', value: 'light', replace: false }],
      session: [{ name: 'session', value: 'abc123', replace: false }],
    });
  });

  it('jar methods set/delete/clear and a separate CookieJar', async () => {
    const { call, http } = vu();
    const jar = (http.cookieJar as () => CookieJar)();
    jar.set(srv.url, 'a', '1');
    jar.set(srv.url, 'b', '2', { path: '/' });
    expect((await call('get', `${srv.url}/cookies`)).body).toBe('a=1; b=2');
    jar.delete(srv.url, 'a');
    expect((await call('get', `${srv.url}/cookies`)).body).toBe('b=2');
    jar.clear(srv.url);
    expect((await call('get', `${srv.url}/cookies`)).body).toBe('');
    // As Go's jar: delete and clear reach the URL's host and default path only (/p/q → /p).
    jar.set(`${srv.url}/p/q`, 'deep', '1');
    jar.set(srv.url, 'top', '2');
    jar.delete(`${srv.url}/p/q`, 'top');
    jar.clear(`${srv.url}/p/`);
    expect(jar.cookiesForURL(`${srv.url}/p/x`)).toEqual({ top: ['2'] });
    jar.delete(srv.url, 'top');
    expect(jar.cookiesForURL(`${srv.url}/p/x`)).toEqual({});
    expect(jar.delete(srv.url, 'gone')).toBeUndefined();
    expect(Object.keys(jar)).toEqual([]); // no internals for scripts to see or console.log to print
    expect(() => jar.delete(srv.url, '')).toThrow('cookie: is null');
    const Own = http.CookieJar as new () => CookieJar;
    const own = new Own();
    own.set(srv.url, 'mine', 'x');
    expect((await call('get', `${srv.url}/cookies`, { jar: own })).body).toBe('mine=x');
    expect((await call('get', `${srv.url}/cookies`)).body).toBe('');
  });
});

describe("k6's request_test.go cases", () => {
  it('a Location Go cannot parse fails the request with 1000, status 0 in the samples, cookies not kept (TestErrorCodes "Bad location redirect")', async () => {
    const { call, host, http } = vu();
    const res = await call('get', `${srv.url}/bad-location`);
    const msg = 'failed to parse Location header "h\\t:/": parse "h\\t:/": net/url: invalid control character in URL';
    expect([res.status, res.error_code, res.error]).toEqual([0, 1000, msg]);
    const tags = host.samplesOf('http_reqs')[0]?.tags;
    expect(tags).toMatchObject({ status: '0', error_code: '1000', error: msg, expected_response: 'false' });
    expect(host.logs.find((l) => l.msg === 'Request Failed')?.fields?.error).toBe(`Get "${srv.url}/bad-location": ${msg}`);
    const jar = (http.cookieJar as () => CookieJar)();
    expect(jar.cookiesForURL(`${srv.url}/`)).toEqual({});
    const thrown = vu({ throw: true });
    await expect(thrown.call('get', `${srv.url}/bad-location`)).rejects.toThrow(`Get "${srv.url}/bad-location": ${msg}`);
  });

  it('follows 301, 302, 303, 307 and 308 only: a 300 with a Location is the response, as in Go', async () => {
    const { call } = vu();
    for (const code of [301, 302, 303, 307, 308]) expect((await call('get', `${srv.url}/redirect-status/${code}`)).body).toBe('hello');
    const multiple = await call('get', `${srv.url}/redirect-status/300`);
    expect([multiple.status, multiple.headers.Location]).toEqual([300, '/hello']);
  });

  it('a body that cannot be decompressed fails with 1701 and status 0 everywhere; the error has no URL prefix (TestErrorsWithDecompression)', async () => {
    const { call, host } = vu();
    const res = await call('get', `${srv.url}/encoded?as=gzip`);
    expect([res.status, res.error_code, res.body, res.headers]).toEqual([0, 1701, null, {}]);
    expect(res.error).toMatch(/^error decompressing response body \(gzip: invalid header\)$/);
    expect(host.samplesOf('http_reqs')[0]?.tags).toMatchObject({ status: '0', error_code: '1701', expected_response: 'false' });
    expect(host.samplesOf('http_req_failed')[0]?.value).toBe(1);
    const thrown = vu({ throw: true });
    await expect(thrown.call('get', `${srv.url}/encoded?as=deflate`)).rejects.toThrow(/^error decompressing response body \(zlib: invalid header\)$/);
  });

  it('leaves a body with a Content-Encoding it does not know as it is (Compression "custom compression")', async () => {
    const { call } = vu();
    for (const as of ['custom', 'identity', 'x-gzip', 'GZIP']) {
      const res = await call('get', `${srv.url}/encoded?as=${as}`);
      expect([res.status, res.error_code, res.json()]).toEqual([200, 0, { plain: true }]);
    }
  });

  it('http.get/http.head with a body argument warn as k6 does, and take the second argument as params (GETExtraArgs, HEADExtraArgs)', async () => {
    const { call, host } = vu();
    const res = await call('get', `${srv.url}/echo`, null, { headers: { 'X-We-Want-This': 'value' } });
    expect((res.json() as { headers: Record<string, string> }).headers['x-we-want-this']).toBeUndefined();
    await call('head', `${srv.url}/hello`, null, {});
    expect(host.logs.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([
      'http.get only accepts a url and a params argument (2 arguments), but 3 were given',
      'http.head only accepts a url and a params argument (2 arguments), but 3 were given',
    ]);
  });

  it('params that are not an object (http.get(url, JSON.stringify(body), params)) name no param: the request goes out, as k6 ToObject() reads them', async () => {
    const { call, host } = vu();
    const res = await call('get', `${srv.url}/echo`, JSON.stringify({ username: 'u' }), { headers: { 'X-Dropped': '1' } });
    expect([res.status, res.error_code]).toEqual([200, 0]);
    expect((res.json() as { headers: Record<string, string> }).headers['x-dropped']).toBeUndefined();
    for (const params of ['headers', 42, true]) expect((await call('post', `${srv.url}/echo`, 'b', params)).status).toBe(200);
    expect(host.samplesOf('http_reqs')).toHaveLength(4);
  });

  it('a URL that is not a string (an unset __ENV variable, a response, an object) fails before anything is sent, as k6 httpext.ToURL: 1020, no request counted', async () => {
    const { call, host } = vu();
    const unset = await call('get', undefined);
    expect([unset.status, unset.error_code, unset.error]).toEqual([0, 1020, "invalid URL: '#<nil>'"]);
    const first = await call('get', `${srv.url}/hello`);
    expect((await call('get', first)).error).toBe("invalid URL: '#&{…}'");
    expect((await call('post', { b: 'x', a: 1 }, 'body')).error).toBe("invalid URL: '#map[a:1 b:x]'");
    expect((await call('get', 42)).error).toBe("invalid URL: '#42'");
    expect(host.samplesOf('http_reqs')).toHaveLength(1);
    expect(host.logs.filter((l) => l.level === 'warn').map((l) => l.fields?.error)).toEqual([
      "invalid URL: '#<nil>'",
      "invalid URL: '#&{…}'",
      "invalid URL: '#map[a:1 b:x]'",
      "invalid URL: '#42'",
    ]);
    await expect(vu({ throw: true }).call('get', undefined)).rejects.toThrow("invalid URL: '#<nil>'");
  });

  it('res.request is the request the script made, not the last redirect hop; its body before compression (k6 MakeRequest respReq)', async () => {
    const { call } = vu();
    const res = await call('post', `${srv.url}/redirect-post?code=303`, 'payload', { compression: 'gzip', headers: { 'X-Mine': '1' } });
    expect(res.url).toBe(`${srv.url}/echo`);
    expect([res.request.method, res.request.url, res.request.body]).toEqual(['POST', `${srv.url}/redirect-post?code=303`, 'payload']);
    expect(res.request.headers['X-Mine']).toEqual(['1']);
    expect(res.request.headers['Content-Encoding']).toEqual(['gzip']);
  });

  it('an empty User-Agent header sends none (UserAgent "Override empty")', async () => {
    const { call } = vu();
    const echo = (await call('get', `${srv.url}/echo`, { headers: { 'User-Agent': '' } })).json() as { headers: Record<string, string> };
    expect(echo.headers['user-agent']).toBeUndefined();
  });

  it('digest auth measures and reports the URL without its credentials, as k6 (Params/auth/digest)', async () => {
    const { call, host } = vu();
    const url = `${srv.url.replace('://', '://bob:secret@')}/digest`;
    const res = await call('get', url, { auth: 'digest' });
    expect([res.status, res.url]).toEqual([200, `${srv.url}/digest`]);
    expect(host.samplesOf('http_reqs').map((s) => [s.tags.url, s.tags.status])).toEqual([[`${srv.url}/digest`, '401'], [`${srv.url}/digest`, '200']]);
    const basic = await call('get', `${srv.url.replace('://', '://bob:secret@')}/hello`);
    expect(host.samplesOf('http_reqs')[2]?.tags.url).toBe(`${srv.url.replace('://', '://****:****@')}/hello`);
    expect(basic.url).toBe(`${srv.url.replace('://', '://bob:secret@')}/hello`);
  });

  it('res.url is the URL as Go prints it: no "/" added to a bare origin', async () => {
    const { call } = vu();
    const res = await call('get', srv.url);
    expect([res.url, res.request.url]).toEqual([srv.url, srv.url]);
    expect((await call('get', `${srv.url}/hello?a=1#frag`)).url).toBe(`${srv.url}/hello?a=1#frag`);
  });

  it('the compression param: checked even without a body, names case-sensitive; a Content-Encoding header of the script wins, with a warning (TestRequestCompression)', async () => {
    const { call, host } = vu();
    for (const c of ['George', 'gzip, George', 'GZIP']) {
      const res = await call('get', `${srv.url}/echo`, { compression: c });
      const bad = c === 'gzip, George' ? 'George' : c;
      expect([res.status, res.error]).toEqual([0, `unknown compression algorithm ${bad}, supported algorithms are [gzip deflate zstd br]`]);
    }
    const blank = await call('post', `${srv.url}/echo`, 'x', { compression: '  ' });
    expect((blank.json() as { headers: Record<string, string> }).headers['content-encoding']).toBeUndefined();
    const own = await call('post', `${srv.url}/echo`, 'text', { compression: 'gzip, deflate', headers: { 'Content-Encoding': 'not, valid' } });
    expect((own.json() as { headers: Record<string, string> }).headers['content-encoding']).toBe('not, valid');
    expect(host.logs.filter((l) => l.msg.startsWith("There's a mismatch between the desired `compression`"))).toHaveLength(1);
    const same = await call('post', `${srv.url}/echo`, 'text', { compression: 'gzip', headers: { 'content-encoding': 'gzip' } });
    expect((same.json() as { headers: Record<string, string> }).headers['content-encoding']).toBe('gzip');
    expect(host.logs.filter((l) => l.msg.startsWith("There's a mismatch"))).toHaveLength(1);
  });

  it("a request k6 cannot prepare: k6's own error (no method/URL prefix), the global throw option only, an empty body (InvalidURL, nopanic)", async () => {
    const { call, host } = vu();
    const res = await call('get', 'https:// test.k6.io', { throw: true });
    const msg = 'invalid URL: parse "https:// test.k6.io": invalid character " " in host name';
    expect([res.error_code, res.error, res.body]).toEqual([1020, msg, '']);
    expect(host.logs.find((l) => l.msg === 'Request Failed')?.fields?.error).toBe(msg);
    expect(() => res.html()).not.toThrow();
    expect(() => res.json()).toThrow('unexpected end of JSON input');
    expect(host.samplesOf('http_reqs')).toHaveLength(0);
    const thrown = vu({ throw: true });
    await expect(thrown.call('get', 'https:// test.k6.io')).rejects.toThrow(new RegExp(`^${msg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    await expect(thrown.call('request', '', '')).rejects.toThrow('Get "": unsupported protocol scheme ""');
  });
});

describe('json()', () => {
  it('parses, follows gjson paths, and reports bad JSON', async () => {
    const { call } = vu();
    const res = await call('get', `${srv.url}/json`);
    expect(res.json('name')).toBe('stampede');
    expect(res.json('a.b.1.c')).toBe(2);
    expect(res.json('a.b.#')).toBe(3);
    expect(res.json('a.b.#.c')).toEqual([1, 2]);
    expect(res.json('dot\\.key')).toBe(true);
    expect(res.json('a.missing')).toBeUndefined();
    const bad = await call('get', `${srv.url}/bad-json`);
    expect(bad.json('a')).toBeUndefined();
    expect(() => bad.json()).toThrow("cannot parse json due to an error at line 1, character 2 , error: invalid character 'n' looking for beginning of object key string");
    expect(() => bad.json()).toThrow(expect.objectContaining({ name: 'GoError' }));
  });
});

describe('batch and asyncRequest', () => {
  it('returns responses in the shape given, for every entry form', async () => {
    const { http, host } = vu();
    const batch = http.batch as (r: unknown) => Promise<unknown>;
    const arr = (await batch([
      `${srv.url}/hello`,
      ['POST', `${srv.url}/echo`, 'b1'],
      { method: 'PUT', url: `${srv.url}/echo`, body: 'b2', params: { tags: { k: 'v' } } },
    ])) as Response[];
    expect(arr.map((r) => r.status)).toEqual([200, 200, 200]);
    expect((arr[1]?.json() as { method: string }).method).toBe('POST');
    expect((arr[2]?.json() as { body: string }).body).toBe('b2');
    const obj = (await batch({ one: `${srv.url}/hello`, two: { url: `${srv.url}/status/201` } })) as Record<string, Response>;
    expect(obj.one?.body).toBe('hello');
    expect(obj.two?.status).toBe(201);
    expect(host.samplesOf('http_reqs')).toHaveLength(5);
  });

  it('a malformed entry sends nothing: k6 logs it and returns what it prepared, or throws with throw', async () => {
    const { http, host } = vu();
    const batch = http.batch as (...r: unknown[]) => Promise<unknown>;
    const arr = (await batch([`${srv.url}/hello`, ['GET'], `${srv.url}/hello`])) as Array<Response | null>;
    expect(arr.map((r) => r?.status ?? null)).toEqual([0, 0, null]);
    expect(arr[1]?.error).toBe("invalid batch request '[]interface {}{\"GET\"}'");
    expect(host.samplesOf('http_reqs')).toHaveLength(0);
    const obj = (await batch({ a: { method: 'GET' } })) as Record<string, Response>;
    expect(obj.a?.error).toBe("batch request a doesn't have a url key");
    expect(() => batch('nope')).toThrow('invalid http.batch() argument type string');
    expect(() => batch()).toThrow('no argument was provided to http.batch()');
    expect(() => batch([], [])).toThrow('http.batch() accepts only an array or an object of requests');
    const strict = vu({ throw: true });
    await expect((strict.http.batch as (r: unknown) => Promise<unknown>)([[1, `${srv.url}/hello`]])).rejects.toThrow("invalid method type '1'");
  });

  it('an entry k6 cannot make into a request (a URL Go cannot parse, bad params) fails the whole batch before anything is sent', async () => {
    const { http, host } = vu();
    const batch = http.batch as (...r: unknown[]) => Promise<unknown>;
    const arr = (await batch([`${srv.url}/hello`, 'http://a b/', `${srv.url}/hello`])) as Array<Response | null>;
    // k6 prepareBatchArray: an unsent response for the entries before, the error on the bad one, null after.
    expect(arr.map((r) => r?.status ?? null)).toEqual([0, 0, null]);
    expect(arr[0]?.error).toBe('');
    const goError = 'invalid URL: parse "http://a b/": invalid character " " in host name';
    expect(arr[1]?.error).toBe(goError);
    expect(arr[1]?.error_code).toBe(1020);
    // k6's unsent responses have an empty body (TestBatchErrorNoPanic): html() works, json() throws.
    expect(arr[1]?.body).toBe('');
    expect(() => arr[1]?.html()).not.toThrow();
    expect(() => arr[1]?.json()).toThrow('unexpected end of JSON input');
    expect(host.samplesOf('http_reqs')).toHaveLength(0);
    // k6: Logger.WithField("error", err).Warn("A batch request failed").
    expect(host.logs.filter((l) => l.level === 'warn')).toEqual([{ level: 'warn', msg: 'A batch request failed', fields: { error: goError } }]);
    const obj = (await batch({ a: `${srv.url}/hello`, b: { url: `${srv.url}/hello`, params: { timeout: 'soon' } } })) as Record<string, Response>;
    expect(Object.keys(obj)).toEqual(['a', 'b']);
    expect(obj.b?.error).not.toBe('');
    expect(host.samplesOf('http_reqs')).toHaveLength(0);
    const strict = vu({ throw: true });
    await expect((strict.http.batch as (r: unknown) => Promise<unknown>)([`${srv.url}/hello`, '%zz'])).rejects.toThrow('invalid URL: parse "%zz": invalid URL escape "%zz"');
    expect(strict.host.samplesOf('http_reqs')).toHaveLength(0);
  });

  it('a URL Go parses but cannot send ("not a url") fails on its own in a batch: the other entries are sent', async () => {
    const { http, host } = vu();
    const arr = (await (http.batch as (r: unknown) => Promise<unknown>)([`${srv.url}/hello`, 'not a url'])) as Response[];
    expect(arr[0]?.status).toBe(200);
    expect(arr[1]?.error_code).toBe(1000);
    expect(host.logs.some((l) => l.msg === 'A batch request failed')).toBe(false);
    expect(host.logs.some((l) => l.msg === 'Request Failed')).toBe(true);
  });

  it('limits concurrency per host with batchPerHost', async () => {
    const before = srv.connections.length;
    const { http } = vu({ batchPerHost: 2 });
    const reqs = Array.from({ length: 6 }, () => `${srv.url}/delay?ms=60`);
    const started = performance.now();
    const res = (await (http.batch as (r: unknown) => Promise<Response[]>)(reqs));
    const elapsed = performance.now() - started;
    expect(res).toHaveLength(6);
    expect(srv.connections.length - before).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(170);
  });

  it('limits overall concurrency with batch', async () => {
    const before = srv.connections.length;
    const { http } = vu({ batch: 3, batchPerHost: 0 });
    const reqs = Array.from({ length: 6 }, () => `${srv.url}/delay?ms=40`);
    const res = await (http.batch as (r: unknown) => Promise<Response[]>)(reqs);
    expect(res.every((r) => r.status === 200)).toBe(true);
    expect(srv.connections.length - before).toBe(3);
  });

  it('keeps at most batchPerHost idle connections per origin after a burst', async () => {
    const other = await startTestServer();
    try {
      const { http } = vu({ batchPerHost: 2 });
      const burst = Array.from({ length: 8 }, () => (http.asyncRequest as Fn)('GET', `${other.url}/delay?ms=40`));
      await Promise.all(burst);
      expect(other.connections.length).toBe(8);
      const deadline = Date.now() + 2000;
      while (other.open() > 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(other.open()).toBe(2);
    } finally {
      await other.close();
    }
  });

  it('asyncRequest returns a plain promise and holds the VU open until it settles', async () => {
    const { http, host } = vu();
    const p = (http.asyncRequest as Fn)('GET', `${srv.url}/delay?ms=30`);
    expect(host.keepAlives).toBe(1);
    const res = await p;
    expect(res.body).toBe('late');
    await Promise.resolve();
    expect(host.keepAlives).toBe(0);
  });

  it('logs requests and responses with httpDebug', async () => {
    const { call, host } = vu({ httpDebug: 'full' });
    await call('post', `${srv.url}/echo`, 'dbg-body');
    const infos = host.logs.filter((l) => l.level === 'info').map((l) => l.msg);
    expect(infos[0]).toMatch(/^Request:\nPOST \/echo HTTP\/1.1/);
    expect(infos[0]).toContain('dbg-body');
    expect(infos[1]).toMatch(/^Response:\nHTTP\/1.1 200 OK/);
    expect(infos[1]).toContain('"body":"dbg-body"');
    host.logs.length = 0;
    await call('get', `${srv.url}/redirect/1`);
    const dumps = host.logs.filter((l) => l.level === 'info').map((l) => l.msg.split('\n')[1]);
    expect(dumps).toEqual(['GET /redirect/1 HTTP/1.1\r', 'HTTP/1.1 302 Found\r', 'GET /redirect/0 HTTP/1.1\r', 'HTTP/1.1 200 OK\r']);
  });

  it('an HTTP/2 response dump has the standard reason phrase, as Go fills it in ("HTTP/2.0 200 OK")', async () => {
    const h2 = await startTestServer('h2');
    try {
      const { call, host } = vu({ httpDebug: 'headers', insecureSkipTLSVerify: true });
      await call('get', `${h2.url}/hello`);
      const dumps = host.logs.filter((l) => l.level === 'info').map((l) => l.msg.split('\n')[1]);
      expect(dumps[1]).toBe('HTTP/2.0 200 OK\r');
      await host.close();
    } finally {
      await h2.close();
    }
  });
});
