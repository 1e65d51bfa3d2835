// Go's http.ParseSetCookie, which gives k6 a response's cookies (res.cookies) and decides which
// Set-Cookie lines reach the jar: a line without "=", with a name that is not an HTTP token or with a
// value of bytes a cookie cannot hold (a `"`, `;`, `\`, control or non-ASCII byte) is dropped; a
// value in double quotes loses them; Domain and Path are kept as written (a leading dot stays);
// Max-Age must be an integer without a leading zero (0 or less is -1); Expires is RFC 1123 or the
// `Mon, 02-Jan-2006 15:04:05 MST` layout, anything else no expiry.

import { isValidCookieValue, readSetCookieValue } from './go-cookie-value.ts';

export interface GoSetCookie {
  readonly name: string;
  readonly value: string;
  readonly domain: string;
  readonly path: string;
  readonly httpOnly: boolean;
  readonly secure: boolean;
  readonly maxAge: number;
  /** Undefined: Go's zero time. */
  readonly expires: Date | undefined;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Go's parseCookieValue: the value, or undefined when it holds a byte a cookie cannot. */
function cookieValue(raw: string, allowQuotes: boolean): string | undefined {
  if (allowQuotes) return readSetCookieValue(raw);
  return isValidCookieValue(raw) ? raw : undefined;
}

/** textproto.TrimString: ASCII space and tab, CR and LF at both ends. */
const trim = (s: string): string => s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');

function goExpires(val: string): Date | undefined {
  const d = parseGoRfc1123(val);
  if (d instanceof Date) return d;
  const dashed = /^([A-Za-z]{3}, \d\d)-([A-Za-z]{3})-(\d{4})( .*)$/.exec(val);
  if (dashed === null) return undefined;
  const alt = parseGoRfc1123(`${dashed[1]} ${dashed[2]} ${dashed[3]}${dashed[4]}`);
  return alt instanceof Date ? alt : undefined;
}

/** Go's `http.ParseSetCookie(line)`, or undefined where Go returns an error (the line is ignored). */
export function parseGoSetCookie(line: string): GoSetCookie | undefined {
  const parts = trim(line).split(';');
  const first = trim(parts[0] ?? '');
  const eq = first.indexOf('=');
  if (eq < 0) return undefined;
  const name = trim(first.slice(0, eq));
  if (!TOKEN.test(name)) return undefined;
  const value = cookieValue(first.slice(eq + 1), true);
  if (value === undefined) return undefined;
  let domain = '';
  let path = '';
  let httpOnly = false;
  let secure = false;
  let maxAge = 0;
  let expires: Date | undefined;
  for (const part of parts.slice(1)) {
    const p = trim(part);
    if (p === '') continue;
    const i = p.indexOf('=');
    const attr = (i < 0 ? p : p.slice(0, i)).toLowerCase();
    const val = cookieValue(i < 0 ? '' : p.slice(i + 1), false);
    if (val === undefined) continue;
    switch (attr) {
      case 'secure': secure = true; break;
      case 'httponly': httpOnly = true; break;
      case 'domain': domain = val; break;
      case 'path': path = val; break;
      case 'max-age': {
        if (!/^[+-]?\d+$/.test(val)) break;
        const secs = Number(val);
        if (secs !== 0 && val.startsWith('0')) break;
        maxAge = secs <= 0 ? -1 : secs;
        break;
      }
      case 'expires': expires = goExpires(val); break;
    }
  }
  return { name, value, domain, path, httpOnly, secure, maxAge, expires };
}

const GO_RFC1123 = 'Mon, 02 Jan 2006 15:04:05 MST';
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Go's `time.Parse(time.RFC1123, s)` as k6's CookieJar.set reads `expires`: the date, or Go's error
 * text (`parsing time "…" as "Mon, 02 Jan 2006 15:04:05 MST": cannot parse "…" as "…"`). A zone
 * abbreviation is read as UTC (Go does so for any name but the machine's own zone's), `GMT±h` as that
 * offset.
 */
export function parseGoRfc1123(value: string): Date | string {
  const q = (x: string): string => JSON.stringify(x);
  let rest = value;
  const bad = (elem: string): string => `parsing time ${q(value)} as ${q(GO_RFC1123)}: cannot parse ${q(rest)} as ${q(elem)}`;
  const literal = (lit: string): boolean => {
    if (!rest.startsWith(lit)) return false;
    rest = rest.slice(lit.length);
    return true;
  };
  const name = (list: string[]): number => {
    const i = list.indexOf(rest.slice(0, 3).toLowerCase());
    if (i >= 0) rest = rest.slice(3);
    return i;
  };
  const num = (fixed: boolean): number | undefined => {
    const m = (fixed ? /^\d\d/ : /^\d\d?/).exec(rest);
    if (!m) return undefined;
    rest = rest.slice(m[0].length);
    return Number(m[0]);
  };
  if (name(DAYS) < 0) return bad('Mon');
  if (!literal(', ')) return bad(', ');
  const day = num(true);
  if (day === undefined) return bad('02');
  if (!literal(' ')) return bad(' ');
  const month = name(MONTHS);
  if (month < 0) return bad('Jan');
  if (!literal(' ')) return bad(' ');
  if (!/^\d{4}/.test(rest)) return bad('2006');
  const year = Number(rest.slice(0, 4));
  rest = rest.slice(4);
  if (!literal(' ')) return bad(' ');
  const hour = num(false);
  if (hour === undefined) return bad('15');
  if (hour > 23) return `parsing time ${q(value)}: hour out of range`;
  if (!literal(':')) return bad(':');
  const min = num(true);
  if (min === undefined) return bad('04');
  if (min > 59) return `parsing time ${q(value)}: minute out of range`;
  if (!literal(':')) return bad(':');
  const sec = num(true);
  if (sec === undefined) return bad('05');
  if (sec > 59) return `parsing time ${q(value)}: second out of range`;
  if (!literal(' ')) return bad(' ');
  let offsetHours = 0;
  const gmt = /^GMT([+-]\d{1,2})?/.exec(rest);
  const zone = rest.startsWith('UTC') ? 'UTC' : gmt ? gmt[0] : /^([A-Z]{3}|[A-Z]{3}T|[A-Z]{4}T|WITA|ChST|MeST)(?![A-Z])/.exec(rest)?.[0];
  if (zone === undefined) return bad('MST');
  if (gmt?.[1] !== undefined && zone === gmt[0]) offsetHours = Number(gmt[1]);
  rest = rest.slice(zone.length);
  if (rest !== '') return `parsing time ${q(value)}: extra text: ${q(rest)}`;
  const daysIn = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  if (day < 1 || day > daysIn) return `parsing time ${q(value)}: day out of range`;
  const d = new Date(Date.UTC(year, month, day, hour, min, sec) - offsetHours * 3600_000);
  if (year < 100) d.setUTCFullYear(year);
  return d;
}
