// Which https://jslib.k6.io modules the engine serves built in (any version in the path), for scripts
// whose imports are not carried by a k6 archive. The compiler leaves such an import external, so the
// factory asks the VU runtime for it (`__rt.require(url)`) as it does for `k6/*`.

export type BuiltinJslib = 'k6-summary' | 'k6-utils';

const BUILTIN = /^https:\/\/jslib\.k6\.io\/(k6-summary|k6-utils)\/[^/]+\/index\.js$/;

/** The built-in module a normalised `https://` URL names, or undefined. */
export function builtinJslib(url: string): BuiltinJslib | undefined {
  const m = BUILTIN.exec(url);
  return m === null ? undefined : (m[1] as BuiltinJslib);
}
