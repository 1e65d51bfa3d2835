// The httpx jslib as k6's docs use it: a session with a base URL, headers, tags and a timeout; every
// request blocks like http.get and is an ordinary k6/http request (metrics, tags, params).
import http from 'k6/http';
import { check } from 'k6';
import { Rate } from 'k6/metrics';
import { Httpx, Get, Post } from 'https://jslib.k6.io/httpx/0.1.0/index.js';

// 1 of the 12 requests that go through request() fails errorMetricCondition (the unexpected 404).
const failures = new Rate('httpx_failures');

const session = new Httpx({
  baseURL: __ENV.BASE,
  headers: { 'User-Agent': 'My custom user agent' },
  tags: { flow: 'httpx', dropped: 'yes' },
  timeout: 20000,
  errorMetric: failures,
});
session.addHeader('Authorization', 'Bearer tok-ann');
session.addHeaders({ 'X-One': '1', 'X-Two': '2' });
session.addTag('api', 'users');
session.addTags({ env: 'test' });
session.clearTag('dropped');

export const options = {
  iterations: 1,
  thresholds: {
    'http_reqs{flow:httpx}': ['count==16'],
    'http_reqs{dropped:yes}': ['count==0'],
    'http_reqs{api:users}': ['count==15'], // one call overrides it
    'http_reqs{api:override}': ['count==1'],
    'http_reqs{name:${}/api/users/${}}': ['count==0'],
    'http_reqs{name:/api/users/${}}': ['count==1'],
    'http_reqs{name:BatchUsers}': ['count==3'],
    'http_req_duration{env:test}': ['max>=0'],
  },
};

export default async function () {
  const users = session.get('/api/users');
  check(users, {
    'get returns the response itself': (r) => r.status === 200 && r.json('count') === 2,
    'lastRequest is the response': () => session.lastRequest.responseObject === users,
    'chain duration measured': () => session.lastRequestChainDuration >= 0,
  });

  const posted = session.post('/echo', JSON.stringify({ stars: 5 }), {
    headers: { 'Content-Type': 'application/json', 'X-Two': 'two' },
    tags: { api: 'override' },
  });
  check(posted, {
    'post sends the body': (r) => r.json('method') === 'POST' && r.json('body') === '{"stars":5}',
    'session headers sent': (r) => r.json('headers.authorization') === 'Bearer tok-ann' && r.json('headers.user-agent') === 'My custom user agent',
    'call headers merged over the session': (r) => r.json('headers.x-one') === '1' && r.json('headers.x-two') === 'two'
      && r.json('headers.content-type') === 'application/json',
  });

  session.clearHeader('Authorization');
  const put = session.put('/echo', { key: 'value' });
  check(put, {
    'objects are form-encoded': (r) => r.json('method') === 'PUT' && r.json('body') === 'key=value',
    'cleared header not sent': (r) => !('authorization' in r.json('headers')),
  });

  const verbs = [session.patch('/echo', 'p'), session.delete('/echo'), session.options('/echo'), session.trace('/echo')];
  check(verbs, { 'patch, delete, options, trace': (rs) => rs.map((r) => r.json('method')).join() === 'PATCH,DELETE,OPTIONS,TRACE' });
  check(session.head('/echo'), { 'head': (r) => r.status === 200 && r.body === '' });
  check(session.request('GET', `${__ENV.BASE}/api/users/2`), { 'absolute URL kept': (r) => r.json('name') === 'bob' });

  check(session.get('/status/404'), { 'a 404 is returned, not thrown': (r) => r.status === 404 });
  check(session.get('/status/404', null, { expect: (r) => r.status === 404 }), { 'expect overrides errorMetricCondition': (r) => r.status === 404 });

  check(session.get(http.url`/api/users/${1}`), { 'http.url template': (r) => r.json('name') === 'ann' });

  const batch = session.batch([new Get('/api/users/1'), ['GET', '/api/users/2'], new Post('/echo', { body: 'b' })], {
    tags: { name: 'BatchUsers' },
  });
  check(batch, {
    'batch returns responses in order': (rs) => rs[0].json('name') === 'ann' && rs[1].json('name') === 'bob' && rs[2].json('body') === 'b',
  });

  const asyncRes = await session.asyncGet('/api/users/2');
  check(asyncRes, { 'asyncGet resolves to the response': (r) => r.json('name') === 'bob' });

  let invalid = '';
  try {
    session.request('FETCH', '/echo');
  } catch (e) {
    invalid = e.message;
  }
  check(invalid, { 'invalid method throws': (m) => m.startsWith('Invalid method: FETCH') });
}
