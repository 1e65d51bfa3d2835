// k6/x/redis (grafana/xk6-redis, an official extension k6 v2 resolves on import): a `Client` class
// whose methods return Promises. Created once per VU; the VU's connections are closed when it ends and
// the bytes they moved are counted into data_sent/data_received after every iteration, as the
// extension dials through k6's dialer. A connection an interrupted iteration left commands waiting on
// is dropped at the iteration's end. It emits no metrics of its own.
import type { VuHost } from '../../vu/vu-host.ts';
import type { VuEventLoop } from '../../vu/vu-event-loop.ts';
import { connectionSettings } from '../../http/http-module.ts';
import { createClientClass, type RedisRealm } from './redis-client.ts';
import { ioredisLib } from './redis-connection.ts';
import type { RedisLink } from './redis-pool.ts';
import { RedisNetwork } from './redis-network.ts';

export function createRedisModule(host: VuHost, loop: VuEventLoop, realm: RedisRealm): Record<string, unknown> {
  ioredisLib(); // loaded in the init context of the VU importing the module, not at its first command
  const network = new RedisNetwork(connectionSettings(host.options, host.state.id, host.keyLog));
  const live = new Set<RedisLink>();
  const count = (): void => {
    const { sent, received } = network.takeBytes();
    host.countBytes(sent, received);
  };
  host.lifecycle.onIterationEnd(() => {
    for (const c of live) c.abandonInFlight();
    count();
  });
  host.lifecycle.onClose(() => {
    for (const c of live) c.close();
    live.clear();
    count();
  });
  const Client = createClientClass({ host, loop, realm, network, live });
  return { Client };
}
