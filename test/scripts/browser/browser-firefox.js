// k6/browser only drives Chromium: another `options.browser.type` stops the test when its first
// iteration starts (k6 aborts it, exit code 108).
import { browser } from 'k6/browser';

export const options = {
  scenarios: { ui: { executor: 'shared-iterations', options: { browser: { type: 'firefox' } } } },
};

export default async function () {
  const page = await browser.newPage();
  await page.close();
}
