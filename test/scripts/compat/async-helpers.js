// Helpers declared `async` out of habit and called without `await`: in k6 an async function runs
// synchronously up to its first `await`, blocking calls included, so such a helper has made its
// requests when it returns, and its caller gets its promise (docs/engine.md, "Async functions'
// synchronous prefix").
import http from 'k6/http';
import { check } from 'k6';

export const options = { vus: 1, iterations: 2, thresholds: { checks: ['rate==1'], 'http_reqs{step:profile}': ['count==6'] } };

let token;

async function login() {
  token = http.post(`${__ENV.BASE}/login`, { user: 'ann', password: 'secret' }).json('token');
}

async function profile(tag) {
  const res = http.get(`${__ENV.BASE}/me`, { headers: { Authorization: `Bearer ${token}` }, tags: { step: 'profile' } });
  await null;
  return `${tag}:${res.json('name')}`;
}

export default async function () {
  token = undefined;
  login();
  check(token, { 'the token is set when login() returns': (t) => t === 'tok-ann' });
  const seen = [];
  ['a', 'b'].forEach(async (tag) => {
    seen.push(`start ${tag}`);
    http.get(`${__ENV.BASE}/me`, { headers: { Authorization: `Bearer ${token}` }, tags: { step: 'profile' } });
    seen.push(`done ${tag}`);
  });
  check(seen, { 'forEach ran each async callback up to its first await, in turn': (s) => s.join() === 'start a,done a,start b,done b' });
  const pending = profile('c');
  check(pending, { 'an async helper still returns its promise': (p) => p instanceof Promise });
  check(await pending, { 'its result comes with the promise': (v) => v === 'c:ann' });
}
