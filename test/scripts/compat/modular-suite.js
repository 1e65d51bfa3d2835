// A script split into modules: an ES class with methods and a getter, a CommonJS helper, array
// callbacks that make requests, Promise.all over asyncRequest, and the throw option with try/catch.
import http from 'k6/http';
import { check, group } from 'k6';
import { ApiClient } from './lib/api-client.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- k6 scripts may require() CommonJS files
const helpers = require('./lib/helpers.cjs');

export const options = { iterations: 2, throw: true };

export default async function () {
  const B = __ENV.BASE;
  group('page objects', () => {
    const client = new ApiClient(B).login('ann', 'secret');
    check(client.me(), { 'profile through the client': (r) => r.json('name') === 'ann' });
    const users = ApiClient.users(B);
    const names = users.map((u) => http.get(`${B}/api/users/${u.id}`).json('name'));
    check(names, { 'each user fetched in map()': (n) => n.join() === 'ann,bob' });
  });
  const total = helpers.totalDuration([`${B}/`, `${B}/api/users`]);
  check(total, { 'reduce() over requests in a CommonJS module': (t) => t > 0 && helpers.label === 'helpers' });
  const responses = await Promise.all([1, 2].map((id) => http.asyncRequest('GET', `${B}/api/users/${id}`)));
  check(responses, { 'Promise.all over asyncRequest': (rs) => rs.map((r) => r.json('id')).join() === '1,2' });
  let caught = '';
  try {
    http.get('http://127.0.0.1:1/');
  } catch (e) {
    caught = String(e);
  }
  check(caught, { 'throw: true raises request errors': (m) => m.includes('connection refused') || m.includes('ECONNREFUSED') });
}
