// The cookie jar API as k6's docs show it (CookieJar set/cookiesForURL/delete/clear), what
// res.request.cookies reports, and the server-set cookie fields.
import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 1 };

export default function () {
  const B = __ENV.BASE;
  const jar = http.cookieJar();
  jar.set(`${B}/api/cookies`, 'my_cookie_1', 'hello_1');
  jar.set(`${B}/api/cookies`, 'my_cookie_2', 'hello_2');
  jar.set(B, 'site_wide', 'yes', { path: '/', max_age: 600 });

  const sent = http.get(`${B}/api/users/1`, { cookies: { extra: 'param' } });
  check(sent.request.cookies, {
    'request.cookies lists params and jar cookies': (c) => c.extra[0].value === 'param' && c.my_cookie_1[0].value === 'hello_1' && c.site_wide[0].value === 'yes',
    'replace is false for all of them': (c) => Object.values(c).every((list) => list.every((x) => x.replace === false)),
  });

  // delete() removes the cookie stored for that URL's default path (/api here).
  const deleted = jar.delete(`${B}/api/cookies`, 'my_cookie_1');
  check(jar.cookiesForURL(`${B}/api/cookies`), {
    'delete returns nothing': () => deleted === undefined,
    'my_cookie_1 is gone': (c) => c.my_cookie_1 === undefined,
    'the others stay': (c) => c.my_cookie_2[0] === 'hello_2' && c.site_wide[0] === 'yes',
  });
  let nameless = '';
  try {
    jar.delete(B, '');
  } catch (e) {
    nameless = e.message;
  }
  check(nameless, { 'delete without a name fails': (m) => m === 'cookie: is null' });

  // clear() too: only the cookies filed under the URL's host and default path.
  jar.clear(`${B}/api/cookies`);
  check(jar.cookiesForURL(`${B}/api/cookies`), { 'clear left the / cookie': (c) => Object.keys(c).join() === 'site_wide' });
  jar.clear(`${B}/`);
  check(jar.cookiesForURL(`${B}/api/cookies`), { 'clear at / emptied the jar': (c) => Object.keys(c).length === 0 });

  const set = http.get(`${B}/cookies/set?theme=dark`);
  check(set.cookies.theme[0], {
    'server cookie fields': (c) => c.name === 'theme' && c.value === 'dark' && c.path === '/' && c.http_only === false && c.secure === false,
    'no Max-Age is 0, no Expires is Go\'s zero time': (c) => c.max_age === 0 && c.expires === -6795364578871,
  });
}
