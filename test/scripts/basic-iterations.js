import { check, sleep } from 'k6';

export const options = { vus: 2, iterations: 6 };

let count = 0;
export default function () {
  count++;
  check(count, { 'positive': (c) => c > 0 });
  sleep(0.01);
}
