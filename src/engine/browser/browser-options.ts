// k6/browser's option objects (a script realm's plain objects) read into the option objects of
// playwright-core. k6 named its options after Playwright's, so most keys pass through: each method
// takes only the keys k6 documents for it (others are ignored, as k6's parsers ignore them), with
// k6's few differences mapped (timezoneID, …).

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object';
}

export function isRegExp(v: unknown): v is RegExp {
  return Object.prototype.toString.call(v) === '[object RegExp]';
}

/** A script value as a plain Node value (arrays, objects, RegExps of the script's realm copied). */
export function plain(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (isRegExp(v)) return new RegExp(v.source, v.flags);
  if (Array.isArray(v)) return v.map(plain);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined && typeof x !== 'function') out[k] = plain(x);
  return out;
}

/** `keys` of a script's options object, copied (undefined, null and a non-object give {}). */
export function pick<T extends object = Record<string, unknown>>(opts: unknown, keys: readonly string[]): T {
  const out: Record<string, unknown> = {};
  if (!isObject(opts)) return out as T;
  for (const k of keys) {
    const v = opts[k];
    if (v !== undefined && v !== null) out[k] = plain(v);
  }
  return out as T;
}

export const TIMEOUT = ['timeout'] as const;
export const STRICT_TIMEOUT = ['strict', 'timeout'] as const;
export const CLICK = ['button', 'clickCount', 'delay', 'force', 'modifiers', 'noWaitAfter', 'position', 'strict', 'timeout', 'trial'] as const;
export const DBLCLICK = ['button', 'delay', 'force', 'modifiers', 'noWaitAfter', 'position', 'strict', 'timeout', 'trial'] as const;
export const CHECK = ['force', 'noWaitAfter', 'position', 'strict', 'timeout', 'trial'] as const;
export const HOVER = ['force', 'modifiers', 'noWaitAfter', 'position', 'strict', 'timeout', 'trial'] as const;
export const FILL = ['force', 'noWaitAfter', 'strict', 'timeout'] as const;
export const PRESS = ['delay', 'noWaitAfter', 'strict', 'timeout'] as const;
export const SELECT = ['force', 'noWaitAfter', 'strict', 'timeout'] as const;
export const WAIT_SELECTOR = ['state', 'strict', 'timeout'] as const;
export const GOTO = ['referer', 'timeout', 'waitUntil'] as const;
export const NAVIGATION = ['timeout', 'waitUntil'] as const;
export const WAIT_NAVIGATION = ['timeout', 'url', 'waitUntil'] as const;
export const SCREENSHOT = ['clip', 'fullPage', 'omitBackground', 'path', 'quality', 'type'] as const;
export const MOUSE_CLICK = ['button', 'clickCount', 'delay'] as const;
export const MOUSE_BUTTON = ['button', 'clickCount'] as const;
export const LOCATOR = ['has', 'hasNot', 'hasNotText', 'hasText'] as const;

/** k6's BrowserContextOptions (common/browser_context_options.go) as Playwright's newContext options. */
export function contextOptions(opts: unknown): Record<string, unknown> {
  const o = pick(opts, [
    'bypassCSP', 'colorScheme', 'deviceScaleFactor', 'extraHTTPHeaders', 'geolocation', 'hasTouch', 'httpCredentials',
    'ignoreHTTPSErrors', 'isMobile', 'javaScriptEnabled', 'locale', 'offline', 'permissions', 'reducedMotion', 'screen',
    'timezoneID', 'userAgent', 'viewport', 'proxy',
  ]);
  if (o.proxy !== undefined) {
    // k6's ProxyOptions: server (required) and bypass.
    const proxy = pick<{ server?: unknown; bypass?: unknown }>(o.proxy, ['server', 'bypass']);
    const server = proxy.server === undefined ? '' : String(proxy.server);
    if (server.trim() === '') throw new Error('proxy.server must be set');
    o.proxy = { server, ...(proxy.bypass !== undefined ? { bypass: String(proxy.bypass) } : {}) };
  }
  if (o.timezoneID !== undefined) {
    o.timezoneId = o.timezoneID;
    delete o.timezoneID;
  }
  return o;
}

/** k6's getBy* text argument: a string or a RegExp of the script. */
export function textOrRegExp(v: unknown): string | RegExp {
  return isRegExp(v) ? new RegExp(v.source, v.flags) : String(v);
}

/**
 * k6's URL pattern of page.route (browser/page_mapping.go parseStringOrRegex, common newPatternMatcher):
 * '' matches every URL, another string the exact URL (not a glob, as Playwright reads strings), a
 * RegExp by test. `key` is what unroute compares: the string itself, or the RegExp's `/source/flags`.
 */
export function urlPattern(v: unknown): { key: string; match: (u: URL) => boolean } {
  if (isRegExp(v)) {
    const re = new RegExp(v.source, v.flags);
    return { key: String(re), match: (u) => { re.lastIndex = 0; return re.test(u.href); } };
  }
  const s = v === undefined || v === null ? '' : String(v);
  return { key: s, match: s === '' ? () => true : (u) => u.href === s };
}

/**
 * setInputFiles' files (k6 common Files.Parse): one descriptor or an array of them, each
 * `{ name, mimetype, buffer }` with the content base64-encoded (k6 reads the key `mimetype`, as its
 * field mapper names Go's `Mimetype`); null or undefined entries are skipped.
 */
export function inputFiles(files: unknown): { name: string; mimeType: string; buffer: Buffer }[] {
  const out: { name: string; mimeType: string; buffer: Buffer }[] = [];
  const add = (v: unknown): void => {
    if (v === undefined || v === null) return;
    if (!isObject(v) || isRegExp(v)) throw new Error(`parsing setInputFiles parameter: invalid parameter type : ${goKind(v)}`);
    const str = (x: unknown): string => (x === undefined || x === null ? '' : String(x));
    out.push({ name: str(v.name), mimeType: str(v.mimetype), buffer: Buffer.from(str(v.buffer), 'base64') });
  };
  if (Array.isArray(files)) files.forEach(add);
  else add(files);
  return out;
}

/** A body or postData option: a string or bytes of the script (k6 common.ToBytes). */
export function bodyBytes(v: unknown, what: string): Buffer {
  if (typeof v === 'string') return Buffer.from(v);
  if (Object.prototype.toString.call(v) === '[object ArrayBuffer]') return Buffer.from(new Uint8Array(v as ArrayBuffer));
  if (ArrayBuffer.isView(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  throw new Error(`${what}invalid type ${goType(v)}, expected string, []byte or ArrayBuffer`);
}

/** The Go type name sobek exports a script value as (for k6's `%T` in error texts). */
function goType(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** Go's reflect.Kind of what sobek exports a script value as. */
function goKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return 'ptr';
}
