// The form-urlencoded jslib as k6's docs use it: a nested object posted as an
// application/x-www-form-urlencoded body, read back by the target.
import http from 'k6/http';
import { check } from 'k6';
import urlencode from 'https://jslib.k6.io/form-urlencoded/3.0.0/index.js';

export const options = { iterations: 1, thresholds: { checks: ['rate==1'] } };

export default function () {
  const form = { user: 'ann lee', tags: ['a&b', 'c'], address: { city: 'Zürich', zip: 8001 }, note: null };
  const res = http.post(`${__ENV.BASE}/echo`, urlencode(form, { ignorenull: true }), { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const body = res.json('body');
  const params = {};
  for (const pair of body.split('&')) {
    const [k, v] = pair.split('=').map((s) => decodeURIComponent(s.replace(/\+/g, ' ')));
    params[k] = v;
  }
  check(params, {
    'plain field': (p) => p.user === 'ann lee',
    'array items indexed': (p) => p['tags[0]'] === 'a&b' && p['tags[1]'] === 'c',
    'nested object': (p) => p['address[city]'] === 'Zürich' && p['address[zip]'] === '8001',
    'null dropped': (p) => !('note' in p),
  });
  check(urlencode({ b: 1, a: [true] }, { sorted: true, skipIndex: true }), { 'sorted, skipIndex': (s) => s === 'a%5B%5D=true&b=1' });
}
