// k6/browser end to end against the local pages of test/engine-browser.test.ts (BASE_URL): one VU,
// two iterations of the browser scenario (one Chromium launch), and a scenario without a browser.
import { browser } from 'k6/browser';
import { check } from 'k6';
import { expect } from 'https://jslib.k6.io/k6-testing/0.6.1/index.js';

export const options = {
  scenarios: {
    ui: { executor: 'per-vu-iterations', vus: 1, iterations: 2, options: { browser: { type: 'chromium' } } },
    api: { executor: 'shared-iterations', vus: 1, iterations: 1, exec: 'noBrowser', startTime: '0s' },
  },
  thresholds: {
    checks: ['rate==1.0'],
    browser_web_vital_fcp: ['p(90) < 60000'],
    browser_http_req_duration: ['p(95) < 60000'],
    'browser_web_vital_fcp{url:home}': ['p(90) < 60000'],
    browser_web_vital_ttfb: ['max < 0'], // fails on purpose: exit code 99
  },
};

const BASE = __ENV.BASE_URL;

export async function noBrowser() {
  try {
    await browser.newPage();
  } catch (e) {
    console.log(`noBrowser: ${e}`);
  }
}

export default async function () {
  console.log(`start ${__ITER}: context ${browser.context()} connected ${browser.isConnected()} version ${/^\d+\./.test(browser.version())}`);
  const page = await browser.newPage();
  page.on('console', (msg) => console.log(`page console ${msg.type()}: ${msg.text()}`));
  page.on('metric', (metric) => metric.tag({ name: 'home', matches: [{ url: /\/$/, method: 'GET' }] }));
  try {
    const cookiesBefore = await page.context().cookies();
    const res = await page.goto(`${BASE}/`);
    await page.evaluate(() => { document.cookie = 'seen=1'; console.log('hello from', document.title); });
    await page.locator('#name').fill('Ann');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send' }).click()]);
    const thanks = await page.locator('#thanks').textContent();
    const submitted = page.url();
    await expect(page.locator('#thanks')).toHaveText('Thanks Ann');
    await expect(page.getByText('Thanks')).toBeVisible();
    await expect(page).toHaveTitle('Thanks');
    const sum = await page.evaluate((a, b) => a + b, 2, 3);
    const h2 = await page.$('h2');
    const shot = await page.screenshot();
    await page.setContent('<input id="t"><input type="checkbox" id="c"><ul><li>a</li><li>b</li></ul>'
      + '<button onclick="document.title = \'clicked\'">Go</button>');
    await page.type('#t', 'abc');
    await page.press('#t', 'Backspace');
    await page.check('#c');
    await page.getByText('Go').click();
    await page.keyboard.press('Tab');
    await page.mouse.move(5, 5);
    const list = await page.waitForSelector('ul');
    page.evaluate(() => setTimeout(() => document.body.appendChild(document.createElement('h3')), 100));
    await page.waitForFunction("document.querySelector('h3')", { polling: 'mutation', timeout: 10000 });
    const form = {
      typed: await page.inputValue('#t'),
      checked: await page.isChecked('#c'),
      items: [await page.locator('li').count(), await page.locator('li').nth(1).textContent(), await list.evaluate((e) => e.children.length)],
      title: await page.title(),
    };
    check(form, {
      'type, press, check': (f) => f.typed === 'ab' && f.checked === true,
      'locator count, nth and element handles': (f) => f.items.join() === '2,b,2',
      'getByText click': (f) => f.title === 'clicked',
    });
    const missing = await page.goto(`${BASE}/missing`);
    let clickError = '';
    try {
      await page.locator('#nope').click({ timeout: 500 });
    } catch (e) {
      clickError = String(e);
    }
    // Not awaited: the iteration still waits for it (the VU's event loop stays open).
    page.evaluate(() => 40 + 2).then((v) => console.log(`unawaited ${v}`));

    check(page, {
      'goto gives the response': () => res.status() === 200 && res.ok(),
      'no cookie left from the last iteration': () => cookiesBefore.length === 0,
      'fill, click and navigation': () => thanks === 'Thanks Ann' && submitted.includes('/submit?name=Ann'),
      'evaluate with arguments': () => sum === 5,
      'element handle': () => h2 !== null,
      'screenshot is an ArrayBuffer': () => shot instanceof ArrayBuffer && shot.byteLength > 100,
      '404 response': () => missing.status() === 404,
      'errors reject in the script': () => clickError.includes('timed out after 500ms'),
    });
  } finally {
    await page.close();
  }
  await browser.closeContext();
  let closeError = '';
  try {
    await browser.closeContext();
  } catch (e) {
    closeError = String(e);
  }
  check(browser, {
    'closeContext': (b) => b.context() === null && closeError === 'cannot close context as none is active in browser',
  });
}
