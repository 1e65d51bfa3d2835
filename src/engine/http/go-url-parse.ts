// Which URLs Go's net/url.Parse rejects, with Go's error text. k6 parses a request's URL with it
// before anything is sent (httpext.NewURL): only those URLs are "invalid URL" preparation errors
// (which fail a whole http.batch()); a URL Go parses but cannot send ("not a url", "ftp://…") fails
// later, as that request's own error. The checks follow url.Parse: control bytes, the scheme, a
// colon in the first segment of a relative path, the authority (userinfo, brackets, port, host
// characters) and %-escapes in the host, path and fragment.

const HEX = /^[0-9a-fA-F]{2}$/;

function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** url.shouldEscape(c, encodeHost) for ASCII: what a host name may not hold unescaped. */
function badHostByte(c: string): boolean {
  if (/[A-Za-z0-9]/.test(c)) return false;
  return !"-_.~!$&'()*+,;=:[]<>\"".includes(c);
}

/** url.unescape for encodeHost, encodePath and encodeFragment: the error, or undefined. */
function unescapeError(s: string, mode: 'host' | 'path' | 'fragment'): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!HEX.test(hex)) return `invalid URL escape ${goQuote(s.slice(i, i + 3))}`;
      // A host may escape only non-ASCII bytes (and %25, the zone separator).
      if (mode === 'host' && parseInt(hex[0] as string, 16) < 8 && s.slice(i, i + 3) !== '%25') {
        return `invalid URL escape ${goQuote(s.slice(i, i + 3))}`;
      }
      i += 2;
    } else if (mode === 'host' && c.charCodeAt(0) < 0x80 && badHostByte(c)) {
      return `invalid character ${goQuote(c)} in host name`;
    }
  }
  return undefined;
}

function validOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

function hostError(host: string): string | undefined {
  if (host.startsWith('[')) {
    const end = host.lastIndexOf(']');
    if (end < 0) return "missing ']' in host";
    const colonPort = host.slice(end + 1);
    if (!validOptionalPort(colonPort)) return `invalid port ${goQuote(colonPort)} after host`;
  } else {
    const colon = host.lastIndexOf(':');
    if (colon !== -1 && !validOptionalPort(host.slice(colon))) return `invalid port ${goQuote(host.slice(colon))} after host`;
  }
  return unescapeError(host, 'host');
}

// url.validUserinfo: unreserved, sub-delims, ':' and '%'.
const USERINFO = /^[A-Za-z0-9\-._~!$&'()*+,;=%:@]*$/;

function authorityError(authority: string): string | undefined {
  const at = authority.lastIndexOf('@');
  const err = hostError(at < 0 ? authority : authority.slice(at + 1));
  if (err !== undefined) return err;
  if (at < 0) return undefined;
  const userinfo = authority.slice(0, at);
  if (!USERINFO.test(userinfo)) return 'net/url: invalid userinfo';
  for (const part of userinfo.split(':')) {
    const bad = /%(?![0-9a-fA-F]{2})/.exec(part);
    if (bad) return `invalid URL escape ${goQuote(part.slice(bad.index, bad.index + 3))}`;
  }
  return undefined;
}

/** url.getScheme: the scheme and the rest, or Go's error. */
function splitScheme(raw: string): { scheme: string; rest: string } | string {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return { scheme: '', rest: raw };
      continue;
    }
    if (c === ':') {
      if (i === 0) return 'missing protocol scheme';
      return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    }
    return { scheme: '', rest: raw };
  }
  return { scheme: '', rest: raw };
}

function parseError(raw: string): string | undefined {
  if (/[\x00-\x1f\x7f]/.test(raw)) return 'net/url: invalid control character in URL';
  if (raw === '*') return undefined;
  const split = splitScheme(raw);
  if (typeof split === 'string') return split;
  let rest = split.rest;
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) rest = rest.slice(0, -1);
  else rest = rest.split('?', 1)[0] as string;
  if (!rest.startsWith('/')) {
    if (split.scheme !== '') return undefined; // opaque
    if ((rest.split('/', 1)[0] as string).includes(':')) return 'first path segment in URL cannot contain colon';
  }
  if ((split.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    const slash = authority.indexOf('/');
    rest = slash < 0 ? '' : authority.slice(slash);
    if (slash >= 0) authority = authority.slice(0, slash);
    const err = authorityError(authority);
    if (err !== undefined) return err;
  }
  return unescapeError(rest, 'path');
}

/** Go's `url.Parse(raw)` error text (`parse "…": …`), or undefined when Go accepts the URL. */
export function goUrlParseError(raw: string): string | undefined {
  const hash = raw.indexOf('#');
  const u = hash < 0 ? raw : raw.slice(0, hash);
  const err = parseError(u);
  if (err !== undefined) return `parse ${goQuote(u)}: ${err}`;
  if (hash < 0) return undefined;
  const fragErr = unescapeError(raw.slice(hash + 1), 'fragment');
  return fragErr === undefined ? undefined : `parse ${goQuote(raw)}: ${fragErr}`;
}

/** The scheme Go's url.Parse gives `raw` (lower-cased, "" when it has none). */
export function goUrlScheme(raw: string): string {
  const split = splitScheme(raw);
  return typeof split === 'string' ? '' : split.scheme.toLowerCase();
}
