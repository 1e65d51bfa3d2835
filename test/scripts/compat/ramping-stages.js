// stages shortcut: a ramping-vus scenario named default.
import http from 'k6/http';
import { sleep } from 'k6';
import exec from 'k6/execution';

export const options = {
  stages: [
    { duration: '1s', target: 3 },
    { duration: '1s', target: 0 },
  ],
};

export default function () {
  if (exec.scenario.name !== 'default' || exec.scenario.executor !== 'ramping-vus') throw new Error('wrong scenario');
  http.get(`${__ENV.BASE}/`);
  sleep(0.2);
}
