// Which https://jslib.k6.io modules the engine serves built in (any version in the path), for scripts
// whose imports are not carried by a k6 archive. The compiler leaves such an import external, so the
// factory asks the VU runtime for it (`__rt.require(url)`) as it does for `k6/*`.

const NAMES = ['ajv', 'aws', 'expect', 'form-urlencoded', 'formdata', 'functional', 'http-instrumentation-pyroscope', 'http-instrumentation-tempo', 'httpx', 'jsonpath', 'k6-summary', 'k6-testing', 'k6-utils', 'k6chaijs', 'papaparse', 'totp', 'url'] as const;

export type BuiltinJslib = (typeof NAMES)[number] | 'k6-reporter';

/** benc-uk/k6-reporter's bundle on GitHub at any branch, tag or commit: Stampede's own HTML report (jslib/html-report.ts). */
const K6_REPORTER = /^https:\/\/raw\.githubusercontent\.com\/benc-uk\/k6-reporter\/(?:refs\/(?:heads|tags)\/)?[^/]+\/dist\/bundle\.js$/;
const K6_REPORTER_URL = 'https://raw.githubusercontent.com/benc-uk/k6-reporter/<ref>/dist/bundle.js';

const BUILTIN = new RegExp(`^https://jslib\\.k6\\.io/(${NAMES.join('|')})/[^/]+/index\\.js$`);

/** The files of the aws jslib: the whole library (index.js, aws.js) and each service's bundle. */
export const AWS_FILES = ['index', 'aws', 's3', 'sqs', 'kms', 'secrets-manager', 'ssm', 'kinesis', 'lambda', 'event-bridge', 'signature'] as const;
const AWS = new RegExp(`^https://jslib\\.k6\\.io/aws/[^/]+/(${AWS_FILES.join('|')})\\.js$`);

/** The built-in module a normalised `https://` URL names, or undefined. */
export function builtinJslib(url: string): BuiltinJslib | undefined {
  if (AWS.test(url)) return 'aws';
  if (K6_REPORTER.test(url)) return 'k6-reporter';
  const m = BUILTIN.exec(url);
  const name = m === null ? undefined : (m[1] as BuiltinJslib);
  return name === 'aws' ? undefined : name;
}

/** The version a jslib.k6.io URL names ("4.5.0.1" of https://jslib.k6.io/k6chaijs/4.5.0.1/index.js), or "". */
export function jslibVersion(url: string): string {
  return /^https:\/\/jslib\.k6\.io\/[^/]+\/([^/]+)\//.exec(url)?.[1] ?? '';
}

/**
 * Whether a jslib version is at least `min` (dotted numbers compared part by part); a version that is not
 * dotted numbers ("latest", "") counts as the newest.
 */
export function jslibVersionAtLeast(version: string, min: string): boolean {
  if (!/^\d+(\.\d+)*$/.test(version)) return true;
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

/** Whether a URL is on jslib.k6.io or k6-reporter's repository (built in or not): errors for those list what is built in. */
export function isJslibUrl(url: string): boolean {
  return /^https:\/\/(jslib\.k6\.io\/|raw\.githubusercontent\.com\/benc-uk\/k6-reporter\/)/i.test(url);
}

/** The built-in modules as users import them, for error messages. */
export function builtinJslibList(): string {
  return NAMES.map((n) => (n === 'aws' ? `https://jslib.k6.io/aws/<version>/{${AWS_FILES.join(',')}}.js` : `https://jslib.k6.io/${n}/<version>/index.js`)).concat(K6_REPORTER_URL).join(', ');
}
