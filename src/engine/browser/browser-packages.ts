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

/**
 * Said when Node's permission model refuses what playwright-core needs (it reads the file system as it
 * loads and starts Chromium as a child process): a Stampede server's runners start no process, so no
 * browser, and a browser test must run where it can.
 */
export const BROWSER_NOT_PERMITTED =
  'k6/browser cannot run here: this process may not start a browser (a Stampede server\'s runners start no other process). '
  + 'Run browser tests with `stampede run`, or with `stampede cloud run --local-execution` to record them on the server';

export function playwright(): typeof PlaywrightCore {
  try {
    pw ??= require('playwright-core') as typeof PlaywrightCore;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_ACCESS_DENIED') throw new Error(BROWSER_NOT_PERMITTED, { cause: err });
    throw err;
  }
  return pw;
}

/** web-vitals' IIFE (`var webVitals = …`), injected in every document before its own scripts. */
export function webVitalsScript(): string {
  // The package exports no IIFE subpath: it sits beside the CommonJS build its main entry names.
  vitals ??= readFileSync(path.join(path.dirname(require.resolve('web-vitals')), 'web-vitals.iife.js'), 'utf8');
  return vitals;
}
