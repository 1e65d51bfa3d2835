// `import { browser, devices, networkProfiles } from 'k6/browser'` (k6 browser/module.go): one
// instance per VU, created when the VU's init code imports the module; it launches nothing until an
// iteration of a scenario with `options.browser.type` starts (browser-session.ts). Methods that
// return promises in k6 return promises of the script's realm, settled on the VU's event loop
// (browser-calls.ts); the synchronous ones (browser.context/isConnected/version, page.locator, …)
// return at once.
import type { VuEventLoop } from '../vu/vu-event-loop.ts';
import type { VuHost } from '../vu/vu-host.ts';
import { BrowserCalls, type BrowserRealm } from './browser-calls.ts';
import { playwright } from './browser-packages.ts';
import { BrowserSession } from './browser-session.ts';

export interface BrowserModuleDeps {
  readonly realm: BrowserRealm;
  /** The system environment's K6_BROWSER_* variables and PATH. */
  readonly env: Readonly<Record<string, string>>;
  readonly abortTest: (reason: string) => void;
}

/** k6's network profiles (common/network_profile.go) for page.throttleNetwork, in bytes per second. */
const NETWORK_PROFILES = {
  'No Throttling': { latency: 0, download: -1, upload: -1 },
  'Fast 3G': { latency: 562.5, download: 180000, upload: 84375 },
  'Slow 3G': { latency: 2000, download: 50000, upload: 50000 },
};

/** Playwright's device descriptors in k6's shape (name, userAgent, viewport, deviceScaleFactor, isMobile, hasTouch). */
function devicesJson(): string {
  const out: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(playwright().devices)) {
    out[name] = { name, userAgent: d.userAgent, viewport: d.viewport, deviceScaleFactor: d.deviceScaleFactor, isMobile: d.isMobile, hasTouch: d.hasTouch };
  }
  return JSON.stringify(out);
}

let devices: string | undefined;

export function createBrowserModule(host: VuHost, loop: VuEventLoop, deps: BrowserModuleDeps): Record<string, unknown> {
  const calls = new BrowserCalls(loop, deps.realm);
  const session = new BrowserSession({ host, calls, env: deps.env, abortTest: deps.abortTest });
  host.lifecycle.onIterationStart(() => session.iterationStart());
  host.lifecycle.onIterationEnd(() => session.iterationEnd());
  host.lifecycle.onClose(() => session.close());
  devices ??= devicesJson();
  const mod: Record<string, unknown> = {
    browser: session.browser(),
    chromium: { connectOverCDP: (wsEndpoint?: unknown): Promise<unknown> => session.connectOverCDP(wsEndpoint) },
    devices: deps.realm.parseJson(devices),
    networkProfiles: deps.realm.parseJson(JSON.stringify(NETWORK_PROFILES)),
  };
  return { ...mod, default: mod };
}
