// k6/x/redis connections follow the VU's dialer options (hosts, blockHostnames, blacklistIPs) and fail
// in Go's words; constructor errors are GoErrors; a command the script does not await still finishes
// before its iteration ends. Keys under REDIS_PREFIX, deleted in teardown.
import redis from 'k6/x/redis';
import { check } from 'k6';

export const options = {
  scenarios: { network: { executor: 'per-vu-iterations', vus: 1, iterations: 1 } },
  hosts: { 'cache.stampede.test': '127.0.0.1', 'denied.stampede.test': '127.0.0.2' },
  blockHostnames: ['*.blocked.test'],
  blacklistIPs: ['127.0.0.2/32'],
  thresholds: { checks: ['rate==1'] },
};

const port = __ENV.REDIS_PORT;
const key = `${__ENV.REDIS_PREFIX}:unawaited`;

async function failure(p) {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return String(e);
  }
}

function thrown(fn) {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return `${e.name}: ${e.message}`;
  }
}

export default async function () {
  const mapped = new redis.Client(`redis://cache.stampede.test:${port}`);
  check(await mapped.sendCommand('PING'), { 'hosts maps the name': (r) => r === 'PONG' });

  const refused = new redis.Client('redis://127.0.0.1:1');
  check(await failure(refused.get('k')), { 'refused dial in Go words': (t) => t === 'dial tcp 127.0.0.1:1: connect: connection refused' });

  const blocked = new redis.Client({ socket: { host: 'cache.blocked.test', port: Number(port) } });
  check(await failure(blocked.get('k')), {
    'blocked hostname': (t) => t === 'hostname (cache.blocked.test) is in a blocked pattern (*.blocked.test)',
  });

  const denied = new redis.Client(`redis://denied.stampede.test:${port}`);
  check(await failure(denied.get('k')), { 'blacklisted IP': (t) => t === 'IP (127.0.0.2) is in a blacklisted range (127.0.0.2/32)' });

  // A connection the server drops is made again by the next command.
  const watcher = new redis.Client(`redis://127.0.0.1:${port}`);
  const id = await mapped.sendCommand('CLIENT', 'ID');
  check(await watcher.sendCommand('CLIENT', 'KILL', 'ID', id), { 'the server closed the connection': (n) => n === 1 });
  check(await mapped.sendCommand('CLIENT', 'ID'), { 'the next command reconnects': (next) => typeof next === 'number' && next !== id });

  // The local server has no password: the connection's AUTH is refused, as go-redis reports it.
  const withPassword = new redis.Client({ socket: { host: '127.0.0.1', port: Number(port) }, password: 'not-set' });
  check(await failure(withPassword.sendCommand('PING')), {
    'a refused AUTH fails the command with the server error': (t) => /^(ERR AUTH|WRONGPASS)/.test(t),
  });

  check(thrown(() => new redis.Client()), { 'one argument required': (t) => t === 'GoError: must specify one argument' });
  check(thrown(() => new redis.Client('https://example.com')), {
    'URL scheme checked': (t) => t === 'GoError: invalid options; reason: redis: invalid URL scheme: https',
  });

  // Not awaited: the iteration still waits for it (teardown reads the key).
  mapped.set(key, 'written', 60);
}

export async function teardown() {
  const client = new redis.Client(`redis://127.0.0.1:${port}`);
  check(await client.getDel(key), { 'the unawaited set finished within its iteration': (v) => v === 'written' });
}
