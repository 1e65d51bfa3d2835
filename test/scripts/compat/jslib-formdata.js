// jslib's FormData polyfill: text fields, a binary file object ({ data, filename, content_type })
// and http.file() parts, repeated names included, in one multipart/form-data request that a real
// parser reads back (test/engine-compat.test.ts serves /multipart).
import http from 'k6/http';
import { check } from 'k6';
import { b64decode } from 'k6/encoding';
import { FormData } from 'https://jslib.k6.io/formdata/0.0.2/index.js';

const rosterBytes = open('../fixtures/users.json', 'b');
const rosterText = open('../fixtures/users.json');

export const options = { iterations: 1 };

/** The parts the form holds, in order: [name, what the parser must report]. */
const expected = ['title', 'badge', 'caption', 'attachment', 'attachment', 'readme'];

export default function () {
  const form = new FormData();
  form.append('title', 'quarterly roster');
  // Bytes a multipart body must carry untouched: NUL, CR LF, "--", and high bytes.
  form.append('badge', { data: new Uint8Array([0, 13, 10, 45, 45, 255, 128]).buffer, filename: 'badge.gif', content_type: 'image/gif' });
  form.append('caption', 'naïve café ☕');
  form.append('attachment', http.file(rosterBytes, 'roster.json', 'application/json'));
  form.append('attachment', http.file(new Uint8Array([7, 8, 9]), 'raw.dat'));
  form.append('readme', http.file(rosterText, 'readme.txt', 'text/plain'));

  const contentType = `multipart/form-data; boundary=${form.boundary}`;
  const res = http.post(`${__ENV.BASE}/multipart`, form.body(), { headers: { 'Content-Type': contentType } });
  const parts = res.json('parts') || [];
  const text = (i) => b64decode(parts[i].base64, 'std', 's');
  check(res, {
    'multipart accepted': (r) => r.status === 200,
    'parts in the order appended': () => parts.map((p) => p.name).join() === expected.join(),
    'text fields, UTF-8 kept': () => parts[0].value === 'quarterly roster' && parts[2].value === 'naïve café ☕',
    'file object: name, type, raw bytes': () => parts[1].filename === 'badge.gif' && parts[1].type === 'image/gif' && parts[1].base64 === 'AA0KLS3/gA==',
    'http.file parts: typed and default octet-stream': () => parts[3].filename === 'roster.json' && parts[3].type === 'application/json'
      && JSON.parse(text(3))[0].name === JSON.parse(rosterText)[0].name
      && parts[4].filename === 'raw.dat' && parts[4].type === 'application/octet-stream' && parts[4].base64 === 'BwgJ',
    'text file read back whole': () => parts[5].filename === 'readme.txt' && text(5) === rosterText,
    "boundary has the polyfill's prefix": () => form.boundary.startsWith('------RWWorkerFormDataBoundary'),
  });
}
