// k6/browser as real-world scripts use it: a made-up host name sent to the local site by the `hosts`
// option (k6 passes it to Chromium as host-resolver-rules), a cookie whose value is a number (k6
// reads it as its string), and a navigation that fails before any answer (its
// browser_http_req_duration is the time it took, not a timestamp) and throws k6's text.
import { browser } from 'k6/browser';
import { check } from 'k6';

export const options = {
  hosts: { 'shop.example.test': __ENV.BASE_URL.replace('http://', '') },
  scenarios: {
    ui: { executor: 'shared-iterations', iterations: 1, options: { browser: { type: 'chromium' } } },
  },
};

export default async function () {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'visits', value: 42, domain: 'shop.example.test', path: '/', secure: 0 }]);
  const cookies = await context.cookies();
  check(cookies, {
    'one cookie': (c) => c.length === 1,
    'its value is the string of the number': (c) => c[0].value === '42',
    'not secure': (c) => c[0].secure === false,
  });
  const page = await context.newPage();
  try {
    await page.goto('http://shop.example.test/whoami');
    const text = await page.locator('body').textContent();
    check(text, { 'served by the local site under the made-up name': (t) => t === 'shop.example.test /whoami' });
    let failed = '';
    try {
      await page.goto(__ENV.REFUSED_URL);
    } catch (e) {
      failed = String(e);
    }
    // k6's Page.Goto and Frame.Goto wrap the aborted navigation's net:: text (common/page.go, frame.go).
    check(failed, {
      'the refused navigation throws in k6\'s words': (f) => f === `navigating page: navigating frame to "${__ENV.REFUSED_URL}": net::ERR_CONNECTION_REFUSED`,
    });
  } finally {
    await page.close();
  }
}
