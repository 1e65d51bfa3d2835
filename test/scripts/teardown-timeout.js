// teardown() running past teardownTimeout ends the run with exit code 101 (the summary still prints).
import { sleep } from 'k6';

export const options = { iterations: 1, teardownTimeout: '1s' };

export default function () {}

export function teardown() {
  sleep(10);
}
