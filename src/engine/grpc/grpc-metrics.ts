// k6's gRPC metrics: grpc_req_duration (metrics/builtin.go, pushed by grpcext's stats handler when an
// RPC ends, tagged with its status), the module's stream counters (internal/js/modules/k6/grpc/
// metrics.go), and data_sent/data_received from the VU's gRPC sockets. The tags of a call follow
// callParams.SetSystemTags (params.go).
import type { SampleSink, Tags, VuHost } from '../vu/vu-host.ts';
import type { SocketBytes } from '../http/socket-bytes.ts';

const GRPC_METRICS = [
  ['grpc_req_duration', 'trend', 'time'],
  ['grpc_streams', 'counter', 'default'],
  ['grpc_streams_msgs_sent', 'counter', 'default'],
  ['grpc_streams_msgs_received', 'counter', 'default'],
  ['data_sent', 'counter', 'data'],
  ['data_received', 'counter', 'data'],
] as const;

export function defineGrpcMetrics(host: VuHost): void {
  for (const [name, type, contains] of GRPC_METRICS) {
    if (host.metrics.get(name) === undefined) host.metrics.define(name, type, contains);
  }
}

/** The tags of one call: `url` (address + method), `service`, `method`, and `name` unless the script set one. */
export function callTags(base: Tags, address: string, method: string, systemTags: (tag: string) => boolean): Record<string, string> {
  const tags: Record<string, string> = { ...base };
  if (systemTags('url')) tags.url = `${address}${method}`;
  const [service = '', name = ''] = method.slice(1).split('/');
  if (systemTags('service')) tags.service = service;
  if (systemTags('method')) tags.method = name;
  if (tags.name === undefined && systemTags('name')) tags.name = method;
  return tags;
}

/**
 * grpc_req_duration of an RPC that ended with `code`, unless the VU was interrupted meanwhile; `ip`
 * (when enabled) is the server's address, as k6's stats handler reads it from the outgoing header.
 * `sink`: where the sample goes, taken when the call was made (it carries the VU's metadata of that
 * moment, as k6 takes tags and metadata when it prepares the call).
 */
export function emitRpcDuration(host: VuHost, tags: Record<string, string>, code: number, ms: number, systemTags: (tag: string) => boolean, ip = '', sink: SampleSink = host.samples): void {
  if (host.signal.aborted) return;
  // A copy: a stream's tags object already went out with its grpc_streams samples (the sink may keep
  // tag sets by identity), and only grpc_req_duration carries the status and ip.
  const out = { ...tags };
  if (ip !== '' && systemTags('ip')) out.ip = ip;
  if (systemTags('status')) out.status = String(code);
  sink.add('grpc_req_duration', out, ms);
}

/** The VU's gRPC sockets' bytes, counted into its data_sent/data_received after each call and at its end. */
export function countGrpcBytes(host: VuHost, sockets: SocketBytes, closeAll: () => void): void {
  const count = (): void => {
    const { sent, received } = sockets.takeBytes();
    host.countBytes(sent, received);
  };
  host.lifecycle.onIterationEnd(count);
  host.lifecycle.onClose(() => {
    closeAll();
    count();
  });
}
