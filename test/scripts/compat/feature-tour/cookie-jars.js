// Stampede's feature-tour script for k6/http cookies: per-request cookies are sent but never stored;
// Set-Cookie on a redirect lands in the VU jar; a `new http.CookieJar()` is separate from the VU's;
// jar.set() cookies are sent by domain and path. Run by test/engine-compat-examples.test.ts
// against test/scripts/public-hosts.ts (httpbin's /cookies echoes the Cookie header, /cookies/set
// answers 302 with Set-Cookie).
import http from 'k6/http';
import { check, group } from 'k6';

export const options = { maxRedirects: 2 };

const ECHO = 'http://httpbin.org/cookies';
const echoed = (res) => res.json('cookies') || {};

/** Checks that each of `names` is (or is not) among the jar's cookies for `url`. */
function inJar(label, jar, url, names, present) {
  const stored = jar.cookiesForURL(url);
  for (const n of names) {
    check(stored, { [`${label} ${present ? 'holds' : 'lacks'} ${n}`]: (s) => (s[n] !== undefined) === present });
  }
}

export default function () {
  const vuJar = http.cookieJar();

  group('request cookies, VU jar', () => {
    const res = http.get(ECHO, { cookies: { flavour: 'oat', shape: 'round' } });
    check(res, {
      'request cookies: 200': (r) => r.status === 200,
      'request cookies: flavour sent': (r) => echoed(r).flavour === 'oat',
      'request cookies: shape sent': (r) => echoed(r).shape === 'round',
    });
    inJar('VU jar', vuJar, res.url, ['flavour', 'shape'], false);
  });

  group('Set-Cookie through a redirect', () => {
    const res = http.get(`${ECHO}/set?tin=blue&lid=tight`);
    check(res, { 'redirect followed: 200 from /cookies': (r) => r.status === 200 && r.url === ECHO });
    inJar('VU jar', vuJar, res.url, ['tin', 'lid'], true);
  });

  group('request cookies, local jar', () => {
    const local = new http.CookieJar();
    const res = http.get(ECHO, { jar: local, cookies: { crumb: 'fine', crust: 'thick' } });
    check(res, {
      'local jar request: 200': (r) => r.status === 200,
      'local jar request: crumb sent': (r) => echoed(r).crumb === 'fine',
      'local jar request: crust sent': (r) => echoed(r).crust === 'thick',
    });
    inJar('local jar', local, res.url, ['crumb', 'crust'], false);
    inJar('VU jar', vuJar, res.url, ['crumb', 'crust'], false);
  });

  group('jar.set() on a local jar', () => {
    const local = new http.CookieJar();
    local.set(ECHO, 'jam', 'plum');
    local.set(ECHO, 'tea', 'green');
    const res = http.get(ECHO, { jar: local });
    check(res, {
      'local jar cookies: 200': (r) => r.status === 200,
      'local jar cookies: jam sent': (r) => echoed(r).jam === 'plum',
      'local jar cookies: tea sent': (r) => echoed(r).tea === 'green',
    });
    inJar('local jar', local, res.url, ['jam', 'tea'], true);
    inJar('VU jar', vuJar, res.url, ['jam', 'tea'], false);
  });

  group('domain and path attributes', () => {
    vuJar.set(ECHO, 'seat', 'aisle', { domain: 'httpbin.org', path: '/cookies' });
    let res = http.get(ECHO, { jar: vuJar });
    check(res, {
      'matching domain: 200': (r) => r.status === 200,
      'matching domain: seat sent': (r) => echoed(r).seat === 'aisle',
    });
    vuJar.set(ECHO, 'stranger', 'x', { domain: 'example.org', path: '/' });
    res = http.get(ECHO, { jar: vuJar });
    check(res, {
      'other domain: 200': (r) => r.status === 200,
      'other domain: stranger not sent': (r) => echoed(r).stranger === undefined,
    });
  });
}
