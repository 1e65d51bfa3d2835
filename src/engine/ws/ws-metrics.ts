// k6's WebSocket metrics (metrics/builtin.go), shared by k6/ws and k6/websockets, and the
// data_sent/data_received counters their sockets feed.
import type { Tags, VuHost } from '../vu/vu-host.ts';
import type { WsNetwork } from './ws-network.ts';

const WS_METRICS = [
  ['ws_sessions', 'counter', 'default'],
  ['ws_msgs_sent', 'counter', 'default'],
  ['ws_msgs_received', 'counter', 'default'],
  ['ws_ping', 'trend', 'time'],
  ['ws_session_duration', 'trend', 'time'],
  ['ws_connecting', 'trend', 'time'],
  ['data_sent', 'counter', 'data'],
  ['data_received', 'counter', 'data'],
] as const;

export function defineWsMetrics(host: VuHost): void {
  for (const [name, type, contains] of WS_METRICS) {
    if (host.metrics.get(name) === undefined) host.metrics.define(name, type, contains);
  }
}

/**
 * Counts the bytes the VU's WebSockets moved into the VU's data_sent/data_received at the end of each
 * call (k6 counts them in the VU's dialer), and what is left when the VU closes; then destroys its
 * sockets.
 */
export function countWsBytes(host: VuHost, network: WsNetwork): void {
  const count = (): void => {
    const { sent, received } = network.takeBytes();
    host.countBytes(sent, received);
  };
  host.lifecycle.onIterationEnd(count);
  host.lifecycle.onClose(() => {
    network.destroyAll();
    count();
  });
}

/** The tags of one connection's samples, as k6 builds them at connect time and after the handshake. */
export function sessionTags(base: Tags, url: string, systemTags: (tag: string) => boolean): Record<string, string> {
  const tags: Record<string, string> = { ...base };
  if (systemTags('url')) tags.url = url;
  return tags;
}

export function addHandshakeTags(
  tags: Record<string, string>, response: { status: number; subprotocol: string; remoteIp: string } | undefined, systemTags: (tag: string) => boolean,
): void {
  if (response === undefined) return;
  if (systemTags('ip') && response.remoteIp !== '') tags.ip = response.remoteIp;
  if (systemTags('status')) tags.status = String(response.status);
  if (systemTags('subproto')) tags.subproto = response.subprotocol;
}
