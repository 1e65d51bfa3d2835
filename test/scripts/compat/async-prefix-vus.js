// VUs on one worker share a realm: an async function's synchronous prefix that blocks (odd VUs'
// default, called by the engine) must hold only its own VU. In k6 each VU has its own runtime, so an
// even VU's call of an async function or http.asyncRequest never waits for another VU's sleep.
import http from 'k6/http';
import { sleep } from 'k6';
import { Counter } from 'k6/metrics';

const heldByOtherVu = new Counter('held_by_other_vu');

export const options = {
  scenarios: { mixed: { executor: 'per-vu-iterations', vus: 20, iterations: 3, maxDuration: '30s' } },
  thresholds: { held_by_other_vu: ['count==0'] },
};

async function quick() {
  return 1;
}

export default async function () {
  if (__VU % 2 === 1) {
    sleep(0.3);
    await null;
    return;
  }
  for (let i = 0; i < 20; i++) {
    const t0 = Date.now();
    const p = quick();
    const q = http.asyncRequest('GET', `${__ENV.BASE}/me`);
    if (Date.now() - t0 >= 150) heldByOtherVu.add(1);
    await p;
    await q;
  }
}
