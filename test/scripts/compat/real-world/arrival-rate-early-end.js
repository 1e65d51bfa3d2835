// A ramping-arrival-rate slow enough that its few iterations all fall to one worker thread's share
// (an example from a k6 course: 5 then 3 iterations per 20 s, over 8 s: one iteration, at 6 s). k6's
// one process ends the scenario when that last iteration starts, its bar at ~77 %; the share of the
// thread with no iteration returns at once and must not hold the bar at 0 %.
import http from 'k6/http';

export const options = {
  scenarios: {
    contacts: {
      executor: 'ramping-arrival-rate',
      startRate: 5,
      timeUnit: '20s',
      preAllocatedVUs: 2,
      stages: [{ target: 3, duration: '2s' }, { target: 3, duration: '6s' }],
    },
  },
};

export default function () {
  http.get(`${__ENV.BASE}/api/users`);
}
