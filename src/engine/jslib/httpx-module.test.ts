import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import vm from 'node:vm';
import { ScriptRealm } from '../vu/script-realm.ts';
import { isBlocking, markBlocking } from '../vu/blocking.ts';
import { createHttpModule } from '../http/http-module.ts';
import { httpUrl } from '../http/http-url.ts';
import { createFakeHost, type FakeHost } from '../http/fake-vu-host.test-helper.ts';
import { startTestServer, type TestServer } from '../http/test-server.test-helper.ts';
import { createHttpxModule, type HttpxHttp } from './httpx-module.ts';

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

interface Res { status: number; json(path?: string): unknown }

/** httpx on a real k6/http module of a test VU; `run(src)` evaluates src in the script realm with `mod`, `BASE` and `extra`. */
function setup(): { host: FakeHost; run: (src: string, extra?: unknown) => unknown } {
  const host = createFakeHost();
  opened.push(host);
  const http = createHttpModule(host) as unknown as HttpxHttp;
  host.startIteration();
  const realm = new ScriptRealm();
  const mod = createHttpxModule(realm.context, { http, block: (p) => markBlocking(p) });
  const run = (src: string, extra?: unknown): unknown =>
    (vm.runInContext(`(mod, BASE, extra) => { ${src} }`, realm.context) as (m: unknown, b: string, e: unknown) => unknown)(mod, srv.url, extra);
  return { host, run };
}

describe('httpx', () => {
  it('a session request is a blocking k6/http request with the base URL, session headers and tags under the call\'s own', async () => {
    const { host, run } = setup();
    const pending = run(`
      const s = new mod.Httpx({ baseURL: BASE, headers: { 'X-A': 'session', 'X-B': 'session' }, tags: { t1: 'a', t2: 'a' }, timeout: 5000 });
      s.addHeader('X-C', 'added');
      s.addTags({ t3: 'c' });
      return s.post('/echo', 'payload', { headers: { 'X-B': 'call' }, tags: { t2: 'call' } });
    `);
    expect(isBlocking(pending)).toBe(true);
    const res = (await pending) as Res;
    expect(res.json('method')).toBe('POST');
    expect(res.json('url')).toBe('/echo');
    expect(res.json('body')).toBe('payload');
    expect(res.json('headers')).toMatchObject({ 'x-a': 'session', 'x-b': 'call', 'x-c': 'added' });
    expect(host.samplesOf('http_reqs').map((s) => s.tags)).toEqual([
      expect.objectContaining({ t1: 'a', t2: 'call', t3: 'c', method: 'POST', status: '200', name: `${srv.url}/echo` }),
    ]);
    expect(host.samplesOf('http_req_duration')).toHaveLength(1);
  });

  it('the session\'s timeout applies to its requests; a call\'s own timeout wins', async () => {
    const { run } = setup();
    const s = run(`return new mod.Httpx({ baseURL: BASE, timeout: 100 });`) as Record<string, (...a: unknown[]) => unknown>;
    const timedOut = (await s.get?.('/delay?ms=400')) as Res & { error_code: number };
    expect([timedOut.status, timedOut.error_code]).toEqual([0, 1050]);
    const waited = (await s.get?.('/delay?ms=400', null, { timeout: '2s' })) as Res;
    expect(waited.status).toBe(200);
  });

  it('clearHeader and clearTag remove what the session set; absolute URLs ignore the base URL', async () => {
    const { host, run } = setup();
    const res = (await run(`
      const s = new mod.Httpx({ baseURL: 'http://127.0.0.1:1', headers: { 'X-Gone': '1' }, tags: { gone: '1', kept: '1' } });
      s.clearHeader('X-Gone');
      s.clearTag('gone');
      return s.get(BASE + '/echo');
    `)) as Res;
    expect(res.status).toBe(200);
    expect(res.json('headers')).not.toHaveProperty('x-gone');
    const tags = host.samplesOf('http_reqs')[0]?.tags;
    expect(tags).toMatchObject({ kept: '1' });
    expect(tags).not.toHaveProperty('gone');
  });

  it('errorMetric records whether each response met errorMetricCondition or the call\'s expect; lastRequest follows', async () => {
    const { run } = setup();
    const added: unknown[] = [];
    const metric = { add: (v: unknown) => added.push(v) };
    const s = run(`return new mod.Httpx({ baseURL: BASE, errorMetric: extra });`, metric) as Record<string, (...a: unknown[]) => unknown> & {
      lastRequest: { responseObject: unknown }; lastRequestChainDuration: number;
    };
    expect(((await s.get?.('/status/500')) as Res).status).toBe(500);
    await s.get?.('/status/404', null, { expect: (r: Res) => r.status === 404 });
    const last = await s.head?.('/hello');
    expect(added).toEqual([true, false, false]);
    expect(s.lastRequest.responseObject).toBe(last);
    expect(s.lastRequestChainDuration).toBeGreaterThanOrEqual(0);
  });

  it('every verb helper and its async variant send their method; async ones are plain promises', async () => {
    const { run } = setup();
    const s = run(`return new mod.Httpx({ baseURL: BASE });`) as Record<string, (...a: unknown[]) => unknown>;
    for (const verb of ['get', 'post', 'put', 'patch', 'delete', 'options', 'trace']) {
      const sync = s[verb]?.('/echo');
      const async = s[`async${verb[0]?.toUpperCase()}${verb.slice(1)}`]?.('/echo');
      expect([isBlocking(sync), isBlocking(async)]).toEqual([true, false]);
      expect([((await sync) as Res).json('method'), ((await async) as Res).json('method')]).toEqual([verb.toUpperCase(), verb.toUpperCase()]);
    }
    expect(((await s.asyncRequest?.('GET', '/hello')) as Res).status).toBe(200);
  });

  it('http.url templates go to their URL under their name tag', async () => {
    const { host, run } = setup();
    const s = run(`return new mod.Httpx({ baseURL: BASE });`) as Record<string, (...a: unknown[]) => unknown>;
    const res = (await s.get?.(httpUrl`/echo?id=${7}`)) as Res;
    expect(res.json('url')).toBe('/echo?id=7');
    expect(host.samplesOf('http_reqs')[0]?.tags.name).toBe('/echo?id=${}');
  });

  it('batch sends Request objects and arrays with the session and shared params, in parallel, as one blocking call', async () => {
    const { host, run } = setup();
    const pending = run(`
      const s = new mod.Httpx({ baseURL: BASE, headers: { 'X-S': 's' }, tags: { from: 'session' } });
      return s.batch([
        new mod.Get('/echo').addHeader('X-R', 'r'),
        new mod.Post('/echo', { body: 'posted', tags: { own: 'yes' } }),
        ['PUT', '/echo', 'put body', { headers: { 'X-S': 'array' } }],
        'skipped: neither an array nor a Request',
      ], { tags: { name: 'Batch' } });
    `);
    expect(isBlocking(pending)).toBe(true);
    const rs = (await pending) as Res[];
    expect(rs.map((r) => [r.json('method'), r.json('body'), r.json('headers.x-s'), r.json('headers.x-r') ?? null])).toEqual([
      ['GET', '', 's', 'r'],
      ['POST', 'posted', 's', null],
      ['PUT', 'put body', 'array', null],
    ]);
    const tags = host.samplesOf('http_reqs').map((x) => x.tags);
    expect(tags.every((t) => t.name === 'Batch' && t.from === 'session')).toBe(true);
    expect(tags.filter((t) => t.own === 'yes')).toHaveLength(1);
  });

  it('rejects an unknown method and a call without method and URL, as the jslib does', () => {
    const { run } = setup();
    expect(run(`
      const s = new mod.Httpx();
      const msg = (f) => { try { f(); } catch (e) { return [e instanceof Error, e.message]; } };
      return [msg(() => s.request('get', '/x')), msg(() => s.request('GET')), msg(() => s.asyncRequest('GET'))];
    `)).toEqual([
      [true, 'Invalid method: get. Expected one of GET,HEAD,POST,PUT,DELETE,CONNECT,OPTIONS,TRACE,PATCH'],
      [true, 'Invalid number of arguments for request(). Provide at least Method and URL.'],
      [true, 'Invalid number of arguments for asyncRequest(). Provide at least Method and URL.'],
    ]);
  });
});
