// URL attributes of typed elements (href, src, action). k6 resolves them against the URL of the
// response the document came from, and returns them as written when there is none (parseHTML).
// Parts follow Go's net/url fields as k6 exposes them (protocol() is the scheme without ":").

export interface UrlParts {
  scheme: string;
  /** host[:port] */
  host: string;
  hostname: string;
  port: string;
  username: string;
  password: string;
  path: string;
  rawQuery: string;
  fragment: string;
  href: string;
}

const EMPTY: UrlParts = Object.freeze({
  scheme: '', host: '', hostname: '', port: '', username: '', password: '', path: '', rawQuery: '', fragment: '', href: '',
});

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `value` resolved against `base`; undefined when it cannot be parsed. */
export function resolveUrl(base: string, value: string): string | undefined {
  try {
    return base === '' ? new URL(value).href : new URL(value, base).href;
  } catch {
    return undefined;
  }
}

/** A URL attribute's value as k6 returns it: resolved when the document has a URL, else raw. */
export function urlAttribute(base: string, value: string | undefined, fallback: string): string {
  if (base === '') return value ?? '';
  if (value === undefined) return fallback;
  return resolveUrl(base, value) ?? fallback;
}

/** The parts of `value` resolved against `base`; a relative value without base keeps only path, query, fragment. */
export function urlParts(base: string, value: string | undefined): UrlParts {
  if (value === undefined) return EMPTY;
  const href = resolveUrl(base, value);
  if (href === undefined) {
    const hashAt = value.indexOf('#');
    const beforeHash = hashAt < 0 ? value : value.slice(0, hashAt);
    const queryAt = beforeHash.indexOf('?');
    return {
      ...EMPTY,
      path: decode(queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt)),
      rawQuery: queryAt < 0 ? '' : beforeHash.slice(queryAt + 1),
      fragment: hashAt < 0 ? '' : decode(value.slice(hashAt + 1)),
      href: value,
    };
  }
  const u = new URL(href);
  return {
    scheme: u.protocol.slice(0, -1),
    host: u.host,
    hostname: u.hostname,
    port: u.port,
    username: decode(u.username),
    password: decode(u.password),
    path: decode(u.pathname),
    rawQuery: u.search.slice(1),
    fragment: decode(u.hash.slice(1)),
    href,
  };
}
