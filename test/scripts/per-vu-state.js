// Each VU has its own module state: `n` counts that VU's iterations only.
import { check } from 'k6';

export const options = { vus: 3, iterations: 12 };

let n = 0;
export default function () {
  n++;
  check(n, { 'module state is per VU': (v) => v === __ITER + 1 });
}
