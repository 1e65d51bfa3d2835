// `import { Client } from 'k6/x/mqtt'`: the official MQTT extension (grafana/xk6-mqtt) that k6 v2
// resolves on import. One instance per VU; its clients' connections end with end(), or are cut when
// the call that holds them is interrupted or fails, and when the VU closes.
import type { VuHost } from '../../vu/vu-host.ts';
import type { VuEventLoop } from '../../vu/vu-event-loop.ts';
import { HOST_BUFFERS, type BufferRealm } from '../../modules/binary-input.ts';
import { connectionSettings } from '../../http/http-module.ts';
import { mqttLib } from './mqtt-connection.ts';
import { defineMqttMetrics } from './mqtt-metrics.ts';
import { createClientClass } from './mqtt-client.ts';

/** The QoS levels the docs name (`QoS.AtLeastOnce`…). */
const QOS = Object.freeze({ AtMostOnce: 0, AtLeastOnce: 1, ExactlyOnce: 2 });

export function createMqttModule(host: VuHost, loop: VuEventLoop, buffers: BufferRealm = HOST_BUFFERS): Record<string, unknown> {
  // Loaded in the init context of the VU that imports the module, not at its first connect().
  mqttLib();
  defineMqttMetrics(host);
  const live = new Set<{ abandon(): void }>();
  const abandonAll = (): void => {
    for (const c of [...live]) c.abandon();
  };
  host.lifecycle.onIterationEnd(abandonAll);
  host.lifecycle.onClose(abandonAll);
  const Client = createClientClass({
    host,
    loop,
    buffers,
    settings: connectionSettings(host.options, host.state.id, host.keyLog),
    live,
  });
  return { Client, QoS: QOS };
}
