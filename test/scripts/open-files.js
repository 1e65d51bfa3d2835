// open() in init, relative to the script; text and binary; SharedArray from a file.
import { check } from 'k6';
import { SharedArray } from 'k6/data';

const text = open('./fixtures/users.json');
const bin = open('fixtures/users.json', 'b');
const users = new SharedArray('users', () => JSON.parse(open('./fixtures/users.json')));

export const options = { vus: 2, iterations: 4 };

export default function () {
  check(users, {
    'text and binary agree': () => text.length === bin.byteLength && bin instanceof ArrayBuffer,
    'shared array has users': (u) => u.length === 2 && u[1].name === 'bob',
  });
}
