// Debugging output as the docs' examples write it: console.log of responses' JSON, arrays, errors
// and binary data. k6 v2 prints objects in a JS-like form, not as JSON (internal/js/console.go).
import http from 'k6/http';
import encoding from 'k6/encoding';

export const options = { iterations: 1 };

export default function () {
  const res = http.get(`${__ENV.BASE}/api/users/1`);
  console.log(res.json());
  console.log('roles:', res.json('roles'), 'count:', res.json('roles').length);
  console.info({ status: res.status, ok: res.status === 200, missing: undefined, nothing: null, fn: () => 1 });
  console.warn([]);
  console.error(new Error('something broke'));
  console.log(encoding.b64decode('AQL/'), new Uint8Array([1, 2, 255]));
  const node = { name: 'root' };
  node.self = node;
  console.log(node, new Date(0));
}
