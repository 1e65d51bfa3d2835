// k6/browser in a scenario without `options.browser.type`: there is no browser to use, and the page
// promise rejects with k6's "browser not found in registry" (no Chromium is launched).
import { browser } from 'k6/browser';

export default function () {
  browser.newPage();
}
