// setup() data is JSON round-tripped to every VU and to teardown(data): Go's json.Marshal of the
// exported value, so a key holding undefined arrives as null (a function would stop the run).
import http from 'k6/http';
import { check } from 'k6';

export const options = { vus: 2, iterations: 4 };

export function setup() {
  return { token: 'abc', list: [1, 2, 3], u: undefined };
}

// Each VU parses the data once: its own change is visible to its next iteration, never to others.
export default function (data) {
  check(data, {
    'setup data arrives': (d) => d.list.length === 3 && d.u === null,
    'each VU has its own copy': (d) => d.token === (__ITER === 0 ? 'abc' : `changed by VU ${__VU}`),
  });
  data.token = `changed by VU ${__VU}`;
}

export function teardown(data) {
  http.post(`${__ENV.BASE}/record`, JSON.stringify(data));
}
