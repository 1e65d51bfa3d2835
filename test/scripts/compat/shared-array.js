// SharedArray built from JSON.parse(open(...)), read from every VU.
import { SharedArray } from 'k6/data';
import { check } from 'k6';
import exec from 'k6/execution';

const users = new SharedArray('users', function () {
  return JSON.parse(open('../fixtures/users.json'));
});

// VU 0 (which reads the options) sees the array too.
export const options = { vus: 2, iterations: users.length * 2 };

export default function () {
  const user = users[exec.scenario.iterationInTest % users.length];
  check(user, {
    'user has a name': (u) => typeof u.name === 'string',
    'length is 2': () => users.length === 2,
    'items are frozen': (u) => Object.isFrozen(u),
    'iterable': () => [...users].map((u) => u.name).join(',') === 'alice,bob',
    'an array with array methods': () => Array.isArray(users) && users.map((u) => u.name).join(',') === 'alice,bob'
      && users.filter((u) => u.name.startsWith('b')).length === 1 && users.find((u) => u.name === 'alice') !== undefined,
    'items are plain objects of the script': (u) => u.constructor === Object && users instanceof Array,
  });
}
