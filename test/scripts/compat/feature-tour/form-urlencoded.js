// Stampede's feature-tour script for k6/http form bodies: an object body is sent
// application/x-www-form-urlencoded, an array value as a repeated key. Run by
// test/engine-compat-examples.test.ts against test/scripts/public-hosts.ts (httpbin's /post).
import http from 'k6/http';
import { check } from 'k6';

const order = {
  customer: 'Ada Q. Lovelace',
  seats: '4',
  contact: 'ada+tickets@example.net',
  note: 'Aisle, please & thanks = 100%',
  extras: ['popcorn', 'lemonade', 'blanket'],
};

export default function () {
  const form = http.post('http://httpbin.org/post', order).json('form');
  const scalar = (k) => () => form[k] === order[k];
  check(form, {
    'form: has a body': (f) => f !== null && typeof f === 'object',
    'form: customer': scalar('customer'),
    'form: seats': scalar('seats'),
    'form: contact': scalar('contact'),
    'form: note (escaped)': scalar('note'),
    'form: extras repeated in order': () => JSON.stringify(form.extras) === JSON.stringify(order.extras),
  });
}
