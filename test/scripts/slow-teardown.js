// A long test whose teardown takes 10 s: a second Ctrl+C must not wait for it.
import { sleep } from 'k6';

export const options = { vus: 1, duration: '30s' };

export default function () {
  sleep(0.1);
}

export function teardown() {
  sleep(10);
}
