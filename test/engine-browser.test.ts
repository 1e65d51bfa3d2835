// k6/browser end to end: scripts run through the engine against pages served on 127.0.0.1, driving
// the system's Chromium (one launch for the whole main run: each costs seconds). Skipped, saying so,
// when no Chromium is found (`apt-get install chromium`, or K6_BROWSER_EXECUTABLE_PATH).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, loadTest, type EngineIo, type RunFlags } from '../src/engine/index.ts';
import { findBrowserExecutable } from '../src/engine/browser/browser-env.ts';
import { SCRIPTS_DIR } from './scripts/engine-harness.ts';

const chromium = ((): string | undefined => {
  try {
    return findBrowserExecutable(process.env as Record<string, string>);
  } catch {
    return undefined;
  }
})();
if (chromium === undefined) {
  console.warn('engine-browser.test.ts: no Chromium found (apt-get install chromium, or set K6_BROWSER_EXECUTABLE_PATH): the browser runs are skipped');
}

const PAGES: Record<string, string> = {
  '/app': `<!doctype html><title>App</title><img src="/img.png"><div id="out"></div>
    <button onclick="fetch('/api/echo').then((r) => r.text()).then((t) => { document.getElementById('out').textContent = t; })">Go</button>
    <input type="file" id="upload" multiple>`,
  '/': `<!doctype html><html><head><title>Home</title></head><body><h1>Welcome</h1>
    <form action="/submit" method="GET"><input id="name" name="name" placeholder="Your name"><button type="submit">Send</button></form>
    <p style="font-size:32px">A paragraph large enough to be the largest contentful paint.</p></body></html>`,
};

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/api/echo') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: req.method, foo: req.headers.foo ?? null, body }));
      });
      return;
    }
    if (url.pathname === '/whoami') {
      res.end(`${req.headers.host ?? ''} ${url.pathname}`);
      return;
    }
    if (url.pathname === '/protected') {
      const ok = req.headers.authorization === `Basic ${Buffer.from('admin:secret').toString('base64')}`;
      res.writeHead(ok ? 200 : 401, ok ? {} : { 'www-authenticate': 'Basic realm="r"' });
      res.end(ok ? 'Hello, admin' : 'Unauthorized');
      return;
    }
    if (url.pathname === '/img.png') {
      res.setHeader('content-type', 'image/png');
      res.end('not a png');
      return;
    }
    res.setHeader('content-type', 'text/html');
    if (url.pathname === '/submit') {
      res.end(`<!doctype html><title>Thanks</title><h2 id="thanks">Thanks ${url.searchParams.get('name') ?? ''}</h2>`);
      return;
    }
    const page = PAGES[url.pathname];
    if (page === undefined) res.statusCode = 404;
    res.end(page ?? '<!doctype html><title>Missing</title><p>not here</p>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
  written: Map<string, string>;
  summary?: Record<string, { values: Record<string, number> }>;
}

async function run(script: string, env: Record<string, string>, flags: RunFlags = {}): Promise<Run> {
  const out: Run = { exitCode: -1, stdout: '', stderr: '', written: new Map() };
  const io: EngineIo = {
    cwd: SCRIPTS_DIR,
    env: { PATH: process.env.PATH ?? '', ...env },
    readFile: (p) => readFile(p),
    writeFile: async (p, data) => void out.written.set(path.basename(p), typeof data === 'string' ? data : new TextDecoder().decode(data)),
    stdout: { write: (s) => void (out.stdout += s), isTTY: false },
    stderr: { write: (s) => void (out.stderr += s), isTTY: false },
  };
  try {
    const test = await loadTest({ path: script }, { workers: 1, env: { BASE_URL: base }, ...flags }, io);
    const result = await test.start().result;
    out.exitCode = result.exitCode;
    out.summary = result.summaryData.metrics as Run['summary'];
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    out.exitCode = e.exitCode;
    out.stderr += e.message;
  }
  return out;
}

/** The messages of the run's log lines. */
function messages(text: string): string[] {
  return text.split('\n').flatMap((l) => {
    const m = / msg=("(?:[^"\\]|\\.)*"|\S*)/.exec(l);
    if (m === null) return [];
    const v = m[1] ?? '';
    return [v.startsWith('"') ? (JSON.parse(v) as string) : v];
  });
}

interface Point {
  type: string;
  metric: string;
  data: { value: number; tags: Record<string, string> };
}

describe.skipIf(chromium === undefined)('k6/browser with Chromium', () => {
  it('drives pages (goto, locators, fill/click, navigation, evaluate, screenshot, k6-testing’s retrying matchers), emits k6’s browser metrics and checks them', async () => {
    const r = await run('browser/browser-e2e.js', {}, { jsonOut: 'points.json' });
    const log = messages(r.stdout + r.stderr);
    // The one failing threshold (browser_web_vital_ttfb max < 0) makes it 99; the others passed.
    expect(r.exitCode, r.stderr).toBe(99);
    expect(r.summary?.checks?.values).toMatchObject({ passes: 24, fails: 0 });
    expect(log).toContain('start 0: context null connected true version true');
    expect(log).toContain('start 1: context null connected true version true');
    expect(log).toContain('page console log: hello from Home');
    expect(log.filter((m) => m === 'unawaited 42')).toHaveLength(2);
    expect(log).toContain('noBrowser: browser not found in registry. '
      + 'make sure to set browser type option in scenario definition in order to use the browser module');

    for (const m of ['browser_web_vital_fcp', 'browser_web_vital_lcp', 'browser_web_vital_ttfb', 'browser_web_vital_cls']) {
      expect(typeof r.summary?.[m]?.values.avg, m).toBe('number');
    }
    expect(r.summary?.browser_http_req_failed?.values).toMatchObject({ passes: 2 }); // the two 404s
    expect(r.summary?.browser_data_received?.values.count).toBeGreaterThan(0);
    expect(r.summary?.browser_data_sent?.values.count).toBeGreaterThan(0);
    expect(r.stdout).toContain('WEB_VITALS');
    expect(r.stdout).toContain('browser_web_vital_lcp');
    expect(r.stdout).toContain('BROWSER');
    expect(r.stdout).toContain('browser_http_req_duration');

    const points = (r.written.get('points.json') ?? '').trim().split('\n').map((l) => JSON.parse(l) as Point)
      .filter((p) => p.type === 'Point');
    // LCP and CLS are final once the page is hidden: page.close() reports them, as k6's does.
    const missing = `${base}/missing`;
    for (const m of ['browser_web_vital_lcp', 'browser_web_vital_cls']) {
      const p = points.find((x) => x.metric === m && x.data.tags.url === missing);
      expect(p?.data.tags, m).toMatchObject({ url: missing, name: missing, scenario: 'ui', group: '' });
      expect(['good', 'needs-improvement', 'poor']).toContain(p?.data.tags.rating);
    }
    // The page.on('metric') handler named the home page's samples.
    const fcp = points.find((p) => p.metric === 'browser_web_vital_fcp' && p.data.tags.url === 'home');
    expect(fcp?.data.tags).toMatchObject({ name: 'home', scenario: 'ui' });
    const submit = points.find((p) => p.metric === 'browser_http_req_duration' && p.data.tags.url?.includes('/submit?name=Ann'));
    expect(submit?.data.tags).toMatchObject({
      method: 'GET', status: '200', resource_type: 'Document', scenario: 'ui', proto: 'http/1.1',
      from_cache: 'false', from_prefetch_cache: 'false', from_service_worker: 'false',
    });
    expect(points.find((p) => p.metric === 'browser_http_req_duration' && p.data.tags.url === 'home')).toBeDefined();
    // Per iteration: the page, the form's target, the 404.
    expect(points.filter((p) => p.metric === 'browser_http_req_duration').length).toBeGreaterThanOrEqual(6);
    expect(points.filter((p) => p.metric === 'browser_http_req_failed' && p.data.value === 1).map((p) => p.data.tags.status)).toEqual(['404', '404']);
  }, 180_000);
});

describe.skipIf(chromium === undefined)('k6/browser request interception and emulation', () => {
  it('page.route with Route.abort/continue/fulfill, unroute, unrouteAll, waitForEvent (page and context), setHTTPCredentials, the proxy option, workers, taps without hasTouch, mouse.dblclick, isEditable, throttleNetwork, throttleCPU, emulateVisionDeficiency, setInputFiles', async () => {
    const r = await run('browser/browser-network.js', {});
    const log = messages(r.stdout + r.stderr);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.summary?.checks?.values, log.join('\n')).toMatchObject({ passes: 27, fails: 0 });
    expect(log).toContain('second: route is already handled');
    expect(log).toContain("fulfill option: unsupported fulfill option: 'foo'");
    expect(log).toContain('context waitForEvent option: GoError: parsing wait for event options: unknown option: nope');
    expect(log).toContain('setHTTPCredentials is deprecated. Create a new BrowserContext with httpCredentials instead.');
    expect(log).toContain("waitForEvent option: GoError: parsing waitForEvent options: waitForEvent does not support option: 'foo'");
  }, 120_000);
});

describe.skipIf(chromium === undefined)('k6/browser in real-world scripts', () => {
  it('the hosts option reaches Chromium, a cookie value that is a number is its string, a refused request lasts its own time', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const refused = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/nothing-listens`;
    await new Promise((r) => closed.close(r));
    const r = await run('browser/browser-hosts-cookies.js', {}, { env: { BASE_URL: base, REFUSED_URL: refused } });
    const log = messages(r.stdout + r.stderr);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.summary?.checks?.values, log.join('\n')).toMatchObject({ passes: 5, fails: 0 });
    // k6: wallTime less the request's wallTime; it was a timestamp (decades) for the refused one.
    expect(r.summary?.browser_http_req_duration?.values.max).toBeLessThan(60_000);
  }, 120_000);
});

describe.skipIf(chromium === undefined)('k6/browser chromium.connectOverCDP', () => {
  it('attaches to a running Chromium in a scenario without the browser option, closes the connection by close() or at the iteration’s end, leaves the browser running', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'stampede-cdp-'));
    const proc = spawn(chromium ?? '', ['--headless', '--no-sandbox', '--disable-gpu', '--remote-debugging-port=0', `--user-data-dir=${dir}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TMPDIR: dir } });
    try {
      const ws = await new Promise<string>((resolve, reject) => {
        let err = '';
        const timer = setTimeout(() => reject(new Error(`no DevTools endpoint: ${err}`)), 30_000);
        proc.stderr.on('data', (d: Buffer) => {
          err += d.toString();
          const m = /DevTools listening on (ws:\S+)/.exec(err);
          if (m !== null) {
            clearTimeout(timer);
            resolve(m[1] ?? '');
          }
        });
      });
      const r = await run('browser/browser-cdp.js', { CDP_WS_URL: ws }, { env: { BASE_URL: base, CDP_WS_URL: ws } });
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(r.summary?.checks?.values, messages(r.stdout + r.stderr).join('\n')).toMatchObject({ passes: 13, fails: 0 });
      expect(proc.exitCode).toBeNull(); // the browser itself was left running
      expect(typeof r.summary?.browser_http_req_duration?.values.avg).toBe('number'); // metrics as for a launched browser
    } finally {
      // Its TMPDIR is the profile folder, so the org.chromium.Chromium.* singleton folder it makes goes
      // with it. Its helper processes outlive the browser for a moment and write to the profile, so the
      // profile goes after a pause, and stays gone (SIGKILL after 5 s if SIGTERM does not stop it).
      const exited = proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const stubborn = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(stubborn);
      await new Promise((r) => setTimeout(r, 500));
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }).catch(() => undefined);
    }
  }, 120_000);
});

describe('k6/browser settings that stop a test before any launch', () => {
  it('a scenario browser type other than chromium aborts the test with k6’s message (108)', async () => {
    const r = await run('browser/browser-firefox.js', {});
    expect(r.exitCode).toBe(108);
    expect(r.stderr).toContain('error building browser on IterStart: initializing browser type: '
      + 'error parsing browser options: unsupported browser type: firefox');
  }, 60_000);

  it('a K6_BROWSER_HEADLESS that is not a boolean aborts it too', async () => {
    const r = await run('browser/browser-e2e.js', { K6_BROWSER_HEADLESS: 'maybe' });
    expect(r.exitCode).toBe(108);
    expect(r.stderr).toContain('error building browser on IterStart: initializing browser type: '
      + 'error parsing browser options: K6_BROWSER_HEADLESS should be a boolean');
  }, 60_000);

  it('a K6_BROWSER_EXECUTABLE_PATH that is not there: k6’s "couldn’t detect" message', async () => {
    const r = await run('browser/browser-e2e.js', { K6_BROWSER_EXECUTABLE_PATH: '/nonexistent/chrome' });
    expect(r.exitCode).toBe(108);
    expect(r.stderr).toContain('error building browser on IterStart: finding browser executable: '
      + "k6 couldn't detect google chrome or a chromium-supported browser on the given path: /nonexistent/chrome");
  }, 60_000);
});
