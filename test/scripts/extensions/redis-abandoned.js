// Commands left waiting do not hold up the ones after them. Scenario `cut`: each VU's BLPOP on an
// empty list (20 s) is interrupted at the scenario's end; scenario `after`, on the same VUs, must get
// its replies at once rather than behind the BLPOP the server still holds. Scenario `timeout`: a BLPOP
// longer than the client's readTimeout fails with go-redis' i/o timeout, and the next command answers
// at once on a new connection.
import redis from 'k6/x/redis';
import { check } from 'k6';

export const options = {
  scenarios: {
    cut: { executor: 'per-vu-iterations', vus: 2, iterations: 1, maxDuration: '1s', gracefulStop: '0s', exec: 'cut' },
    after: { executor: 'per-vu-iterations', vus: 2, iterations: 2, startTime: '1500ms', exec: 'after' },
    timeout: { executor: 'per-vu-iterations', vus: 1, iterations: 1, startTime: '1500ms', exec: 'timeout' },
  },
};

const client = new redis.Client(`redis://127.0.0.1:${__ENV.REDIS_PORT}`);
const quick = new redis.Client({ socket: { host: '127.0.0.1', port: Number(__ENV.REDIS_PORT), readTimeout: 300 } });
const empty = `${__ENV.REDIS_PREFIX}:empty`;
const key = `${__ENV.REDIS_PREFIX}:after`;

export async function cut() {
  await client.sendCommand('BLPOP', empty, 20);
}

export async function after() {
  const started = Date.now();
  await client.set(`${key}:${__VU}`, 'v');
  const value = await client.getDel(`${key}:${__VU}`);
  check(Date.now() - started, { 'commands after an interrupted one answer at once': (ms) => ms < 1000 });
  check(value, { 'and right': (v) => v === 'v' });
}

export async function timeout() {
  let error = '';
  try {
    await quick.sendCommand('BLPOP', empty, 5);
  } catch (e) {
    error = String(e);
  }
  check(error, { 'a read past readTimeout fails with i/o timeout': (e) => e.includes('i/o timeout') });
  const started = Date.now();
  const pong = await quick.sendCommand('PING');
  check(Date.now() - started, { 'the next command answers at once': (ms) => ms < 1000 });
  check(pong, { 'PONG': (p) => p === 'PONG' });
}
