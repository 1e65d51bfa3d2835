// The k6chaijs jslib (grafana/k6-jslib-k6chaijs): describe() is a group, every expect() assertion is a
// check named from chai's message, a failing assertion ends its describe block (which returns false)
// without failing the iteration, any other exception is logged and recorded as a failed check.
import http from 'k6/http';
import chai, { describe, expect } from 'https://jslib.k6.io/k6chaijs/4.3.4.3/index.js';

if (__ENV.DEAGGREGATE) {
  chai.config.aggregateChecks = false; // names carry the values (and the expect() label)
  chai.config.logFailures = true; // failures are also logged as warnings
}

export const options = {
  iterations: 2,
  thresholds: { 'checks{group:::users}': ['rate==1'], checks: ['rate<1'] },
};

export default function () {
  const results = [];
  results.push(describe('users', () => {
    const res = http.get(`${__ENV.BASE}/api/users`);
    expect(res.status, 'response status').to.equal(200);
    expect(res).to.have.validJsonBody();
    expect(res.json().users, 'users').to.have.lengthOf(2);
    expect(res.json().meta).to.deep.include({ page: 1 });
  }));
  results.push(describe('failing', () => {
    expect(42).to.equal(44);
    // eslint-disable-next-line @typescript-eslint/no-unused-expressions -- chai property assertion
    expect(true).to.be.ok; // not reached: the failed assertion ended the block
  }));
  results.push(describe('exception', () => {
    throw new Error('boom');
  }));
  results.push(describe('negated', () => {
    expect('secret-token').anonymize().to.not.equal('x');
  }));
  http.post(`${__ENV.BASE}/record`, JSON.stringify({ results, reached: true }));
}
