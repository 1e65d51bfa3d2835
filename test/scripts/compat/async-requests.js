// async default function with await http.asyncRequest, Promise.all and a promisified timer.
import http from 'k6/http';
import { check } from 'k6';

export const options = { vus: 2, iterations: 4, thresholds: { http_reqs: ['count==16'] } };

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export default async function () {
  const one = await http.asyncRequest('GET', `${__ENV.BASE}/api/users/1`);
  const [a, b] = await Promise.all([
    http.asyncRequest('GET', `${__ENV.BASE}/delay/30`),
    http.asyncRequest('POST', `${__ENV.BASE}/echo`, JSON.stringify({ x: 1 }), { headers: { 'Content-Type': 'application/json' } }),
  ]);
  await wait(20);
  const last = http.get(`${__ENV.BASE}/`);
  check(null, {
    'asyncRequest json': () => one.json('name') === 'ann',
    'parallel both done': () => a.body === 'late' && b.json('method') === 'POST',
    'sync after await': () => last.status === 200,
  });
}
