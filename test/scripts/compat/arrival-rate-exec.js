// A constant-arrival-rate scenario with an exec function and a ramping-arrival-rate one side by side.
import http from 'k6/http';

export const options = {
  scenarios: {
    orders: { executor: 'constant-arrival-rate', rate: 10, timeUnit: '1s', duration: '1s', preAllocatedVUs: 2, exec: 'order' },
    spike: {
      executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: 2, maxVUs: 4,
      stages: [{ duration: '1s', target: 10 }, { duration: '1s', target: 10 }], exec: 'spike',
    },
  },
  thresholds: {
    'iterations{scenario:orders}': ['count==10'],
    // 5 in the ramp, 10 at the plateau; k6 counts from area 1, so the last is due exactly at the end of
    // the last stage, racing the end of the regular duration (k6 usually does not start it).
    'iterations{scenario:spike}': ['count>=14', 'count<=15'],
    'dropped_iterations': ['count==0'],
  },
};

export function order() {
  http.get(`${__ENV.BASE}/`);
}

export function spike() {
  http.get(`${__ENV.BASE}/api/users`);
}
