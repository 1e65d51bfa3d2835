// responseType 'binary': the body is an ArrayBuffer scripts can test with instanceof and wrap in views.
import http from 'k6/http';
import { check } from 'k6';

export const options = { iterations: 1 };

export default function () {
  const res = http.get(`${__ENV.BASE}/api/users/1`, { responseType: 'binary' });
  const text = http.get(`${__ENV.BASE}/api/users/1`);
  check(res, {
    'body is an ArrayBuffer': (r) => r.body instanceof ArrayBuffer,
    'bytes are the response': (r) => new Uint8Array(r.body)[0] === '{'.charCodeAt(0) && r.body.byteLength === text.body.length,
    'default body is a string': () => typeof text.body === 'string',
  });
}
