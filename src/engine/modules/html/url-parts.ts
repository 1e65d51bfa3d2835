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

/** The authority and path of a value that has an authority (`http://h:80/p`, `//h`), as written. */
function writtenAuthority(value: string): { userinfo: string; hostPort: string; path: string } | undefined {
  const m = /^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?\/\/([^/?#]*)([^?#]*)/.exec(value.trim());
  if (m === null) return undefined;
  const authority = m[1] ?? '';
  const at = authority.lastIndexOf('@');
  return { userinfo: at < 0 ? '' : authority.slice(0, at + 1), hostPort: authority.slice(at + 1), path: m[2] ?? '' };
}

/** Go's net.SplitHostPort: host and port of "h:p" or "[v6]:p"; undefined when there is no port. */
function splitHostPort(hostPort: string): { host: string; port: string } | undefined {
  const m = /^\[([^\]]*)\]:([^:]*)$/.exec(hostPort) ?? /^([^:[\]]*):([^:]*)$/.exec(hostPort);
  return m === null ? undefined : { host: m[1] ?? '', port: m[2] ?? '' };
}

/**
 * `value` resolved against `base`; undefined when it cannot be parsed. A value with an authority
 * keeps it as written, as Go's url.ResolveReference does (WHATWG URL would drop a default port
 * and turn an empty path into "/": `http://example.com:80` stays `http://example.com:80`).
 */
export function resolveUrl(base: string, value: string): string | undefined {
  let u: URL;
  try {
    u = base === '' ? new URL(value) : new URL(value, base);
  } catch {
    return undefined;
  }
  const written = writtenAuthority(value);
  if (written !== undefined) {
    const path = written.path === '' ? '' : u.pathname;
    return `${u.protocol}//${written.userinfo}${written.hostPort}${path}${u.search}${u.hash}`;
  }
  // A value with no path ("", "?q", "#f") keeps the base's path, which stays empty when the base has
  // none (Go: "http://example.com" + "" is "http://example.com", not ".../").
  const writtenBase = writtenAuthority(base);
  if (writtenBase !== undefined && writtenBase.path === '' && /^[?#]|^$/.test(value.trim())) {
    return `${u.protocol}//${writtenBase.userinfo}${writtenBase.hostPort}${u.search}${u.hash}`;
  }
  return u.href;
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
  const written = writtenAuthority(href);
  if (written !== undefined) {
    // Go's url.URL keeps the host and port as written; Hostname/Port split them as net.SplitHostPort.
    const split = splitHostPort(written.hostPort);
    return {
      scheme: u.protocol.slice(0, -1),
      host: written.hostPort,
      hostname: split?.host ?? written.hostPort,
      port: split?.port ?? '',
      username: decode(u.username),
      password: decode(u.password),
      path: written.path === '' ? '' : decode(u.pathname),
      rawQuery: u.search.slice(1),
      fragment: decode(u.hash.slice(1)),
      href,
    };
  }
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
