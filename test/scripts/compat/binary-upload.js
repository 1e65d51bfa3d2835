// Uploading a file read with open(path, 'b'): as the raw body, and as a multipart http.file().
import http from 'k6/http';
import { check } from 'k6';

const file = open('../fixtures/users.json', 'b');

export const options = { iterations: 1 };

export default function () {
  const raw = http.post(`${__ENV.BASE}/echo`, file, { headers: { 'Content-Type': 'application/octet-stream' } });
  check(raw, { 'raw bytes sent': (r) => JSON.parse(r.json('body'))[1].name === 'bob' });
  const form = http.post(`${__ENV.BASE}/echo`, { upload: http.file(file, 'users.json', 'application/json'), note: 'hi' });
  check(form, {
    'multipart content type': (r) => r.json('contentType').startsWith('multipart/form-data; boundary='),
    'file part with name and type': (r) => r.json('body').includes('filename="users.json"') && r.json('body').includes('Content-Type: application/json'),
    'file content': (r) => r.json('body').includes('"alice"'),
  });
}
