// k6/browser's request interception and page emulation against the local pages of
// test/engine-browser.test.ts (BASE_URL): page.route with Route.abort/continue/fulfill, unroute,
// unrouteAll, page.waitForEvent, throttleNetwork with networkProfiles, throttleCPU,
// emulateVisionDeficiency and setInputFiles (page, frame, element handle). One iteration.
import { browser, networkProfiles } from 'k6/browser';
import encoding from 'k6/encoding';
import { check } from 'k6';

export const options = {
  scenarios: { ui: { executor: 'shared-iterations', options: { browser: { type: 'chromium' } } } },
  thresholds: { checks: ['rate==1.0'] },
};

const BASE = __ENV.BASE_URL;
const get = (page, u) => page.evaluate((url) => fetch(url).then((r) => r.text()).catch((e) => String(e)), u);

export default async function () {
  const page = await browser.newPage();
  try {
    let images = 0;
    await page.route(/\.png$/, async (route) => {
      images++;
      await route.abort('blockedbyclient');
    });
    await page.route(/\/api\/echo$/, async (route) => {
      await route.continue({ headers: { ...route.request().headers(), foo: 'bar' }, method: 'POST', postData: 'hello' });
    });
    const failed = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    await page.goto(`${BASE}/app`);
    const responded = page.waitForEvent('response', (r) => r.url().includes('/api/echo'));
    await page.locator('button').click();
    const res = await responded;
    await page.waitForFunction(() => document.getElementById('out').textContent !== '');
    const continued = JSON.parse(await page.locator('#out').textContent());

    // A string is the exact URL; the last route added wins; a bad option leaves the route unhandled.
    await page.unroute(/\/api\/echo$/);
    await page.route(`${BASE}/api/echo`, async (route) => {
      await route.fulfill({ status: 201, body: '{"fake":true}', contentType: 'application/json', headers: { 'x-a': '1' } });
      await route.abort().catch((e) => console.log(`second: ${e}`));
    });
    const fulfilled = await page.evaluate(async (u) => {
      const r = await fetch(u);
      return `${r.status} ${r.headers.get('content-type')} ${r.headers.get('x-a')} ${await r.text()}`;
    }, `${BASE}/api/echo`);
    const exactOnly = await get(page, `${BASE}/api/echo?q=1`);
    await page.route('', async (route) => {
      await route.fulfill({ foo: 1 }).catch((e) => console.log(`fulfill option: ${e}`));
      await route.fulfill({ body: 'everything' });
    });
    const everything = await get(page, `${BASE}/api/other`);
    await page.unrouteAll();
    const unrouted = await get(page, `${BASE}/api/echo`);

    const consoled = page.waitForEvent('console', { predicate: (m) => m.text() === 'second', timeout: 5000 });
    await page.evaluate(() => { console.log('first'); console.log('second'); });
    const msg = await consoled;
    let timeout = '';
    try {
      await page.waitForEvent('console', { timeout: 300 });
    } catch (e) {
      timeout = String(e);
    }
    try {
      page.waitForEvent('console', { foo: 1 });
    } catch (e) {
      console.log(`waitForEvent option: ${e}`);
    }

    await page.throttleNetwork(networkProfiles['Slow 3G']);
    await page.throttleCPU({ rate: 4 });
    const t0 = Date.now();
    await get(page, `${BASE}/api/echo`);
    const slowMs = Date.now() - t0;
    await page.throttleNetwork(networkProfiles['No Throttling']);
    await page.throttleCPU({ rate: 1 });
    const t1 = Date.now();
    await get(page, `${BASE}/api/echo`);
    const fastMs = Date.now() - t1;
    await page.emulateVisionDeficiency('deuteranopia');
    await page.emulateVisionDeficiency('none');
    let vision = '';
    try {
      await page.emulateVisionDeficiency('sepia');
    } catch (e) {
      vision = String(e);
    }

    await page.setInputFiles('#upload', { name: 'file.txt', mimetype: 'text/plain', buffer: encoding.b64encode('hello world') });
    const one = await page.evaluate(async () => {
      const f = document.getElementById('upload').files[0];
      return `${f.name} ${f.type} ${await f.text()}`;
    });
    const input = await page.$('#upload');
    await input.setInputFiles([{ name: 'a.txt', mimetype: 'text/plain', buffer: encoding.b64encode('A') }, { name: 'b.bin', buffer: encoding.b64encode('BB') }]);
    const two = await page.evaluate(() => [...document.getElementById('upload').files].map((f) => `${f.name}:${f.size}:${f.type}`).join());
    await page.mainFrame().setInputFiles('#upload', []);
    const none = await page.evaluate(() => document.getElementById('upload').files.length);

    // Taps without hasTouch: k6 sends CDP touch events (Playwright alone refuses).
    await page.setContent('<button id="b" ontouchstart="window.taps = (window.taps || 0) + 1">Tap</button><input type="file" id="upload" multiple>');
    await page.tap('#b');
    await page.locator('#b').tap();
    await (await page.$('#b')).tap();
    const box = await page.locator('#b').boundingBox();
    await page.touchscreen.tap(box.x + 2, box.y + 2);
    check(await page.evaluate(() => window.taps), { 'tap without hasTouch: page, locator, element handle, touchscreen': (n) => n === 4 });

    // mouse.dblclick (k6's docs and @types/k6 spell it so) and k6's mapping name dblClick both double-click.
    await page.setContent('<button id="dc" ondblclick="window.dbl = (window.dbl || 0) + 1">D</button>');
    const dc = await page.locator('#dc').boundingBox();
    await page.mouse.dblclick(dc.x + 2, dc.y + 2);
    await page.mouse.dblClick(dc.x + 2, dc.y + 2, { delay: 1 });
    check(await page.evaluate(() => window.dbl), { 'mouse.dblclick and mouse.dblClick': (n) => n === 2 });

    // isEditable of an element that is no form control: k6 says true unless it is a disabled button.
    await page.setContent('<div id="d">x</div><button id="b1">b</button><button id="b2" disabled>b</button><input id="ro" readonly>');
    const editable = [await page.isEditable('#d'), await page.locator('#b1').isEditable(), await (await page.$('#b2')).isEditable(), await page.isEditable('#ro')];
    const notFrame = await (await page.$('#d')).contentFrame().catch((e) => String(e));
    check(notFrame, { 'elementHandle.contentFrame of no iframe rejects': (v) => v === 'element is not an iframe' });
    check(editable, { "isEditable of other elements as k6's injected script": (e) => e.join() === 'true,true,false,false' });

    // Facades show no plumbing (console.log prints k6's objects as {}).
    const props = await (await page.evaluateHandle(() => ({ window, document }))).getProperties();
    check(props, {
      'facades have no own enumerable fields': (p) => JSON.stringify(p) === '{"window":{},"document":{}}'
        && Object.keys(page.mainFrame()).length === 0 && Object.keys(props.window).length === 0,
    });

    // page.workers(): the page's dedicated workers with url().
    await page.evaluate(() => { window.w = new Worker(URL.createObjectURL(new Blob(['onmessage = () => {}'], { type: 'text/javascript' }))); });
    await page.waitForFunction(() => true);
    let workers = page.workers();
    for (let i = 0; i < 50 && workers.length === 0; i++) {
      await page.waitForTimeout(100);
      workers = page.workers();
    }
    check(workers, { 'page.workers(): url()': (w) => w.length === 1 && w[0].url().startsWith('blob:') });

    // BrowserContext: waitForEvent('page') with a predicate that sees k6's Page; setHTTPCredentials.
    const context = page.context();
    let seen = 0;
    const opened = context.waitForEvent('page', { predicate: (p) => typeof p.goto === 'function' && ++seen >= 2, timeout: 10000 });
    const p1 = await context.newPage();
    const p2 = await context.newPage();
    const second = await opened;
    let wrongEvent = '';
    await context.waitForEvent('close').catch((e) => { wrongEvent = String(e); });
    let pageTimeout = '';
    await context.waitForEvent('page', { timeout: 200 }).catch((e) => { pageTimeout = String(e); });
    try {
      context.waitForEvent('page', { nope: 1 });
    } catch (e) {
      console.log(`context waitForEvent option: ${e}`);
    }
    await context.setHTTPCredentials({ username: 'admin', password: 'secret' });
    const auth = await p1.goto(`${BASE}/protected`);
    const authText = await p1.locator('body').textContent();
    await p1.close();
    await p2.close();

    check(null, {
      'context.waitForEvent(page, predicate)': () => second === p2 && seen === 2,
      'context.waitForEvent: only page': () => wrongEvent === 'incorrect event "close", "page" is the only event supported',
      'context.waitForEvent timeout': () => pageTimeout === 'waitForEvent timed out after 200ms',
      'context.setHTTPCredentials': () => auth.status() === 200 && authText === 'Hello, admin',
    });
    check(null, {
      'route.abort: the image was blocked': () => images === 1 && failed.some((u) => u.endsWith('/img.png')),
      'route.continue: headers, method and postData changed': () => continued.method === 'POST' && continued.foo === 'bar' && continued.body === 'hello',
      'waitForEvent(response, predicate)': () => res.status() === 200 && res.url() === `${BASE}/api/echo`,
      'route.fulfill: status, contentType, headers, body': () => fulfilled === '201 application/json 1 {"fake":true}',
      'a string route is the exact URL': () => exactOnly.includes('"method":"GET"'),
      "route('') matches every URL": () => everything === 'everything',
      'unrouteAll: requests go to the server': () => unrouted.includes('"method":"GET"') && unrouted.includes('"foo":null'),
      'waitForEvent(console, { predicate, timeout })': () => msg.text() === 'second' && msg.type() === 'log',
      'waitForEvent timeout': () => timeout === 'waiting for page event "console": timed out after 300ms',
      'networkProfiles in bytes per second': () => JSON.stringify(networkProfiles['Slow 3G']) === '{"latency":2000,"download":50000,"upload":50000}'
        && networkProfiles['Fast 3G'].download === 180000,
      'throttleNetwork: Slow 3G adds its 2 s latency, No Throttling removes it': () => slowMs >= 2000 && fastMs < 2000,
      'emulateVisionDeficiency: k6 names the unknown type': () => vision === 'unsupported vision deficiency: sepia',
      'setInputFiles: one file': () => one === 'file.txt text/plain hello world',
      'elementHandle.setInputFiles: several, a missing mimetype guessed (Playwright)': () => two === 'a.txt:1:text/plain,b.bin:2:application/octet-stream',
      'frame.setInputFiles([]) clears': () => none === 0,
    });
  } finally {
    await page.close();
  }

  // newContext's proxy option: the page's traffic goes to the proxy (here the test's server).
  await browser.closeContext();
  let noServer = '';
  try {
    browser.newContext({ proxy: { bypass: 'localhost' } });
  } catch (e) {
    noServer = String(e);
  }
  const context = await browser.newContext({ proxy: { server: BASE, bypass: 'localhost' } });
  const proxied = await context.newPage();
  await proxied.goto('http://proxied.test/whoami');
  const via = await proxied.locator('body').textContent();
  await context.close();
  check(null, {
    'proxy.server must be set': () => noServer === 'GoError: parsing browser.newContext options: proxy.server must be set',
    'newContext({ proxy }): requests go through the proxy': () => via === 'proxied.test /whoami',
  });
}
