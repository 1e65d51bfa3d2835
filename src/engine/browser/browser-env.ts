// The browser settings k6/browser reads (k6 common/browser_options.go, chromium/browser_type.go):
// the scenario's `options.browser.type`, and the K6_BROWSER_* variables of the system environment
// (k6 reads them from the OS, not from __ENV). Stampede's engine never reads process.env: the run
// hands the workers these variables (browserEnvOf) and each VU parses them when it launches.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseDuration, parseGoBool } from '../../core/index.ts';

/** The variables k6/browser honours, and PATH to find the browser in. */
export function browserEnvOf(env: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('K6_BROWSER_') || k === 'PATH') out[k] = v;
  return out;
}

export interface BrowserLaunchSettings {
  readonly executablePath: string;
  readonly headless: boolean;
  /** Chromium's command line flags, k6's defaults changed by K6_BROWSER_ARGS / K6_BROWSER_IGNORE_DEFAULT_ARGS. */
  readonly args: string[];
  /** Flags (`--name`) Playwright must not add. */
  readonly ignoreDefaultArgs: string[];
  /** K6_BROWSER_TIMEOUT: how long the launch may take (k6's default 30 s). */
  readonly timeoutMs: number;
}

export const DEFAULT_BROWSER_TIMEOUT_MS = 30_000;

/**
 * k6's default Chromium flags (prepareFlags), plus those this engine needs to run headless as root
 * on a server without a GPU or network (no-sandbox, disable-gpu, disable-component-update,
 * disable-sync): they can be dropped with K6_BROWSER_IGNORE_DEFAULT_ARGS.
 */
function defaultFlags(headless: boolean): Map<string, string | boolean> {
  const f = new Map<string, string | boolean>([
    ['disable-background-networking', true],
    ['enable-features', 'NetworkService,NetworkServiceInProcess'],
    ['disable-background-timer-throttling', true],
    ['disable-backgrounding-occluded-windows', true],
    ['disable-breakpad', true],
    ['disable-component-extensions-with-background-pages', true],
    ['disable-default-apps', true],
    ['disable-dev-shm-usage', true],
    ['disable-extensions', true],
    ['disable-features', 'ImprovedCookieControls,LazyFrameLoading,GlobalMediaControls,DestroyProfileOnBrowserClose,MediaRouter,AcceptCHFrame'],
    ['disable-hang-monitor', true],
    ['disable-ipc-flooding-protection', true],
    ['disable-popup-blocking', true],
    ['disable-prompt-on-repost', true],
    ['disable-renderer-backgrounding', true],
    ['force-color-profile', 'srgb'],
    ['metrics-recording-only', true],
    ['no-first-run', true],
    ['enable-automation', true],
    ['password-store', 'basic'],
    ['use-mock-keychain', true],
    ['no-service-autorun', true],
    ['no-default-browser-check', true],
    ['window-size', '800,600'],
    ['no-sandbox', true],
    ['disable-gpu', true],
    ['disable-component-update', true],
    ['disable-sync', true],
  ]);
  if (headless) {
    f.set('hide-scrollbars', true);
    f.set('mute-audio', true);
    f.set('blink-settings', 'primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4');
  }
  return f;
}

/** Go's strconv.ParseBool of a K6_BROWSER_* variable. */
function browserBool(name: string, v: string): boolean {
  const b = parseGoBool(v);
  if (b === undefined) throw new Error(`${name} should be a boolean`);
  return b;
}

/** k6's parseListOpt: comma-separated, a trailing empty element dropped. */
function parseList(v: string): string[] {
  const parts = v.split(',');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function trimQuotes(s: string): string {
  return s.length >= 2 && ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))) ? s.slice(1, -1) : s;
}

/** The browser executables k6 looks for on PATH, in its order (chromium/browser_type.go executablePath). */
const CANDIDATES = [
  'headless_shell', 'headless-shell', 'chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable',
  'google-chrome-beta', 'google-chrome-unstable', '/usr/bin/google-chrome', 'chrome',
];

function lookPath(file: string, pathVar: string): string | undefined {
  const executable = (p: string): boolean => {
    try {
      return existsSync(p) && statSync(p).isFile() && (statSync(p).mode & 0o111) !== 0;
    } catch {
      return false;
    }
  };
  if (file.includes('/')) return executable(file) ? file : undefined;
  for (const dir of pathVar.split(path.delimiter)) {
    if (dir === '') continue;
    const p = path.join(dir, file);
    if (executable(p)) return p;
  }
  return undefined;
}

/** The browser k6 would launch: K6_BROWSER_EXECUTABLE_PATH, else the first candidate on PATH. */
export function findBrowserExecutable(env: Readonly<Record<string, string>>): string {
  const pathVar = env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  const given = (env.K6_BROWSER_EXECUTABLE_PATH ?? '').trim();
  if (given !== '') {
    const found = lookPath(given, pathVar);
    if (found === undefined) {
      throw new Error(`finding browser executable: k6 couldn't detect google chrome or a chromium-supported browser on the given path: ${given}`);
    }
    return found;
  }
  for (const c of CANDIDATES) {
    const found = lookPath(c, pathVar);
    if (found !== undefined) return found;
  }
  throw new Error("finding browser executable: k6 couldn't detect google chrome or a chromium-supported browser on this system");
}

/**
 * The scenario's browser options as k6's BrowserOptions.Parse checks them, then the environment. Throws
 * k6's messages (`browser type option must be set`, `unsupported browser type: x`, `K6_BROWSER_HEADLESS
 * should be a boolean`, …).
 */
export function launchSettings(
  scenarioBrowser: unknown,
  env: Readonly<Record<string, string>>,
  hosts: Readonly<Record<string, string>> = {},
): BrowserLaunchSettings {
  const opts = scenarioBrowser !== null && typeof scenarioBrowser === 'object' ? scenarioBrowser as Record<string, unknown> : {};
  const parseError = (m: string): Error => new Error(`initializing browser type: error parsing browser options: ${m}`);
  if (!Object.hasOwn(opts, 'type')) throw parseError('browser type option must be set');
  if (opts.type !== 'chromium') throw parseError(`unsupported browser type: ${String(opts.type)}`);
  const get = (k: string): string | undefined => {
    const v = env[k];
    return v === undefined || v === '' ? undefined : v;
  };
  let headless = true;
  let timeoutMs = DEFAULT_BROWSER_TIMEOUT_MS;
  try {
    const h = get('K6_BROWSER_HEADLESS');
    if (h !== undefined) headless = browserBool('K6_BROWSER_HEADLESS', h);
    const t = get('K6_BROWSER_TIMEOUT');
    if (t !== undefined) {
      try {
        timeoutMs = parseDuration(t);
      } catch (e) {
        throw new Error(`K6_BROWSER_TIMEOUT should be a time duration value: ${(e as Error).message}`);
      }
    }
  } catch (e) {
    throw parseError((e as Error).message);
  }
  const flags = defaultFlags(headless);
  const ignored = parseList(get('K6_BROWSER_IGNORE_DEFAULT_ARGS') ?? '').map((n) => n.trim()).filter((n) => n !== '');
  for (const name of ignored) flags.delete(name.replace(/^--/, ''));
  for (const arg of parseList(get('K6_BROWSER_ARGS') ?? '')) {
    const eq = arg.indexOf('=');
    const name = (eq < 0 ? arg : arg.slice(0, eq)).trim();
    const value = eq < 0 ? '' : trimQuotes(arg.slice(eq + 1).trim());
    if (name !== '') flags.set(name, value);
  }
  // k6's setFlagsFromK6Options: the `hosts` option reaches Chromium as MAP rules, after any rules
  // K6_BROWSER_ARGS gave, sorted as k6 sorts them.
  const rules = Object.entries(hosts).map(([name, to]) => `MAP ${name} ${to}`);
  if (rules.length > 0) {
    const given = flags.get('host-resolver-rules');
    if (given !== undefined) rules.push(typeof given === 'string' ? given : '');
    flags.set('host-resolver-rules', rules.sort().join(','));
  }
  const args: string[] = [];
  for (const [name, value] of flags) {
    if (value === true) args.push(`--${name}`);
    else if (typeof value === 'string') args.push(value.trim() === '' ? `--${name}` : `--${name}=${value}`);
  }
  return {
    executablePath: findBrowserExecutable(env),
    headless,
    args,
    ignoreDefaultArgs: ignored.map((n) => (n.startsWith('--') ? n : `--${n}`)),
    timeoutMs,
  };
}

/**
 * k6's validateWSEndpoint (chromium/browser_type.go): connectOverCDP's endpoint must be a ws or wss
 * URL with a host (Go's url.Parse errors for malformed URLs are not reproduced).
 */
export function validateWSEndpoint(endpoint: string): void {
  if (endpoint.trim() === '') throw new Error('WebSocket endpoint cannot be empty');
  const q = JSON.stringify(endpoint);
  const colon = endpoint.indexOf(':');
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*$/.test(endpoint.slice(0, Math.max(colon, 0))) ? endpoint.slice(0, colon).toLowerCase() : '';
  if (scheme !== 'ws' && scheme !== 'wss') throw new Error(`invalid WebSocket endpoint ${q}: scheme must be ws or wss, got ${JSON.stringify(scheme)}`);
  // Go's url.Parse: the authority follows "//", up to the path; the host is it without user and port.
  const rest = endpoint.slice(colon + 1);
  const authority = rest.startsWith('//') ? (/^[^/?#]*/.exec(rest.slice(2))?.[0] ?? '') : '';
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const host = hostPort.startsWith('[') ? hostPort.slice(1, hostPort.indexOf(']')) : hostPort.replace(/:\d*$/, '');
  if (host === '') throw new Error(`invalid WebSocket endpoint ${q}: host is missing`);
}

/** K6_BROWSER_TIMEOUT for connectOverCDP (k6 reads the browser options from the environment there too). */
export function connectTimeout(env: Readonly<Record<string, string>>): number {
  const t = env.K6_BROWSER_TIMEOUT;
  if (t === undefined || t === '') return DEFAULT_BROWSER_TIMEOUT_MS;
  try {
    return parseDuration(t);
  } catch (e) {
    throw new Error(`K6_BROWSER_TIMEOUT should be a time duration value: ${(e as Error).message}`);
  }
}
