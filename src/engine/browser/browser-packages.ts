// playwright-core (drives the system's Chromium over CDP; it downloads no browser) and the web-vitals
// library's IIFE build are loaded on first use, when a script imports k6/browser, so that runs of
// other scripts do not pay for them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as PlaywrightCore from 'playwright-core';

const require = createRequire(import.meta.url);

let pw: typeof PlaywrightCore | undefined;
let vitals: string | undefined;

export function playwright(): typeof PlaywrightCore {
  pw ??= require('playwright-core') as typeof PlaywrightCore;
  return pw;
}

/** web-vitals' IIFE (`var webVitals = …`), injected in every document before its own scripts. */
export function webVitalsScript(): string {
  // The package exports no IIFE subpath: it sits beside the CommonJS build its main entry names.
  vitals ??= readFileSync(path.join(path.dirname(require.resolve('web-vitals')), 'web-vitals.iife.js'), 'utf8');
  return vitals;
}
