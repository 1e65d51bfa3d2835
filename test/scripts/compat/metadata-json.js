// exec.vu.metrics.metadata: samples emitted while it is set carry it as "metadata" in --out json,
// not as tags; deleting the key stops it.
import http from 'k6/http';
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';

export const options = { iterations: 1 };
const traced = new Counter('traced');

export default function () {
  exec.vu.metrics.metadata.trace_id = 'abc';
  exec.vu.metrics.metadata.attempt = 1;
  http.get(`${__ENV.BASE}/api/users/1`);
  traced.add(1);
  delete exec.vu.metrics.metadata.trace_id;
  delete exec.vu.metrics.metadata.attempt;
  http.get(`${__ENV.BASE}/api/users/2`);
}
