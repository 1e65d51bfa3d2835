// What k6/ws and k6/websockets set up alike for a VU: k6's WebSocket metrics, the VU's WebSocket
// network (its bytes emitted with each iteration), and the settings every connection reads.
import { systemTagEnabled } from '../vu/system-tags.ts';
import type { VuHost } from '../vu/vu-host.ts';
import { HOST_BUFFERS, type BufferRealm } from '../modules/binary-input.ts';
import { DEFAULT_USER_AGENT } from '../options/k6-options.ts';
import { WsNetwork } from './ws-network.ts';
import { defineWsMetrics, countWsBytes } from './ws-metrics.ts';

export interface WsVuContext {
  readonly network: WsNetwork;
  /** Makes binary messages ArrayBuffers of the script's realm. */
  readonly buffers: BufferRealm;
  readonly systemTags: (tag: string) => boolean;
  /** The `userAgent` option ('' sends none). */
  readonly userAgent: string;
}

export function wsVuContext(host: VuHost, buffers: BufferRealm | undefined): WsVuContext {
  defineWsMetrics(host);
  const network = new WsNetwork(host.options, host.state.id, host.keyLog);
  countWsBytes(host, network);
  return {
    network,
    buffers: buffers ?? HOST_BUFFERS,
    systemTags: (tag) => systemTagEnabled(host.options, tag),
    userAgent: typeof host.options.userAgent === 'string' ? host.options.userAgent : DEFAULT_USER_AGENT,
  };
}
