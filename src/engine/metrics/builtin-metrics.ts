// k6's built-in metrics (metrics/builtin.go): names, types and what they contain.
import type { MetricDef } from './metrics-batch.ts';

export const BUILTIN_METRICS: readonly Readonly<MetricDef>[] = Object.freeze([
  { name: 'vus', type: 'gauge', contains: 'default' },
  { name: 'vus_max', type: 'gauge', contains: 'default' },
  { name: 'iterations', type: 'counter', contains: 'default' },
  { name: 'iteration_duration', type: 'trend', contains: 'time' },
  { name: 'dropped_iterations', type: 'counter', contains: 'default' },
  { name: 'data_sent', type: 'counter', contains: 'data' },
  { name: 'data_received', type: 'counter', contains: 'data' },
  { name: 'checks', type: 'rate', contains: 'default' },
  { name: 'group_duration', type: 'trend', contains: 'time' },
  { name: 'http_reqs', type: 'counter', contains: 'default' },
  { name: 'http_req_duration', type: 'trend', contains: 'time' },
  { name: 'http_req_blocked', type: 'trend', contains: 'time' },
  { name: 'http_req_connecting', type: 'trend', contains: 'time' },
  { name: 'http_req_tls_handshaking', type: 'trend', contains: 'time' },
  { name: 'http_req_sending', type: 'trend', contains: 'time' },
  { name: 'http_req_waiting', type: 'trend', contains: 'time' },
  { name: 'http_req_receiving', type: 'trend', contains: 'time' },
  { name: 'http_req_failed', type: 'rate', contains: 'default' },
].map((d) => Object.freeze(d as MetricDef)));
