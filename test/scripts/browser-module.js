// k6/browser is built into k6 but not into Stampede: not one of k6's "unknown modules", it fails at init.
import { browser } from 'k6/browser';

export default function () {
  browser.newPage();
}
