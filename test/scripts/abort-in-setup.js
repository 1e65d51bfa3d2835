// A user abort while setup() sleeps interrupts it: exit 105, no iteration, no teardown.
import { sleep } from 'k6';

export const options = { iterations: 1 };

export function setup() {
  sleep(30);
}

export default function () {}
