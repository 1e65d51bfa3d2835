// setup() running past setupTimeout ends the run with exit code 100.
import { sleep } from 'k6';

export const options = { iterations: 1, setupTimeout: '1s' };

export function setup() {
  sleep(10);
}

export default function () {}
