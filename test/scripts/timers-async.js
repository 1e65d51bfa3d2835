// k6's event-loop rule: the iteration ends after its timers; async functions and asyncRequest work.
import http from 'k6/http';
import { check } from 'k6';

export const options = { vus: 1, iterations: 2 };

export default async function () {
  let fired = false;
  setTimeout(() => {
    fired = true;
    check(fired, { 'timer fired within the iteration': (f) => f });
  }, 20);
  const res = await http.asyncRequest('GET', `${__ENV.BASE}/json`);
  check(res, { 'asyncRequest resolves': (r) => r.status === 200 });
}
