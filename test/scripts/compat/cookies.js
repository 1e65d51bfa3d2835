// Cookies: the VU jar keeps server cookies within an iteration, the jar API sets them, and the jar
// is emptied before each iteration.
import http from 'k6/http';
import { check } from 'k6';

export const options = { vus: 1, iterations: 2 };

export default function () {
  const B = __ENV.BASE;
  const before = http.get(`${B}/cookies`);
  check(before, { 'jar starts empty each iteration': (r) => Object.keys(r.json()).length === 0 });
  http.get(`${B}/cookies/set?flavour=oat`);
  const jar = http.cookieJar();
  jar.set(B, 'lang', 'en');
  const res = http.get(`${B}/cookies`);
  check(res, {
    'server cookie sent back': (r) => r.json('flavour') === 'oat',
    'jar.set cookie sent': (r) => r.json('lang') === 'en',
  });
  check(jar.cookiesForURL(`${B}/`), { 'cookiesForURL lists both': (c) => c.flavour[0] === 'oat' && c.lang[0] === 'en' });
  const withParam = http.get(`${B}/cookies`, { cookies: { extra: 'yes' } });
  check(withParam, { 'params.cookies sent': (r) => r.json('extra') === 'yes' && r.json('flavour') === 'oat' });
  const own = new http.CookieJar();
  const isolated = http.get(`${B}/cookies`, { jar: own });
  check(isolated, { 'a new jar is empty': (r) => r.json('flavour') === undefined });
  check(res, { 'response cookies parsed': () => http.get(`${B}/cookies/set?a=1`).cookies.a[0].value === '1' });
}
