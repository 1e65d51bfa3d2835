// An interrupt in an async function's synchronous prefix stops its caller too, as sobek's Interrupt
// stops the whole runtime in k6: nothing after the call runs once the test is aborted (CASE=abort,
// before or after a blocking call) or the VU is stopped at the end of gracefulStop (CASE=stop).
import http from 'k6/http';
import exec from 'k6/execution';
import { sleep } from 'k6';

const CASE = __ENV.CASE;

export const options = CASE === 'stop'
  ? { scenarios: { s: { executor: 'constant-vus', vus: 2, duration: '1s', gracefulStop: '0s' } } }
  : { vus: 1, iterations: 2 };

async function abortAfterRequest() {
  http.get(`${__ENV.BASE}/me`);
  exec.test.abort('stopped in the prefix');
  await null;
}

async function abortAtOnce() {
  exec.test.abort('stopped at once');
}

async function sleepy() {
  sleep(5);
  await null;
}

export default async function () {
  if (CASE === 'stop') sleepy();
  else if (CASE === 'abort-at-once') abortAtOnce();
  else abortAfterRequest();
  console.log('the caller went on');
}
