// k6/execution test.options: the consolidated options as k6 marshals lib.Options to JSON
// (internal/js/modules/k6/execution/execution.go optionsAsObject): every field, null where nothing set
// it (k6's own defaults are "not valid" null values), Go duration strings, map keys sorted, and every
// field of each scenario's executor config (lib/executor/*.go).
import http from 'k6/http';
import exec from 'k6/execution';
import { sleep } from 'k6';

export const options = {
  scenarios: {
    once: { executor: 'per-vu-iterations' },
    ramp: {
      executor: 'ramping-vus',
      exec: 'ramp',
      startTime: '100ms',
      stages: [{ duration: '1500ms', target: 1 }],
      gracefulRampDown: 90,
      tags: { b: '2', a: '1' },
    },
    rate: { executor: 'constant-arrival-rate', exec: 'ramp', rate: 2, duration: '1s', preAllocatedVUs: 1, env: { X: 'y' } },
  },
  thresholds: { 'http_reqs': ['count>0'], 'checks': [{ threshold: 'rate==1', abortOnFail: true }] },
  setupTimeout: '90s',
  // Go's time.Duration String(): every digit down to the nanosecond, µs under a millisecond.
  teardownTimeout: '1.2345678s',
  handleSummaryTimeout: '1h',
  minIterationDuration: '500us',
  // Go's net.ParseCIDR / net.ParseIP forms: host bits cleared, canonical IPv6, IPv4-mapped as IPv4;
  // host names lowercased, a port of 0 dropped.
  blacklistIPs: ['10.1.2.3/8', '2001:0DB8:0:0::1/64', '::ffff:192.168.1.9/120'],
  hosts: { 'Example.COM': '10.0.0.1', 'v6.test': '[2001:0DB8::0001]:8080', 'mapped.test': '::ffff:10.0.0.2', 'zero.test': '10.0.0.3:0' },
  tags: { suite: 'compat' },
  summaryTrendStats: ['avg', 'p(99)'],
};

export default function () {
  http.post(`${__ENV.BASE}/record`, JSON.stringify({ options: exec.test.options, frozen: Object.isFrozen(exec.test.options.scenarios.ramp.stages[0]), plain: exec.test.options instanceof Object && exec.test.options.scenarios.ramp.stages instanceof Array }));
}

export function ramp() {
  sleep(0.1);
}
