// chromium.connectOverCDP against a Chromium the test started (CDP_WS_URL), in a scenario without
// the browser option: two iterations, the first closing its connection, the second leaving it to
// the iteration's end; the Chromium keeps running between them. Pages from BASE_URL.
import { browser as managed, chromium } from 'k6/browser';
import { check } from 'k6';

export const options = {
  scenarios: { cdp: { executor: 'per-vu-iterations', vus: 1, iterations: 2 } },
  thresholds: { checks: ['rate==1.0'] },
};

export default async function () {
  const browser = await chromium.connectOverCDP(__ENV.CDP_WS_URL);
  const page = await browser.newPage();
  const seen = [];
  page.on('console', (m) => seen.push(m.text()));
  let title = '';
  try {
    await page.goto(`${__ENV.BASE_URL}/`);
    title = await page.title();
    await page.evaluate(() => console.log('over cdp'));
  } finally {
    await page.close();
  }
  const errors = [];
  for (const bad of ['', 'http://localhost:9222/x', 'ws:///nohost']) {
    await chromium.connectOverCDP(bad).catch((e) => errors.push(String(e)));
  }
  let notInRegistry = '';
  try {
    managed.isConnected();
  } catch (e) {
    notInRegistry = String(e);
  }
  check(browser, {
    'connected browser: newPage, goto, title': () => title === 'Home',
    'connected browser: page.on(console)': () => seen.includes('over cdp'),
    'connected browser: version, userAgent without Headless, close() exposed': (b) => /^\d+\./.test(b.version())
      && !b.userAgent().includes('Headless') && typeof b.close === 'function' && typeof managed.close === 'undefined',
    'connected browser: context() is the page context, whose browser() is it': (b) => b.context() !== null && b.context().browser() === b,
    "endpoint checks as k6's": () => errors.join('|') === [
      'connecting to Chromium over CDP: WebSocket endpoint cannot be empty',
      'connecting to Chromium over CDP: invalid WebSocket endpoint "http://localhost:9222/x": scheme must be ws or wss, got "http"',
      'connecting to Chromium over CDP: invalid WebSocket endpoint "ws:///nohost": host is missing',
    ].join('|'),
    'the k6-managed browser is still not in the registry': () => notInRegistry.startsWith('GoError: browser not found in registry'),
  });
  if (__ITER === 0) {
    await browser.close();
    await browser.close(); // a no-op
    check(browser, { 'close(): disconnected': (b) => b.isConnected() === false });
  }
}
