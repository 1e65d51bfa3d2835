// Two VUs increment a counter without end; the scenario's end interrupts them (no graceful stop) and
// teardown reads and deletes the counter.
import redis from 'k6/x/redis';
import { check } from 'k6';

export const options = {
  scenarios: { endless: { executor: 'constant-vus', vus: 2, duration: '1s', gracefulStop: '0s' } },
};

const client = new redis.Client(`redis://127.0.0.1:${__ENV.REDIS_PORT}`);
const key = `${__ENV.REDIS_PREFIX}:counter`;

export default async function () {
  for (;;) await client.incr(key);
}

export async function teardown() {
  const count = Number(await client.getDel(key));
  check(count, { 'the VUs counted until interrupted': (n) => n > 10 });
}
