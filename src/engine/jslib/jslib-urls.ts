// Which https://jslib.k6.io modules the engine serves built in (any version in the path), for scripts
// whose imports are not carried by a k6 archive. The compiler leaves such an import external, so the
// factory asks the VU runtime for it (`__rt.require(url)`) as it does for `k6/*`.

const NAMES = ['ajv', 'aws', 'formdata', 'http-instrumentation-pyroscope', 'http-instrumentation-tempo', 'httpx', 'k6-summary', 'k6-testing', 'k6-utils', 'k6chaijs', 'papaparse', 'totp', 'url'] as const;

export type BuiltinJslib = (typeof NAMES)[number];

const BUILTIN = new RegExp(`^https://jslib\\.k6\\.io/(${NAMES.join('|')})/[^/]+/index\\.js$`);

/** The files of the aws jslib: the whole library (index.js, aws.js) and each service's bundle. */
export const AWS_FILES = ['index', 'aws', 's3', 'sqs', 'kms', 'secrets-manager', 'ssm', 'kinesis', 'lambda', 'event-bridge', 'signature'] as const;
const AWS = new RegExp(`^https://jslib\\.k6\\.io/aws/[^/]+/(${AWS_FILES.join('|')})\\.js$`);

/** The built-in module a normalised `https://` URL names, or undefined. */
export function builtinJslib(url: string): BuiltinJslib | undefined {
  if (AWS.test(url)) return 'aws';
  const m = BUILTIN.exec(url);
  const name = m === null ? undefined : (m[1] as BuiltinJslib);
  return name === 'aws' ? undefined : name;
}

/** Whether a URL is on jslib.k6.io (built in or not): errors for those list what is built in. */
export function isJslibUrl(url: string): boolean {
  return /^https:\/\/jslib\.k6\.io\//i.test(url);
}

/** The built-in modules as users import them, for error messages. */
export function builtinJslibList(): string {
  return NAMES.map((n) => (n === 'aws' ? `https://jslib.k6.io/aws/<version>/{${AWS_FILES.join(',')}}.js` : `https://jslib.k6.io/${n}/<version>/index.js`)).join(', ');
}
