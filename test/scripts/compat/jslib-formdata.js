// The FormData polyfill of k6's data-uploads example: text fields, a binary file object and
// http.file() parts in one multipart/form-data request that a real parser reads back.
import http from 'k6/http';
import { check } from 'k6';
import { b64decode } from 'k6/encoding';
import { FormData } from 'https://jslib.k6.io/formdata/0.0.2/index.js';

const json = open('../fixtures/users.json', 'b');
const txt = open('../fixtures/users.json');

export const options = { iterations: 1 };

export default function () {
  const fd = new FormData();
  fd.append('someTextField', 'someValue');
  fd.append('aBinaryFile', {
    data: new Uint8Array([0, 13, 10, 45, 45, 255, 128]).buffer,
    filename: 'logo.png',
    content_type: 'image/png',
  });
  fd.append('anotherTextField', 'héllo wörld');
  fd.append('images', http.file(json, 'image1.json', 'application/json'));
  fd.append('images', http.file(new Uint8Array([1, 2, 3]), 'image2.bin'));
  fd.append('text', http.file(txt, 'text.txt', 'text/plain'));

  const res = http.post(`${__ENV.BASE}/multipart`, fd.body(), {
    headers: { 'Content-Type': 'multipart/form-data; boundary=' + fd.boundary },
  });
  const parts = res.json('parts') || [];
  const users = JSON.parse(txt);
  check(res, {
    'is status 200': (r) => r.status === 200,
    'six parts in order': () => parts.map((p) => p.name).join() === 'someTextField,aBinaryFile,anotherTextField,images,images,text',
    'text fields': () => parts[0].value === 'someValue' && parts[2].value === 'héllo wörld',
    'binary file object': () => parts[1].filename === 'logo.png' && parts[1].type === 'image/png' && parts[1].base64 === 'AA0KLS3/gA==',
    'http.file parts': () => parts[3].filename === 'image1.json' && parts[3].type === 'application/json'
      && JSON.parse(b64decode(parts[3].base64, 'std', 's'))[0].name === users[0].name
      && parts[4].type === 'application/octet-stream' && parts[4].base64 === 'AQID',
    'text file': () => parts[5].filename === 'text.txt' && b64decode(parts[5].base64, 'std', 's') === txt,
    'boundary is the documented one': () => fd.boundary.startsWith('------RWWorkerFormDataBoundary'),
  });
}

