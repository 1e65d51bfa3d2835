// The expect jslib (and its twin functional) as k6's functional-testing examples use it: describe blocks
// of chained matchers, each recording a check; a failed matcher ends its block.
import http from 'k6/http';
import { describe } from 'https://jslib.k6.io/expect/0.0.5/index.js';
import { describe as fdescribe } from 'https://jslib.k6.io/functional/0.0.3/index.js';

export const options = { iterations: 1 };

const userSchema = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string' } } };
const listSchema = { type: 'object', properties: { count: { type: 'integer' }, users: { type: 'array', items: userSchema } } };

export default function () {
  const results = [];
  let caught = '';
  results.push(describe('list users', (t) => {
    const res = http.get(`${__ENV.BASE}/api/users`);
    t.expect(res.status).as('status').toEqual(200)
      .and(res).toHaveValidJson()
      .and(res.json('count')).as('user count').toBeGreaterThan(1).toBeLessThanOrEqual(2).toBeBetween(1, 5)
      .and(res.json()).as('users body').toMatchAPISchema(listSchema)
      .and(res.json('meta.page')).toEqual(1).toBeTruthy().toBeGreaterThanOrEqual(1).toBeLessThan(9);
  }));
  results.push(describe('missing user', (t) => {
    const res = http.get(`${__ENV.BASE}/api/users/9`);
    t.expect(res.status).as('missing status').toEqual(200).and(res).toHaveValidJson();
  }));
  results.push(describe('bad user', (t) => {
    t.expect({ id: 'x', name: 7 }).as('user').toMatchAPISchema(userSchema).toBeTruthy();
  }));
  results.push(describe('exception', (t) => {
    t.expect('a').toEqual('a');
    throw new Error('boom');
  }));
  results.push(describe('caught chain', (t) => {
    const chain = t.expect(3).as('three');
    try {
      chain.toBeLessThan(2);
    } catch (e) {
      caught = e.name;
    }
    chain.toEqual(3).toBeTruthy();
  }));
  results.push(describe('not a response', (t) => {
    t.expect({ status: 200 }).toHaveValidJson();
  }));
  results.push(fdescribe('functional schema', (t) => {
    t.expect({ id: 1 }).as('partial').toMatchAPISchema(userSchema).and(2).toEqual(2);
  }));
  http.post(`${__ENV.BASE}/record`, JSON.stringify({ results, caught }));
}
