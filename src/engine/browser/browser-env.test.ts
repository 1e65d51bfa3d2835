import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserEnvOf, findBrowserExecutable, launchSettings } from './browser-env.ts';
import { browserErrorText } from './browser-calls.ts';
import { MetricEventFacade } from './network-facades.ts';

/** A directory holding an executable `chromium` (and a non-executable `google-chrome`). */
function fakeBin(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'stampede-bin-'));
  writeFileSync(path.join(dir, 'chromium'), '#!/bin/sh\n');
  chmodSync(path.join(dir, 'chromium'), 0o755);
  writeFileSync(path.join(dir, 'google-chrome'), '');
  return dir;
}

describe('k6/browser settings (K6_BROWSER_* and the scenario browser type)', () => {
  const bin = fakeBin();
  const env = { PATH: bin };
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it('takes only K6_BROWSER_* and PATH from the system environment', () => {
    expect(browserEnvOf({ PATH: '/bin', K6_BROWSER_HEADLESS: 'false', HOME: '/root', K6_VUS: '2' }))
      .toEqual({ PATH: '/bin', K6_BROWSER_HEADLESS: 'false' });
  });

  it('finds the browser on PATH in k6’s order, or at K6_BROWSER_EXECUTABLE_PATH', () => {
    expect(findBrowserExecutable(env)).toBe(path.join(bin, 'chromium'));
    expect(findBrowserExecutable({ ...env, K6_BROWSER_EXECUTABLE_PATH: path.join(bin, 'chromium') })).toBe(path.join(bin, 'chromium'));
    expect(() => findBrowserExecutable({ PATH: '/nonexistent' }))
      .toThrow("finding browser executable: k6 couldn't detect google chrome or a chromium-supported browser on this system");
    // Not executable: not a browser.
    expect(() => findBrowserExecutable({ ...env, K6_BROWSER_EXECUTABLE_PATH: path.join(bin, 'google-chrome') }))
      .toThrow(`k6 couldn't detect google chrome or a chromium-supported browser on the given path: ${path.join(bin, 'google-chrome')}`);
  });

  it('needs type chromium, as k6’s BrowserOptions.Parse', () => {
    expect(() => launchSettings({}, env)).toThrow('initializing browser type: error parsing browser options: browser type option must be set');
    expect(() => launchSettings({ type: 'webkit' }, env)).toThrow('error parsing browser options: unsupported browser type: webkit');
  });

  it('k6’s default flags, headless by default, a 30 s launch timeout', () => {
    const s = launchSettings({ type: 'chromium' }, env);
    expect(s.headless).toBe(true);
    expect(s.timeoutMs).toBe(30_000);
    expect(s.args).toEqual(expect.arrayContaining([
      '--disable-background-networking', '--enable-features=NetworkService,NetworkServiceInProcess', '--no-first-run',
      '--window-size=800,600', '--hide-scrollbars', '--mute-audio', '--no-sandbox', '--disable-gpu',
    ]));
    expect(s.ignoreDefaultArgs).toEqual([]);
  });

  it('K6_BROWSER_ARGS adds or replaces flags, K6_BROWSER_IGNORE_DEFAULT_ARGS drops them, K6_BROWSER_HEADLESS and K6_BROWSER_TIMEOUT as Go parses them', () => {
    const s = launchSettings({ type: 'chromium' }, {
      ...env,
      K6_BROWSER_ARGS: 'window-size=1024,lang="fr",show-fps-counter,',
      K6_BROWSER_IGNORE_DEFAULT_ARGS: '--no-sandbox,mute-audio',
      K6_BROWSER_HEADLESS: 'F',
      K6_BROWSER_TIMEOUT: '1m30s',
    });
    expect(s.args).toContain('--window-size=1024');
    expect(s.args).toContain('--lang=fr');
    expect(s.args).toContain('--show-fps-counter');
    expect(s.args).not.toContain('--no-sandbox');
    expect(s.args).not.toContain('--hide-scrollbars'); // headful: no headless-only flags
    expect(s.ignoreDefaultArgs).toEqual(['--no-sandbox', '--mute-audio']);
    expect(s.headless).toBe(false);
    expect(s.timeoutMs).toBe(90_000);
    expect(launchSettings({ type: 'chromium' }, { ...env, K6_BROWSER_TIMEOUT: '500' }).timeoutMs).toBe(500);
    expect(() => launchSettings({ type: 'chromium' }, { ...env, K6_BROWSER_HEADLESS: 'yes' }))
      .toThrow('error parsing browser options: K6_BROWSER_HEADLESS should be a boolean');
    expect(() => launchSettings({ type: 'chromium' }, { ...env, K6_BROWSER_TIMEOUT: 'soon' }))
      .toThrow('error parsing browser options: K6_BROWSER_TIMEOUT should be a time duration value');
  });
  it('the hosts option reaches Chromium as host-resolver-rules MAP entries, after those K6_BROWSER_ARGS gave, sorted', () => {
    const hosts = { 'shop.test': '127.0.0.1:8080', '*.api.test': '127.0.0.1' };
    expect(launchSettings({ type: 'chromium' }, env, hosts).args)
      .toContain('--host-resolver-rules=MAP *.api.test 127.0.0.1,MAP shop.test 127.0.0.1:8080');
    expect(launchSettings({ type: 'chromium' }, { ...env, K6_BROWSER_ARGS: 'host-resolver-rules=EXCLUDE cdn.test' }, hosts).args)
      .toContain('--host-resolver-rules=EXCLUDE cdn.test,MAP *.api.test 127.0.0.1,MAP shop.test 127.0.0.1:8080');
    expect(launchSettings({ type: 'chromium' }, env, {}).args.some((a) => a.startsWith('--host-resolver-rules'))).toBe(false);
  });
});

describe('k6/browser error texts and metric naming', () => {
  it('Playwright’s errors without the method prefix and call log, timeouts in k6’s words', () => {
    expect(browserErrorText(new Error('page.click: Timeout 30000ms exceeded.\nCall log:\n  - waiting for locator(\'#x\')'))).toBe('timed out after 30s');
    expect(browserErrorText(new Error('locator.fill: Timeout 500ms exceeded.'))).toBe('timed out after 500ms');
    expect(browserErrorText(new Error('page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:1/\nCall log:\n  - navigating'))).toBe('net::ERR_CONNECTION_REFUSED at http://127.0.0.1:1/');
    expect(browserErrorText(new Error('page.title: Target page, context or browser has been closed'))).toBe('canceled');
    // waitForNavigation's timeout carries a logs block instead of a call log.
    expect(browserErrorText(new Error('page.waitForNavigation: Timeout 30000ms exceeded.\n=========================== logs ===========================\nwaiting for navigation until "load"\n============================================================')))
      .toBe('timed out after 30s');
  });

  it('page.on(\'metric\')’s tag(): the first match by URL (and method) names the metric; k6’s errors', () => {
    const e = new MetricEventFacade('http://x/items/42', 'GET');
    e.tag({ name: 'post', matches: [{ url: /\/items\/\d+$/, method: 'POST' }] });
    expect(e.named).toBeUndefined();
    e.tag({ name: 'item', matches: [{ url: /\/users/ }, { url: /\/items\/\d+$/, method: 'get' }] });
    expect(e.named).toBe('item');
    e.tag({ name: 'later', matches: [{ url: /items/ }] });
    expect(e.named).toBe('later');
    expect(() => new MetricEventFacade('u', 'GET').tag({ name: ' ', matches: [] })).toThrow('name " " is invalid');
    expect(() => new MetricEventFacade('u', 'GET').tag({ name: 'n', matches: [{ url: /u/, method: 'FETCH' }] })).toThrow('method "FETCH" is invalid');
  });
});
