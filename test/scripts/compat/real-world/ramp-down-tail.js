// Stages as load-test templates write them: ramp up, ramp down to 0, then a cool-down stage at 0.
// k6's ramping-vus progress runs to the end of the VUs' ramp (the last raw step), so the bar ends
// at 100 % (✓) although the stages add up to more.
import http from 'k6/http';
import { sleep } from 'k6';

export const options = {
  stages: [
    { duration: '600ms', target: 3 },
    { duration: '600ms', target: 0 },
    { duration: '600ms', target: 0 },
  ],
};

export default function () {
  http.get(`${__ENV.BASE}/api/users/1`);
  sleep(0.1);
}
