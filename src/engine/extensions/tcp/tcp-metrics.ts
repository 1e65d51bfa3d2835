// xk6-tcp's metrics (tcp/metrics.go) and the tags its samples carry (tcp/socket_metrics.go).
import type { MetricContains, MetricType, Tags, VuHost } from '../../vu/vu-host.ts';

export const TCP_METRICS: ReadonlyArray<readonly [string, MetricType, MetricContains]> = [
  ['tcp_socket_connecting', 'trend', 'time'],
  ['tcp_socket_resolving', 'trend', 'time'],
  ['tcp_socket_duration', 'trend', 'time'],
  ['tcp_sockets', 'counter', 'default'],
  ['tcp_reads', 'counter', 'default'],
  ['tcp_writes', 'counter', 'default'],
  ['tcp_errors', 'counter', 'default'],
  // Registered but never emitted by the extension (a timeout only fires the 'timeout' event).
  ['tcp_timeouts', 'counter', 'default'],
  ['tcp_partial_writes', 'counter', 'default'],
];

export function defineTcpMetrics(host: VuHost): void {
  for (const [name, type, contains] of TCP_METRICS) {
    if (host.metrics.get(name) === undefined) host.metrics.define(name, type, contains);
  }
}

/** The VU's tags plus `extra`, its keys applied in sorted order (addToTagSet). */
export function withTags(base: Tags, extra: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = { ...base };
  for (const k of Object.keys(extra).sort()) out[k] = extra[k] ?? '';
  return out;
}

export interface SocketTagParts {
  readonly socketTags: Readonly<Record<string, string>>;
  readonly connect?: { readonly host: string; readonly port: number; readonly tags: Readonly<Record<string, string>> } | undefined;
  readonly remoteIp?: string | undefined;
}

/**
 * A socket's tags (socket.tags()): the VU's, proto=TCP, the constructor's tags, then the connect
 * options' tags, host and port once connect() was called, and ip once the address was resolved.
 */
export function socketTags(base: Tags, parts: SocketTagParts): Record<string, string> {
  const out = withTags({ ...base, proto: 'TCP' }, parts.socketTags);
  if (parts.connect !== undefined) {
    Object.assign(out, parts.connect.tags);
    out.host = parts.connect.host;
    out.port = String(parts.connect.port);
  }
  if (parts.remoteIp !== undefined && parts.remoteIp !== '') out.ip = parts.remoteIp;
  return out;
}
